/**
 * Request bodies read into one internal request, without a model: each ecosystem's constraint
 * field as its documentation defines it, unknown and conflicting fields refused by name, and the
 * upstream Ananke `/generate` shapes. The pages each case follows:
 *
 * - vLLM: https://docs.vllm.ai/en/latest/features/structured_outputs/ (`structured_outputs`:
 *   json, regex, choice, grammar; `guided_json`, `guided_regex`, `guided_choice`, `guided_grammar`
 *   removed in 0.12.0) and https://docs.vllm.ai/en/v0.8.5/features/structured_outputs.html (the
 *   `guided_*` fields, `guided_decoding_backend`, `guided_whitespace_pattern`).
 * - SGLang: https://docs.sglang.io/advanced_features/structured_outputs.html (`json_schema`,
 *   `regex`, `ebnf`; one per request; `json_schema` sent as a JSON string).
 * - llama.cpp: https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md (`grammar`,
 *   `json_schema`) and https://github.com/ggml-org/llama.cpp/blob/master/docs/llguidance.md
 *   (a grammar starting with `%llguidance` is Lark).
 * - OpenAI: https://platform.openai.com/docs/api-reference/chat/create (`response_format`:
 *   text, json_object, json_schema with name, description, schema, strict).
 * - upstream Ananke: github.com/rand/ananke, maze/src/modal_client.rs (the `/generate` body and
 *   answer) and maze/modal_inference/inference.py (`constraints: { json_schema, grammar,
 *   regex_patterns, token_mask }`), maze/src/lib.rs (`compile_to_llguidance`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grammarForm, readConstraint } from '../../src/serve/constraint-fields.ts';
import { Fields } from '../../src/serve/fields.ts';
import { HttpError } from '../../src/serve/http-error.ts';
import { DEFAULT_SERVE_LIMITS as L } from '../../src/serve/limits.ts';
import { chatRequest, completionRequest, generateRequest } from '../../src/serve/requests.ts';

const read = (body: Record<string, unknown>) => readConstraint(new Fields(body), L);
/** The 400 a body gets, with the field it names. */
function refused(f: () => unknown, param: string | RegExp, code?: string): HttpError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof HttpError, String(e));
    assert.equal(e.status, 400, e.message);
    if (typeof param === 'string') assert.equal(e.param, param, e.message); else assert.match(e.message, param);
    if (code) assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail('expected a 400');
}

const SCHEMA = { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] };

test('vLLM: structured_outputs.{json, regex, choice, grammar, json_object} and the guided_* fields', () => {
  assert.deepEqual(read({ structured_outputs: { json: SCHEMA } }), { form: 'json_schema', schema: SCHEMA, strict: false, field: 'structured_outputs.json' });
  assert.deepEqual(read({ structured_outputs: { json: JSON.stringify(SCHEMA) } }), { form: 'json_schema', schema: SCHEMA, strict: false, field: 'structured_outputs.json' });
  assert.deepEqual(read({ structured_outputs: { regex: '\\w+@\\w+\\.com' } }), { form: 'regex', pattern: '\\w+@\\w+\\.com', field: 'structured_outputs.regex' });
  assert.deepEqual(read({ structured_outputs: { choice: ['positive', 'negative'] } }), { form: 'choice', choices: ['positive', 'negative'], field: 'structured_outputs.choice' });
  assert.deepEqual(read({ structured_outputs: { grammar: 'root ::= "a"' } }), { form: 'gbnf', text: 'root ::= "a"', field: 'structured_outputs.grammar' });
  assert.deepEqual(read({ structured_outputs: { grammar: 'start: "a"' } }), { form: 'lark', text: 'start: "a"', field: 'structured_outputs.grammar' });
  assert.deepEqual(read({ structured_outputs: { json_object: true } }), { form: 'json_schema', schema: { type: 'object' }, strict: false, field: 'structured_outputs.json_object' });
  assert.equal(read({ guided_json: SCHEMA })!.field, 'guided_json');
  assert.equal(read({ guided_regex: 'a+' })!.form, 'regex');
  assert.equal(read({ guided_choice: ['x', ''] })!.form, 'choice');
  assert.equal(read({ guided_grammar: 'root ::= "a"' })!.form, 'gbnf');
  // The backend switch has no effect (the engine is always Ananke's); its value is still checked.
  assert.equal(read({ guided_regex: 'a', guided_decoding_backend: 'xgrammar' })!.form, 'regex');
  refused(() => read({ guided_decoding_backend: 3 }), 'guided_decoding_backend');
  refused(() => read({ guided_whitespace_pattern: ' *' }), 'guided_whitespace_pattern', 'unsupported_field');
  refused(() => read({ structured_outputs: { structural_tag: {} } }), 'structured_outputs.structural_tag', 'unsupported_field');
  refused(() => read({ structured_outputs: { jsn: SCHEMA } }), 'structured_outputs.jsn', 'unknown_field');
  refused(() => read({ structured_outputs: { json: SCHEMA, regex: 'a' } }), 'structured_outputs.regex', 'conflicting_constraints');
  refused(() => read({ guided_choice: [] }), 'guided_choice');
  refused(() => read({ guided_choice: ['a', 1] }), 'guided_choice');
  refused(() => read({ structured_outputs: { json: 'not json' } }), 'structured_outputs.json', 'invalid_schema');
});

