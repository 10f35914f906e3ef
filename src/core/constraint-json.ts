/**
 * A constraint read from JSON (a constraint file, a request to `ananke serve`), checked field by
 * field; its description is derived again from the rule, never trusted from the input. Missing
 * `confidence`, `priority`, `kind` and `source` take the values a hand-written constraint has.
 */
import { describeRule, type Constraint } from './constraint.ts';
import { AnankeError, type ErrorLocation } from './errors.ts';

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);
const RULE_TYPES = new Set([
  'signature', 'naming', 'forbidden_identifiers', 'forbidden_calls', 'forbidden_pattern', 'allowed_imports', 'forbidden_imports',
  'module_boundary', 'expected_type', 'type_discipline', 'json_schema', 'regex', 'grammar', 'length', 'error_handling',
  'async_style', 'test_expectation', 'precondition', 'postcondition',
]);

/** `c` as a Constraint, or a PARSE error that starts with `where` ("rules.json: constraint 3"). */
export function constraintFromJson(c: unknown, where: string, location?: ErrorLocation): Constraint {
  if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new AnankeError('PARSE', `${where} is not an object`, location);
  const o = c as Record<string, unknown>;
  if (typeof o['id'] !== 'string' || o['id'] === '') throw new AnankeError('PARSE', `${where} has no id`, location);
  const rule = o['rule'] as Record<string, unknown> | undefined;
  if (!rule || typeof rule !== 'object' || !RULE_TYPES.has(String(rule['type']))) {
    throw new AnankeError('PARSE', `${where} (${o['id']}) has no rule of a known type (${[...RULE_TYPES].join(', ')})`, location);
  }
  if (!SEVERITIES.has(String(o['severity']))) throw new AnankeError('PARSE', `${where} (${o['id']}): severity must be error, warning, info or hint`, location);
  const confidence = o['confidence'] ?? 1;
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) throw new AnankeError('PARSE', `${where} (${o['id']}): confidence must be a number from 0 to 1`, location);
  const priority = o['priority'] ?? 0;
  if (typeof priority !== 'number' || !Number.isFinite(priority)) throw new AnankeError('PARSE', `${where} (${o['id']}): priority must be a number`, location);
  const out = { ...o, confidence, priority, kind: o['kind'] ?? 'semantic', source: o['source'] ?? 'user_defined' } as unknown as Constraint;
  try {
    out.description = describeRule(out.rule);
  } catch (e) {
    throw new AnankeError('PARSE', `${where} (${o['id']}): its ${String(rule['type'])} rule is missing fields: ${(e as Error).message}`, location);
  }
  return out;
}
