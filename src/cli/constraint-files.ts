/**
 * Constraints from files, for `compile` (and `generate`): Ariadne (`.ariadne`), or JSON — an array
 * of constraints, or an object with a `constraints` array (what `ananke extract --json` writes).
 * JSON constraints are checked field by field, and their description is derived again from the
 * rule (never trusted from the file).
 */
import fs from 'node:fs';
import { AnankeError, describeRule, type Constraint } from '../core/index.ts';

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);
const RULE_TYPES = new Set([
  'signature', 'naming', 'forbidden_identifiers', 'forbidden_calls', 'forbidden_pattern', 'allowed_imports', 'forbidden_imports',
  'module_boundary', 'expected_type', 'type_discipline', 'json_schema', 'regex', 'grammar', 'length', 'error_handling',
  'async_style', 'test_expectation', 'precondition', 'postcondition',
]);
/** Constraint files bigger than this are refused (a hand-written or extracted set is far smaller). */
const MAX_CONSTRAINT_FILE_BYTES = 32 * 1024 * 1024;

function check(file: string, i: number, c: unknown): Constraint {
  const where = `${file}: constraint ${i + 1}`;
  if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new AnankeError('PARSE', `${where} is not an object`, { file });
  const o = c as Record<string, unknown>;
  if (typeof o['id'] !== 'string' || o['id'] === '') throw new AnankeError('PARSE', `${where} has no id`, { file });
  const rule = o['rule'] as Record<string, unknown> | undefined;
  if (!rule || typeof rule !== 'object' || !RULE_TYPES.has(String(rule['type']))) {
    throw new AnankeError('PARSE', `${where} (${o['id']}) has no rule of a known type (${[...RULE_TYPES].join(', ')})`, { file });
  }
  if (!SEVERITIES.has(String(o['severity']))) throw new AnankeError('PARSE', `${where} (${o['id']}): severity must be error, warning, info or hint`, { file });
  const confidence = o['confidence'] ?? 1;
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) throw new AnankeError('PARSE', `${where} (${o['id']}): confidence must be a number from 0 to 1`, { file });
  const priority = o['priority'] ?? 0;
  if (typeof priority !== 'number' || !Number.isFinite(priority)) throw new AnankeError('PARSE', `${where} (${o['id']}): priority must be a number`, { file });
  const out = { ...o, confidence, priority, kind: o['kind'] ?? 'semantic', source: o['source'] ?? 'user_defined' } as unknown as Constraint;
  try {
    out.description = describeRule(out.rule);
  } catch (e) {
    throw new AnankeError('PARSE', `${where} (${o['id']}): its ${String(rule['type'])} rule is missing fields: ${(e as Error).message}`, { file });
  }
  return out;
}

function readJson(file: string): Constraint[] {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AnankeError('PARSE', `${file} is not JSON: ${(e as Error).message}`, { file });
  }
  const list = Array.isArray(data) ? data : (data as { constraints?: unknown })?.constraints;
  if (!Array.isArray(list)) throw new AnankeError('PARSE', `${file}: expected an array of constraints or an object with a "constraints" array`, { file });
  return list.map((c, i) => check(file, i, c));
}

export async function readConstraintFiles(files: readonly string[]): Promise<Constraint[]> {
  const out: Constraint[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) throw new AnankeError('NOT_FOUND', `constraint file not found: ${file}`, { file });
    const st = fs.statSync(file);
    if (!st.isFile()) throw new AnankeError('USAGE', `not a file: ${file}`, { file });
    if (st.size > MAX_CONSTRAINT_FILE_BYTES) throw new AnankeError('LIMIT', `${file} is ${st.size} bytes, over ${MAX_CONSTRAINT_FILE_BYTES}`, { file });
    if (file.endsWith('.ariadne')) out.push(...(await readAriadne(file)));
    else if (file.endsWith('.json')) out.push(...readJson(file));
    else throw new AnankeError('USAGE', `${file}: constraint files are .ariadne or .json`, { file });
  }
  return out;
}

async function readAriadne(file: string): Promise<Constraint[]> {
  const { compileAriadneFiles } = await import('../ariadne/index.ts');
  const r = await compileAriadneFiles([file]);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new AnankeError('PARSE', `${errors.length} error${errors.length > 1 ? 's' : ''} in ${file} (run \`ananke check ${file}\`); first: ${first.file}:${first.line}:${first.column}: ${first.message}`, { file: first.file, line: first.line, column: first.column });
  }
  return r.constraints;
}