test('SGLang: ebnf, regex, json_schema (an object or its JSON text)', () => {
  assert.deepEqual(read({ ebnf: 'root ::= "x" | "y"' }), { form: 'gbnf', text: 'root ::= "x" | "y"', field: 'ebnf' });
  assert.deepEqual(read({ regex: '[0-9]+' }), { form: 'regex', pattern: '[0-9]+', field: 'regex' });
  assert.deepEqual(read({ json_schema: JSON.stringify(SCHEMA) }), { form: 'json_schema', schema: SCHEMA, strict: false, field: 'json_schema' });
  refused(() => read({ json_schema: '{"type":' }), 'json_schema', 'invalid_schema');
  refused(() => read({ json_schema: 42 }), 'json_schema', 'invalid_schema');
  // "Only one constraint parameter (json_schema, regex, or ebnf) can be specified for a request."
  refused(() => read({ regex: 'a', ebnf: 'root ::= "a"' }), /ebnf and regex/, 'conflicting_constraints');
});

test('llama.cpp: grammar is GBNF, or Lark when it starts with %llguidance; json_schema an object', () => {
  assert.equal(read({ grammar: 'root   ::= answer\nanswer ::= "yes" | "no"' })!.form, 'gbnf');
  assert.equal(read({ grammar: '%llguidance {}\nstart: "yes" | "no"' })!.form, 'lark');
  assert.equal(read({ grammar: '// a comment\n%llguidance {}\nstart: x\nx ::= "no"' })!.form, 'lark', '%llguidance decides even when ::= appears later');
  assert.equal(grammarForm('# GBNF comment\nroot ::= [a-z]+'), 'gbnf');
  assert.equal(grammarForm('start: NAME\nNAME: /[a-z]+/'), 'lark');
  assert.deepEqual(read({ json_schema: SCHEMA }), { form: 'json_schema', schema: SCHEMA, strict: false, field: 'json_schema' });
  refused(() => read({ grammar: '' }), 'grammar');
  refused(() => read({ grammar: 'x'.repeat(L.maxGrammarChars + 1) }), 'grammar', 'limit_exceeded');
});

