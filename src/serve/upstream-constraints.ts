/**
 * The `constraints` field of the upstream Ananke protocol's `POST /generate`, in the two shapes its
 * clients send, read into one `ConstraintSpec`:
 *
 * - the inference service's: `{ json_schema?, grammar?, regex_patterns?, token_mask? }`;
 * - the Rust Maze client's compiled form: `{ type: "object", properties: { <name>: { schema_type,
 *   properties, required, additional_properties } }, constraints: [{ type: "grammar" | "regex" |
 *   "token_mask", … }] }`.
 *
 * Where upstream took the first of several constraints and dropped the rest, this refuses more than
 * one (the engine enforces one grammar per request). Token-id masks and grammars given as rule
 * lists are refused with what to send instead.
 */
import type { ConstraintSpec } from './constraint-fields.ts';
import { grammarForm, schemaValue } from './constraint-fields.ts';
import { Fields } from './fields.ts';
import { badRequest } from './http-error.ts';
import type { ServeLimits } from './limits.ts';

const TOKEN_MASK = 'token masks (lists of token ids) are not accepted: ids depend on the tokenizer; send a grammar or a regex instead';

function one(found: ConstraintSpec[]): ConstraintSpec | undefined {
  if (found.length > 1) throw badRequest(`conflicting constraints: ${found.map((c) => c.field).join(' and ')}; the engine enforces one grammar per request`, found[1]!.field, 'conflicting_constraints');
  return found[0];
}

/** The inference service's shape. */
function serviceShape(c: Fields, limits: ServeLimits): ConstraintSpec | undefined {
  c.onlyKnown(new Set(['json_schema', 'grammar', 'regex_patterns', 'token_mask']));
  const found: ConstraintSpec[] = [];
  if (c.has('json_schema')) found.push({ form: 'json_schema', schema: schemaValue(c.raw('json_schema'), c.path('json_schema'), limits), strict: false, field: c.path('json_schema') });
  if (c.has('grammar')) {
    const text = c.string('grammar', { maxChars: limits.maxGrammarChars, nonEmpty: true })!;
    found.push({ form: grammarForm(text), text, field: c.path('grammar') });
  }
  const patterns = c.raw('regex_patterns');
  if (patterns !== undefined) {
    if (!Array.isArray(patterns) || patterns.some((p) => typeof p !== 'string')) throw badRequest(`${c.path('regex_patterns')} must be a list of strings`, c.path('regex_patterns'));
    patterns.forEach((p: string, i) => found.push({ form: 'regex', pattern: p, field: `${c.path('regex_patterns')}[${i}]` }));
  }
  if (c.has('token_mask')) throw badRequest(`${c.path('token_mask')}: ${TOKEN_MASK}`, c.path('token_mask'), 'unsupported_field');
  return one(found);
}

/** The Rust client's compiled shape. */
function compiledShape(c: Fields, limits: ServeLimits): ConstraintSpec | undefined {
  c.onlyKnown(new Set(['type', 'properties', 'constraints']));
  c.onlyValue('type', ['object'], 'the compiled constraint set is an object');
  const found: ConstraintSpec[] = [];
  const props = c.object('properties');
  for (const name of Object.keys(props?.obj ?? {})) {
    const s = Fields.of(props!.obj[name], props!.path(name));
    s.onlyKnown(new Set(['schema_type', 'properties', 'required', 'additional_properties']));
    // The client's JsonSchema struct, as the JSON Schema it stands for (serde defaults: no
    // properties, none required, additional properties not allowed).
    const schema: Record<string, unknown> = { type: s.string('schema_type', { required: true }) };
    if (s.has('properties')) schema['properties'] = s.object('properties')!.obj;
    if (s.has('required')) schema['required'] = s.raw('required');
    schema['additionalProperties'] = s.boolean('additional_properties') ?? false;
    found.push({ form: 'json_schema', schema: schemaValue(schema, s.where, limits), strict: false, field: s.where });
  }
  const list = c.raw('constraints');
  if (list !== undefined && !Array.isArray(list)) throw badRequest(`${c.path('constraints')} must be a list`, c.path('constraints'));
  for (const [i, item] of ((list as unknown[] | undefined) ?? []).entries()) {
    const e = Fields.of(item, `${c.path('constraints')}[${i}]`);
    const type = e.string('type', { required: true });
    if (type === 'regex') {
      e.onlyKnown(new Set(['type', 'pattern', 'flags']));
      e.onlyValue('flags', [''], 'write flags inside the pattern, as (?i:…) or (?s:…)');
      found.push({ form: 'regex', pattern: e.string('pattern', { required: true, maxChars: limits.maxGrammarChars })!, field: e.where });
    } else if (type === 'grammar') {
      throw badRequest(`${e.where}: a grammar given as a list of rules is not accepted (its symbols do not say which are terminals); send the grammar as text in constraints.grammar (GBNF, or Lark starting with %llguidance)`, e.where, 'unsupported_field');
    } else if (type === 'token_mask') {
      throw badRequest(`${e.where}: ${TOKEN_MASK}`, e.where, 'unsupported_field');
    } else {
      throw badRequest(`${e.path('type')} must be "regex", "grammar" or "token_mask", not ${JSON.stringify(type)}`, e.path('type'));
    }
  }
  return one(found);
}

export function readUpstreamConstraints(body: Fields, limits: ServeLimits): ConstraintSpec | undefined {
  const c = body.object('constraints');
  if (!c) return undefined;
  return c.has('constraints') || c.has('properties') || c.has('type') ? compiledShape(c, limits) : serviceShape(c, limits);
}
