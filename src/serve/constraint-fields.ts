/**
 * The constraint fields of each ecosystem, read into one `ConstraintSpec` (docs/serve.md,
 * "Constraint fields"). Each is enforced by Ananke's engine, whichever backend its documentation
 * names; a request carries at most one: two are a 400 naming both, never one silently preferred.
 *
 * - vLLM: `structured_outputs: { json | regex | choice | grammar | json_object }`, and the fields it
 *   replaced (removed in vLLM 0.12): `guided_json`, `guided_regex`, `guided_choice`,
 *   `guided_grammar`; `guided_decoding_backend` is accepted and has no effect (the backend is
 *   always Ananke's engine).
 * - SGLang: `ebnf`, `regex`, `json_schema` (an object, or the JSON text of one, as SGLang takes it).
 * - llama.cpp: `grammar` (GBNF, or the Lark dialect when it starts with `%llguidance`), `json_schema`.
 * - OpenAI: `response_format: { type: "text" | "json_object" | "json_schema", json_schema: { name, description, schema, strict } }`.
 * - Ananke: `ananke` (a ConstraintIR, or constraints and a target to compile: ananke-field.ts).
 */
import type { Fields } from './fields.ts';
import { badRequest } from './http-error.ts';
import type { ServeLimits } from './limits.ts';

export type ConstraintSpec =
  | { form: 'lark' | 'gbnf'; text: string; field: string }
  | { form: 'regex'; pattern: string; field: string }
  | { form: 'json_schema'; schema: unknown; strict: boolean; field: string }
  | { form: 'choice'; choices: string[]; field: string }
  | { form: 'ananke'; value: Fields; field: string };

/** Every top-level field this module reads (the routes add them to the fields they know). */
export const CONSTRAINT_FIELDS: ReadonlySet<string> = new Set([
  'structured_outputs', 'guided_json', 'guided_regex', 'guided_choice', 'guided_grammar', 'guided_decoding_backend',
  'guided_whitespace_pattern', 'ebnf', 'regex', 'json_schema', 'grammar', 'response_format', 'ananke',
]);

const GBNF_RULE = /^[ \t]*[A-Za-z][A-Za-z0-9_-]*[ \t]*::=/m;

/**
 * A grammar field's dialect. llama.cpp reads its `grammar` field as GBNF unless the text starts with
 * `%llguidance` (then as llguidance's Lark); vLLM's and SGLang's grammar fields take either,
 * depending on the server's backend. Here: `%llguidance` first (after blank and comment lines) is
 * Lark; otherwise a line `name ::=` makes it GBNF; otherwise Lark.
 */
export function grammarForm(text: string): 'lark' | 'gbnf' {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('//') || t.startsWith('#')) continue;
    if (t.startsWith('%llguidance')) return 'lark';
    break;
  }
  return GBNF_RULE.test(text) ? 'gbnf' : 'lark';
}

function grammarSpec(f: Fields, key: string, limits: ServeLimits): ConstraintSpec {
  const text = f.string(key, { maxChars: limits.maxGrammarChars, nonEmpty: true })!;
  return { form: grammarForm(text), text, field: f.path(key) };
}

function regexSpec(f: Fields, key: string, limits: ServeLimits): ConstraintSpec {
  return { form: 'regex', pattern: f.string(key, { maxChars: limits.maxGrammarChars })!, field: f.path(key) };
}

/** A JSON Schema given as an object (or boolean), or as the JSON text of one. */
export function schemaValue(v: unknown, field: string, limits: ServeLimits): unknown {
  let schema = v;
  if (typeof v === 'string') {
    if (v.length > limits.maxGrammarChars) throw badRequest(`${field} is ${v.length} characters, over the limit of ${limits.maxGrammarChars}`, field, 'limit_exceeded');
    try {
      schema = JSON.parse(v);
    } catch (e) {
      throw badRequest(`${field} is a string that is not JSON: ${(e as Error).message}`, field, 'invalid_schema');
    }
  }
  if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
    throw badRequest(`${field} must be a JSON Schema: an object or a boolean (or the JSON text of one)`, field, 'invalid_schema');
  }
  const size = JSON.stringify(schema).length;
  if (size > limits.maxGrammarChars) throw badRequest(`${field} is ${size} characters of JSON, over the limit of ${limits.maxGrammarChars}`, field, 'limit_exceeded');
  return schema;
}

function schemaSpec(f: Fields, key: string, limits: ServeLimits, strict = false): ConstraintSpec {
  return { form: 'json_schema', schema: schemaValue(f.raw(key), f.path(key), limits), strict, field: f.path(key) };
}

function choiceSpec(f: Fields, key: string, limits: ServeLimits): ConstraintSpec {
  const v = f.raw(key);
  const p = f.path(key);
  if (!Array.isArray(v) || v.length === 0 || v.some((c) => typeof c !== 'string')) throw badRequest(`${p} must be a non-empty list of strings`, p);
  if (v.length > limits.maxChoices) throw badRequest(`${p} has ${v.length} choices, over the limit of ${limits.maxChoices}`, p, 'limit_exceeded');
  const chars = (v as string[]).reduce((a, c) => a + c.length, 0);
  if (chars > limits.maxGrammarChars) throw badRequest(`${p} is ${chars} characters in all, over the limit of ${limits.maxGrammarChars}`, p, 'limit_exceeded');
  return { form: 'choice', choices: v as string[], field: p };
}