test('OpenAI: response_format text (no constraint), json_object, json_schema with strict', () => {
  assert.equal(read({ response_format: { type: 'text' } }), undefined);
  assert.deepEqual(read({ response_format: { type: 'json_object' } }), { form: 'json_schema', schema: { type: 'object' }, strict: false, field: 'response_format.type' });
  assert.deepEqual(read({ response_format: { type: 'json_schema', json_schema: { name: 'answer', description: 'd', schema: SCHEMA, strict: true } } }),
    { form: 'json_schema', schema: SCHEMA, strict: true, field: 'response_format.json_schema.schema' });
  refused(() => read({ response_format: { type: 'json_schema', json_schema: { name: 'x' } } }), 'response_format.json_schema.schema', 'missing_field');
  refused(() => read({ response_format: { type: 'json_schema', json_schema: { schema: SCHEMA, extra: 1 } } }), 'response_format.json_schema.extra', 'unknown_field');
  refused(() => read({ response_format: { type: 'yaml' } }), 'response_format.type');
  // A text response_format next to a constraint is no conflict; a JSON one is.
  assert.equal(read({ response_format: { type: 'text' }, guided_regex: 'a' })!.field, 'guided_regex');
  refused(() => read({ response_format: { type: 'json_object' }, guided_regex: 'a' }), /guided_regex and response_format/, 'conflicting_constraints');
});

test('the ananke field is read whole and conflicts with any other constraint field', () => {
  const spec = read({ ananke: { target: 'module:python' } });
  assert.equal(spec?.form, 'ananke');
  refused(() => read({ ananke: { ir: {} }, grammar: 'root ::= "a"' }), /grammar and ananke/, 'conflicting_constraints');
  refused(() => read({ ananke: 'module:python' }), 'ananke');
});

test('completions: unknown fields and values this server cannot honour are 400s naming them; null means absent', () => {
  const r = completionRequest({ model: 'm', prompt: ['hello'], max_tokens: 5, temperature: 0, top_p: 0.5, seed: 7, n: 1, echo: false, stop: null, user: 'u', stream: true, stream_options: { include_usage: true } }, L);
  assert.equal(r.prompt, 'hello');
  assert.deepEqual(r.sampling, { temperature: 0, topP: 0.5, seed: 7 });
  assert.equal(r.includeUsage, true);
  assert.equal(completionRequest({ prompt: 'x' }, L).maxTokens, L.defaultMaxTokens);
  refused(() => completionRequest({ prompt: 'x', guided_jsn: {} }, L), 'guided_jsn', 'unknown_field');
  refused(() => completionRequest({ prompt: 'x', logit_bias: { 5: 100 } }, L), 'logit_bias', 'unsupported_value');
  refused(() => completionRequest({ prompt: 'x', logprobs: 2 }, L), 'logprobs', 'unsupported_value');
  refused(() => completionRequest({ prompt: ['a', 'b'] }, L), 'prompt');
  refused(() => completionRequest({ prompt: [1, 2, 3] }, L), 'prompt');
  refused(() => completionRequest({}, L), 'prompt', 'missing_field');
  refused(() => completionRequest({ prompt: 'x', max_tokens: L.maxTokens + 1 }, L), 'max_tokens');
  refused(() => completionRequest({ prompt: 'x', max_tokens: 0 }, L), 'max_tokens');
  refused(() => completionRequest({ prompt: 'x', temperature: 'hot' }, L), 'temperature');
  refused(() => completionRequest({ prompt: 'x', stream_options: { include_usage: true } }, L), 'stream_options');
  refused(() => completionRequest({ prompt: 'x'.repeat(L.maxPromptChars + 1) }, L), 'prompt', 'limit_exceeded');
});