/** vLLM's `structured_outputs` object: exactly one of its constraint keys. */
function structuredOutputs(so: Fields, limits: ServeLimits): ConstraintSpec | undefined {
  so.onlyKnown(new Set(['json', 'regex', 'choice', 'grammar', 'json_object', 'whitespace_pattern', 'structural_tag', 'disable_fallback', 'disable_any_whitespace', 'disable_additional_properties']));
  for (const k of ['whitespace_pattern', 'structural_tag']) {
    if (so.has(k)) throw badRequest(`${so.path(k)} is not supported by this server (Ananke's engine): leave it out`, so.path(k), 'unsupported_field');
  }
  // Switches for vLLM's own backends; at their default values they change nothing here.
  so.boolean('disable_fallback');
  so.onlyValue('disable_any_whitespace', [false], 'JSON is generated with flexible whitespace');
  so.onlyValue('disable_additional_properties', [false], 'additional properties follow the schema');
  const found: ConstraintSpec[] = [];
  if (so.has('json')) found.push(schemaSpec(so, 'json', limits));
  if (so.has('regex')) found.push(regexSpec(so, 'regex', limits));
  if (so.has('choice')) found.push(choiceSpec(so, 'choice', limits));
  if (so.has('grammar')) found.push(grammarSpec(so, 'grammar', limits));
  if (so.has('json_object')) {
    so.onlyValue('json_object', [true], 'json_object must be true when given');
    found.push({ form: 'json_schema', schema: { type: 'object' }, strict: false, field: so.path('json_object') });
  }
  if (found.length > 1) throw conflict(found);
  return found[0];
}

/** OpenAI's `response_format`. */
function responseFormat(rf: Fields, limits: ServeLimits): ConstraintSpec | undefined {
  const type = rf.string('type', { required: true });
  if (type === 'text') {
    rf.onlyKnown(new Set(['type']));
    return undefined;
  }
  if (type === 'json_object') {
    rf.onlyKnown(new Set(['type']));
    return { form: 'json_schema', schema: { type: 'object' }, strict: false, field: rf.path('type') };
  }
  if (type === 'json_schema') {
    rf.onlyKnown(new Set(['type', 'json_schema']));
    const js = rf.object('json_schema');
    if (!js) throw badRequest(`${rf.path('json_schema')} is required when type is json_schema`, rf.path('json_schema'), 'missing_field');
    js.onlyKnown(new Set(['name', 'description', 'schema', 'strict']));
    js.string('name');
    js.string('description');
    if (!js.has('schema')) throw badRequest(`${js.path('schema')} is required`, js.path('schema'), 'missing_field');
    return schemaSpec(js, 'schema', limits, js.boolean('strict') ?? false);
  }
  throw badRequest(`${rf.path('type')} must be "text", "json_object" or "json_schema", not ${JSON.stringify(type)}`, rf.path('type'));
}

function conflict(found: ConstraintSpec[]): Error {
  return badRequest(`conflicting constraints: ${found.map((c) => c.field).join(' and ')} each constrain the output, and a request may carry one`, found[1]!.field, 'conflicting_constraints');
}

/** The request's one constraint, or undefined for free text. */
export function readConstraint(body: Fields, limits: ServeLimits): ConstraintSpec | undefined {
  const found: ConstraintSpec[] = [];
  const so = body.object('structured_outputs');
  if (so) { const s = structuredOutputs(so, limits); if (s) found.push(s); }
  if (body.has('guided_json')) found.push(schemaSpec(body, 'guided_json', limits));
  if (body.has('guided_regex')) found.push(regexSpec(body, 'guided_regex', limits));
  if (body.has('guided_choice')) found.push(choiceSpec(body, 'guided_choice', limits));
  if (body.has('guided_grammar')) found.push(grammarSpec(body, 'guided_grammar', limits));
  if (body.has('guided_whitespace_pattern')) throw badRequest('guided_whitespace_pattern is not supported by this server (Ananke\'s engine): leave it out', 'guided_whitespace_pattern', 'unsupported_field');
  body.string('guided_decoding_backend');
  if (body.has('ebnf')) found.push(grammarSpec(body, 'ebnf', limits));
  if (body.has('regex')) found.push(regexSpec(body, 'regex', limits));
  if (body.has('json_schema')) found.push(schemaSpec(body, 'json_schema', limits));
  if (body.has('grammar')) found.push(grammarSpec(body, 'grammar', limits));
  const rf = body.object('response_format');
  if (rf) { const s = responseFormat(rf, limits); if (s) found.push(s); }
  const an = body.object('ananke');
  if (an) found.push({ form: 'ananke', value: an, field: 'ananke' });
  if (found.length > 1) throw conflict(found);
  return found[0];
}