// OpenAI Completions / Chat (https://platform.openai.com/docs/api-reference/completions/create):
// `stop` "string / array / null, up to 4 sequences … the returned text will not contain the stop
// sequence"; `n`; `presence_penalty`, `frequency_penalty` "between -2.0 and 2.0"; `best_of` ≥ n.
// vLLM's extra sampling parameters (https://docs.vllm.ai/en/latest/api/vllm/sampling_params/):
// `top_k` (-1 or 0 disables), `repetition_penalty`, `seed`.
test('sampling: stop, n, top_k, seed, penalties read as the APIs define them; what cannot be honoured is a 400 naming it', () => {
  const r = completionRequest({ prompt: 'x', stop: ['\n\n', 'END', 'END'], n: 3, best_of: 3, top_k: 5, seed: 4, presence_penalty: 0.5, frequency_penalty: -1, repetition_penalty: 1 }, L);
  assert.deepEqual(r.sampling, { topK: 5, seed: 4, penalties: { presence: 0.5, frequency: -1 }, stop: ['\n\n', 'END'] });
  assert.equal(r.n, 3);
  assert.deepEqual(completionRequest({ prompt: 'x', stop: 'STOP' }, L).sampling.stop, ['STOP']);
  assert.deepEqual(completionRequest({ prompt: 'x', stop: '', top_k: -1, presence_penalty: 0 }, L).sampling, { topK: 0 });
  assert.deepEqual(completionRequest({ prompt: 'x', stop: [] }, L).sampling, {});
  assert.equal(completionRequest({ prompt: 'x' }, L).n, 1);
  const c = chatRequest({ messages: [{ role: 'user', content: 'a' }], stop: '}', n: 2, top_k: 0, user: 'someone' }, L);
  assert.deepEqual([c.sampling, c.n], [{ topK: 0, stop: ['}'] }, 2]);
  refused(() => completionRequest({ prompt: 'x', stop: [''] }, L), 'stop[0]');
  refused(() => completionRequest({ prompt: 'x', stop: [1] }, L), 'stop[0]');
  refused(() => completionRequest({ prompt: 'x', stop: { a: 1 } }, L), 'stop');
  refused(() => completionRequest({ prompt: 'x', stop: Array.from({ length: L.maxStops + 1 }, (_, i) => `s${i}`) }, L), 'stop', 'limit_exceeded');
  refused(() => completionRequest({ prompt: 'x', stop: ['x'.repeat(L.maxStopChars + 1)] }, L), 'stop[0]', 'limit_exceeded');
  refused(() => completionRequest({ prompt: 'x', n: 0 }, L), 'n');
  refused(() => completionRequest({ prompt: 'x', n: L.maxN + 1 }, L), 'n');
  refused(() => completionRequest({ prompt: 'x', n: 4 }, { ...L, parallel: 1, queue: 2 }), 'n', 'limit_exceeded');
  refused(() => completionRequest({ prompt: 'x', n: 2, best_of: 3 }, L), 'best_of', 'unsupported_value');
  refused(() => completionRequest({ prompt: 'x', top_k: 1.5 }, L), 'top_k');
  refused(() => completionRequest({ prompt: 'x', top_k: -2 }, L), 'top_k');
  refused(() => completionRequest({ prompt: 'x', presence_penalty: 2.5 }, L), 'presence_penalty');
  refused(() => completionRequest({ prompt: 'x', frequency_penalty: -3 }, L), 'frequency_penalty');
  refused(() => completionRequest({ prompt: 'x', repetition_penalty: 1.1 }, L), 'repetition_penalty', 'unsupported_value');
  refused(() => chatRequest({ messages: [{ role: 'user', content: 'a' }], logprobs: true }, L), 'logprobs', 'unsupported_value');
  refused(() => chatRequest({ messages: [{ role: 'user', content: 'a' }], top_logprobs: 3 }, L), 'top_logprobs', 'unsupported_value');
  refused(() => chatRequest({ messages: [{ role: 'user', content: 'a' }], user: 5 }, L), 'user');
});

test('chat: roles, text parts, developer as system; tools and tool messages refused', () => {
  const r = chatRequest({ messages: [{ role: 'developer', content: 'be brief' }, { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }], max_completion_tokens: 9 }, L);
  assert.deepEqual(r.messages, [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'a\nb' }]);
  assert.equal(r.maxTokens, 9);
  refused(() => chatRequest({ messages: [] }, L), 'messages');
  refused(() => chatRequest({ messages: [{ role: 'tool', content: 'x' }] }, L), 'messages[0].role');
  refused(() => chatRequest({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] }, L), 'messages[0].content[0].type');
  refused(() => chatRequest({ messages: [{ role: 'assistant', content: null, tool_calls: [] }] }, L), 'messages[0].tool_calls', 'unknown_field');
  refused(() => chatRequest({ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function' }] }, L), 'tools');
  refused(() => chatRequest({ messages: [{ role: 'user', content: 'x' }], max_tokens: 3, max_completion_tokens: 4 }, L), 'max_completion_tokens', 'conflicting_fields');
});

test('upstream /generate: the service\'s constraints shape and the Rust client\'s compiled shape', () => {
  const g = generateRequest({ prompt: 'write it', constraints: { json_schema: SCHEMA }, max_tokens: 64, temperature: 0.7, model: 'meta-llama/Llama-3.1-8B-Instruct', context: 'file header' }, L);
  assert.equal(g.prompt, 'file header\n\nwrite it', 'a string context goes before the prompt, as the service put it');
  assert.deepEqual(g.constraint, { form: 'json_schema', schema: SCHEMA, strict: false, field: 'constraints.json_schema' });
  assert.equal(generateRequest({ prompt: 'p', constraints: { grammar: '%llguidance {}\nstart: "a"' } }, L).constraint!.form, 'lark');
  assert.deepEqual(generateRequest({ prompt: 'p', constraints: { regex_patterns: ['[a-z]+'] } }, L).constraint, { form: 'regex', pattern: '[a-z]+', field: 'constraints.regex_patterns[0]' });
  // The service used the first pattern and dropped the rest; here two are a conflict.
  refused(() => generateRequest({ prompt: 'p', constraints: { regex_patterns: ['a', 'b'] } }, L), /regex_patterns\[0\] and constraints\.regex_patterns\[1\]/, 'conflicting_constraints');
  refused(() => generateRequest({ prompt: 'p', constraints: { token_mask: { allowed_tokens: [1] } } }, L), 'constraints.token_mask', 'unsupported_field');
  // The Rust client's compile_to_llguidance output, with its serde defaults.
  const rust = generateRequest({ prompt: 'p', constraints: { type: 'object', properties: { user: { schema_type: 'object', properties: { id: { type: 'integer' } }, required: ['id'], additional_properties: false } }, constraints: [] }, context: { current_file: 'src/a.rs', language: 'rust', project_root: '/repo', metadata: {} } }, L);
  assert.deepEqual(rust.constraint, { form: 'json_schema', schema: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'], additionalProperties: false }, strict: false, field: 'constraints.properties.user' });
  assert.equal(rust.prompt, 'p', 'an object context names files: nothing is read, nothing added');
  assert.equal(generateRequest({ prompt: 'p', constraints: { type: 'object', properties: {}, constraints: [{ type: 'regex', pattern: '[0-9]{3}', flags: '' }] } }, L).constraint!.form, 'regex');
  assert.equal(generateRequest({ prompt: 'p', constraints: { type: 'object', properties: {}, constraints: [] } }, L).constraint, undefined);
  refused(() => generateRequest({ prompt: 'p', constraints: { type: 'object', constraints: [{ type: 'grammar', name: 'g', rules: [{ lhs: 'S', rhs: ['a'] }], start: 'S' }] } }, L), 'constraints.constraints[0]', 'unsupported_field');
  refused(() => generateRequest({ prompt: 'p', constraints: { type: 'object', constraints: [{ type: 'regex', pattern: 'a', flags: 'i' }] } }, L), 'constraints.constraints[0].flags');
  refused(() => generateRequest({ prompt: 'p', context: { current_file: 'x', secrets: 1 } }, L), 'context.secrets', 'unknown_field');
  assert.deepEqual(generateRequest({ prompt: 'p', stop_sequences: ['}'], top_k: 3 }, L).sampling, { topK: 3, stop: ['}'] });
  refused(() => generateRequest({ prompt: 'p', stop_sequences: [''] }, L), 'stop_sequences[0]');
  refused(() => generateRequest({ prompt: 'p', stop: ['}'] }, L), 'stop', 'unknown_field');
  refused(() => generateRequest({ constraints: {} }, L), 'prompt', 'missing_field');
});
