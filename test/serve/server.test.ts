/**
 * `ananke serve` end to end: a real server on a loopback port, the test model (random weights, the
 * real Qwen3 tokenizer), plain HTTP. Every constraint field of every ecosystem is sent the way its
 * documentation shows (the pages are listed in request-formats.test.ts), and every output is judged
 * by the engine against the grammar the field stands for: a whole sentence when the server says the
 * text ended, a prefix that can still be completed when max_tokens cut it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileJsonSchema, grammarFromRegex, loadProgramGrammar, parseGbnf, parseLark, type Grammar } from '../../src/engine/index.ts';
import { accepts, enforced, harness, isPrefix, type Harness } from './helpers.ts';

let h: Harness;
before(async () => { h = await harness({ limits: { parallel: 2 } }); });
after(async () => { await h?.close(); });

const chat = (content: string) => ({ messages: [{ role: 'user', content }] });
const SCHEMA = { type: 'object', properties: { id: { type: 'integer' }, tag: { enum: ['a', 'b'] } }, required: ['id', 'tag'], additionalProperties: false };
const GBNF = 'root ::= "(" digit+ ")"\ndigit ::= [0-9]';
const LARK = '%llguidance {}\nstart: "let " NAME " = " INT ";"\nNAME: /[a-z]+/\nINT: /[0-9]+/';
const REGEX = '[0-9]{3}-[a-z]{2}';

interface Case { name: string; path: string; body: Record<string, unknown>; grammar: Grammar; field: string }
const CASES: Case[] = [
  { name: 'vLLM structured_outputs.json (chat)', path: '/v1/chat/completions', body: { ...chat('an object'), structured_outputs: { json: SCHEMA } }, grammar: compileJsonSchema(SCHEMA), field: 'structured_outputs.json' },
  { name: 'vLLM structured_outputs.regex (chat)', path: '/v1/chat/completions', body: { ...chat('a code'), structured_outputs: { regex: REGEX } }, grammar: grammarFromRegex(REGEX), field: 'structured_outputs.regex' },
  { name: 'vLLM structured_outputs.choice (chat)', path: '/v1/chat/completions', body: { ...chat('yes or no'), structured_outputs: { choice: ['yes', 'no', 'maybe not'] } }, grammar: parseLark('start: "yes" | "no" | "maybe not"'), field: 'structured_outputs.choice' },
  { name: 'vLLM structured_outputs.grammar, Lark (completions)', path: '/v1/completions', body: { prompt: 'let', structured_outputs: { grammar: LARK } }, grammar: parseLark(LARK), field: 'structured_outputs.grammar' },
  { name: 'vLLM guided_json (completions)', path: '/v1/completions', body: { prompt: '{', guided_json: SCHEMA }, grammar: compileJsonSchema(SCHEMA), field: 'guided_json' },
  { name: 'vLLM guided_regex (completions)', path: '/v1/completions', body: { prompt: 'x', guided_regex: REGEX }, grammar: grammarFromRegex(REGEX), field: 'guided_regex' },
  { name: 'vLLM guided_choice (chat)', path: '/v1/chat/completions', body: { ...chat('pick'), guided_choice: ['red', 'green'] }, grammar: parseLark('start: "red" | "green"'), field: 'guided_choice' },
  { name: 'vLLM guided_grammar, GBNF (chat)', path: '/v1/chat/completions', body: { ...chat('digits'), guided_grammar: GBNF }, grammar: parseGbnf(GBNF), field: 'guided_grammar' },
  { name: 'SGLang ebnf (completions)', path: '/v1/completions', body: { prompt: 'p', ebnf: GBNF }, grammar: parseGbnf(GBNF), field: 'ebnf' },
  { name: 'SGLang regex (chat)', path: '/v1/chat/completions', body: { ...chat('code'), regex: REGEX }, grammar: grammarFromRegex(REGEX), field: 'regex' },
  { name: 'SGLang json_schema as JSON text (chat)', path: '/v1/chat/completions', body: { ...chat('json'), json_schema: JSON.stringify(SCHEMA) }, grammar: compileJsonSchema(SCHEMA), field: 'json_schema' },
  { name: 'llama.cpp grammar, GBNF (completions)', path: '/v1/completions', body: { prompt: 'p', grammar: GBNF }, grammar: parseGbnf(GBNF), field: 'grammar' },
  { name: 'llama.cpp grammar, %llguidance Lark (chat)', path: '/v1/chat/completions', body: { ...chat('let'), grammar: LARK }, grammar: parseLark(LARK), field: 'grammar' },
  { name: 'llama.cpp json_schema (completions)', path: '/v1/completions', body: { prompt: 'p', json_schema: SCHEMA }, grammar: compileJsonSchema(SCHEMA), field: 'json_schema' },
  { name: 'OpenAI response_format json_schema, strict (chat)', path: '/v1/chat/completions', body: { ...chat('json'), response_format: { type: 'json_schema', json_schema: { name: 'thing', schema: SCHEMA, strict: true } } }, grammar: compileJsonSchema(SCHEMA), field: 'response_format.json_schema.schema' },
  { name: 'OpenAI response_format json_object (chat)', path: '/v1/chat/completions', body: { ...chat('json'), response_format: { type: 'json_object' } }, grammar: compileJsonSchema({ type: 'object' }), field: 'response_format.type' },
  { name: 'ananke.ir (completions)', path: '/v1/completions', body: { prompt: 'p', ananke: { ir: { version: 1, grammar: LARK } } }, grammar: parseLark(LARK), field: 'ananke' },
];

for (const [i, c] of CASES.entries()) {
  test(`${c.name}: enforced, and the engine accepts what came back`, async () => {
    const r = await h.post(c.path, { ...c.body, seed: i + 1, max_tokens: 48, temperature: 0.9 });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const choice = r.json.choices[0];
    const text: string = c.path === '/v1/completions' ? choice.text : choice.message.content;
    assert.ok(['stop', 'length'].includes(choice.finish_reason));
    assert.ok(enforced(c.grammar, text, choice.finish_reason), `${JSON.stringify(text)} (${choice.finish_reason}) is not in the grammar of ${c.field}`);
    assert.equal(r.json.ananke.constraint, c.field);
    if (choice.finish_reason === 'stop') assert.equal(r.json.ananke.grammar_accepted, true);
    assert.equal(r.json.usage.completion_tokens + r.json.usage.prompt_tokens, r.json.usage.total_tokens);
    assert.ok(r.json.usage.completion_tokens <= 48);
  });
}

test('the fields are not decoration: the same request without the field writes text outside the grammar, with it inside', async () => {
  const base = { prompt: 'Order number:', seed: 11, max_tokens: 12, temperature: 1 };
  const free = await h.post('/v1/completions', base);
  const held = await h.post('/v1/completions', { ...base, guided_regex: REGEX });
  const g = grammarFromRegex(REGEX);
  assert.equal(free.json.ananke.constraint, null);
  assert.equal(isPrefix(g, free.json.choices[0].text), false, free.json.choices[0].text);
  assert.equal(held.json.choices[0].finish_reason, 'stop');
  assert.ok(accepts(g, held.json.choices[0].text), held.json.choices[0].text);
});

test('a JSON schema output parses and has the schema\'s shape when it ended', async () => {
  let ended = 0;
  for (const seed of [1, 2, 3]) {
    const r = await h.post('/v1/chat/completions', { ...chat('json'), response_format: { type: 'json_schema', json_schema: { name: 't', schema: SCHEMA } }, seed, max_tokens: 96 });
    const m = r.json.choices[0];
    if (m.finish_reason !== 'stop') continue;
    ended++;
    const v = JSON.parse(m.message.content);
    assert.ok(Number.isInteger(v.id) && ['a', 'b'].includes(v.tag) && Object.keys(v).length === 2, m.message.content);
  }
  assert.ok(ended > 0, 'at least one of three ended within 96 tokens');
});

test('chat: the prompt is the ChatML rendering of the messages (the test model\'s template)', async () => {
  const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello there' }];
  const r = await h.post('/v1/chat/completions', { messages, max_tokens: 4, seed: 1 });
  assert.equal(r.status, 200);
  const expected = '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n';
  assert.equal(r.json.usage.prompt_tokens, h.model.promptTokens(expected).length);
  // A final assistant message is continued, not closed.
  const pre = await h.post('/v1/chat/completions', { messages: [...messages, { role: 'assistant', content: 'Sure' }], max_tokens: 4, seed: 1 });
  assert.equal(pre.json.usage.prompt_tokens, h.model.promptTokens(`${expected}Sure`).length);
});

test('chat streaming: server-sent events, a role first, deltas that add up to an output in the grammar, a finish, usage, [DONE]', async () => {
  const body = { ...chat('digits'), guided_grammar: GBNF, seed: 5, max_tokens: 32, stream: true, stream_options: { include_usage: true } };
  const s = await h.stream('/v1/chat/completions', body);
  assert.equal(s.status, 200);
  assert.equal(s.events.at(-1), '[DONE]');
  const chunks = s.events.slice(0, -1);
  assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
  assert.ok(chunks.every((c: any) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id));
  const usage = chunks.at(-1);
  assert.deepEqual(usage.choices, []);
  const finish = chunks.at(-2);
  assert.ok(['stop', 'length'].includes(finish.choices[0].finish_reason));
  assert.equal(finish.ananke.constraint, 'guided_grammar');
  const text = chunks.slice(1, -2).map((c: any) => c.choices[0].delta.content).join('');
  assert.ok(enforced(parseGbnf(GBNF), text, finish.choices[0].finish_reason), text);
  // The same request without streaming writes the same text (same seed, same masks).
  const whole = await h.post('/v1/chat/completions', { ...body, stream: false, stream_options: undefined });
  assert.equal(whole.json.choices[0].message.content, text);
  assert.equal(usage.usage.completion_tokens, whole.json.usage.completion_tokens);
});

test('completions streaming: text chunks, then the finish', async () => {
  const s = await h.stream('/v1/completions', { prompt: 'x', guided_regex: REGEX, seed: 2, max_tokens: 16, stream: true });
  assert.equal(s.status, 200);
  assert.equal(s.events.at(-1), '[DONE]');
  const chunks = s.events.slice(0, -1);
  assert.ok(chunks.every((c: any) => c.object === 'text_completion'));
  const text = chunks.map((c: any) => c.choices[0].text).join('');
  assert.ok(enforced(grammarFromRegex(REGEX), text, chunks.at(-1).choices[0].finish_reason), text);
});

test('upstream POST /generate: the Rust client\'s body and compiled constraints; the answer both clients read', async () => {
  const r = await h.post('/generate', {
    prompt: 'a user record', max_tokens: 64, temperature: 0.7, model: 'meta-llama/Llama-3.1-8B-Instruct',
    constraints: { type: 'object', properties: {}, constraints: [{ type: 'regex', pattern: REGEX, flags: '' }] },
    context: { current_file: 'src/user.rs', language: 'rust', project_root: '/nowhere', metadata: { k: 1 } },
  });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const b = r.json;
  assert.equal(typeof b.generated_text, 'string');
  assert.ok(enforced(grammarFromRegex(REGEX), b.generated_text, b.finish_reason));
  assert.equal(b.model, h.server.modelName, 'the answer names the model that served it');
  for (const k of ['total_time_ms', 'time_per_token_us', 'constraint_checks', 'avg_constraint_check_us']) assert.ok(Number.isInteger(b.stats[k]) && b.stats[k] >= 0, k);
  assert.ok(Number.isInteger(b.tokens_generated));
  assert.equal(b.constraint_satisfied, b.finish_reason === 'stop');
  // The inference service's shape, with a request id it echoes.
  const s = await h.post('/generate', { prompt: 'x', constraints: { json_schema: SCHEMA }, max_tokens: 96, temperature: 0.7, request_id: 'abc' });
  assert.equal(s.status, 200);
  assert.equal(s.json.metadata.request_id, 'abc');
  assert.ok(enforced(compileJsonSchema(SCHEMA), s.json.generated_text, s.json.finish_reason));
});

test('the ananke field compiles constraints for a target, with context files given inline (their paths are never read)', async () => {
  const text = Array.from({ length: 24 }, (_, i) => `def scale_value_${i}(input_value):\n    scaled_value = input_value * ${i}\n    return scaled_value\n`).join('\n');
  const r = await h.post('/v1/completions', {
    prompt: '# helpers\n', max_tokens: 40, seed: 3,
    ananke: {
      target: 'module:python', min_examples: 1,
      // A path that exists nowhere: only the text is used.
      context: [{ path: '/nonexistent/ananke-serve-test/lib/scale.py', text }],
      constraints: [{ id: 'no-eval', severity: 'error', rule: { type: 'forbidden_calls', calls: ['eval'] } }],
    },
  });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const out: string = r.json.choices[0].text;
  assert.ok(enforced(loadProgramGrammar('python'), out, r.json.choices[0].finish_reason), out);
  assert.ok(!/\beval\s*\(/.test(out));
  const json = await h.post('/v1/completions', { prompt: 'p', max_tokens: 64, seed: 1, ananke: { target: 'json', schema: SCHEMA } });
  assert.equal(json.status, 200, JSON.stringify(json.json));
  assert.ok(enforced(compileJsonSchema(SCHEMA), json.json.choices[0].text, json.json.choices[0].finish_reason));
  const inFile = await h.post('/v1/completions', { prompt: 'p', ananke: { target: 'body:/etc/passwd:root' } });
  assert.equal(inFile.status, 400);
  assert.match(inFile.json.error.message, /does not read/);
  const badIr = await h.post('/v1/completions', { prompt: 'p', ananke: { ir: { version: 2, grammar: 'start: "a"' } } });
  assert.equal(badIr.status, 400);
  assert.equal(badIr.json.error.param, 'ananke.ir.version');
  // Soft biases from a request run as automata: a lookaround is a 400 naming the field, a backtracking bomb is served.
  const look = await h.post('/v1/completions', { prompt: 'p', ananke: { ir: { version: 1, grammar: LARK, softBiases: [{ pattern: 'a(?=b)', weight: 1 }] } } });
  assert.equal(look.status, 400);
  assert.equal(look.json.error.param, 'ananke.ir.softBiases[0].pattern');
  const bomb = await h.post('/v1/completions', { prompt: 'p', max_tokens: 8, ananke: { ir: { version: 1, grammar: LARK, softBiases: [{ pattern: '^(=+)+x$', weight: 2, constraintId: 'b' }] } } });
  assert.equal(bomb.status, 200, JSON.stringify(bomb.json));
});

test('no request makes the server read a file or fetch a URL: %import, $ref to http: and file:, refused without a fetch', async () => {
  let hits = 0;
  const spy = http.createServer((_req, res) => { hits++; res.end('{"type":"integer"}'); });
  await new Promise<void>((r) => spy.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(spy.address() as AddressInfo).port}/schema.json`;
  try {
    for (const body of [
      { guided_json: { $ref: url } },
      { json_schema: { type: 'object', properties: { a: { $ref: url } } } },
      { guided_json: { $ref: 'file:///etc/passwd' } },
      { grammar: '%llguidance {}\n%import secrets.KEY\nstart: KEY' },
      { grammar: '%llguidance {}\n%import ../../etc/passwd (X)\nstart: X' },
    ]) {
      const r = await h.post('/v1/completions', { prompt: 'p', max_tokens: 4, ...body });
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(r.json)}`);
      assert.equal(r.json.error.type, 'invalid_request_error');
    }
    assert.equal(hits, 0);
  } finally {
    spy.close();
  }
});

test('hostile and broken grammars are 400s with the reason, and the server goes on serving', async () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ guided_grammar: `root ::= ${'('.repeat(3000)}"a"${')'.repeat(3000)}` }, /nest|deep/i],
    [{ guided_regex: '((a{1000}){1000}){1000}' }, /limit|large/i],
    [{ grammar: `%llguidance {}\nstart: ${'('.repeat(3000)}"a"${')'.repeat(3000)}` }, /nest|deep/i],
    [{ ebnf: 'root ::= undefined-rule' }, /undefined rule/],
    [{ structured_outputs: { grammar: 'start: "unterminated' } }, /unterminated/],
    [{ guided_regex: '(?=lookahead)' }, /regex/i],
    [{ guided_json: { not: {} } }, /admits no text/],
    [{ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', nullable: true }, strict: true } } }, /nullable/],
  ];
  for (const [body, why] of cases) {
    const r = await h.post('/v1/completions', { prompt: 'p', max_tokens: 4, ...body });
    assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
    assert.match(r.json.error.message, why);
    assert.equal(r.json.error.param, Object.keys(body)[0] === 'structured_outputs' ? 'structured_outputs.grammar' : Object.keys(body)[0] === 'response_format' ? 'response_format.json_schema.schema' : Object.keys(body)[0]);
  }
  const ok = await h.post('/v1/completions', { prompt: 'p', max_tokens: 4, guided_choice: ['fine'] });
  assert.equal(ok.json.choices[0].text, 'fine');
});

test('unknown and conflicting fields, a wrong model, a prompt over the context window: 4xx naming the cause', async () => {
  const unknown = await h.post('/v1/chat/completions', { ...chat('x'), guided_jsonn: {} });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.error.code, 'unknown_field');
  assert.equal(unknown.json.error.param, 'guided_jsonn');
  const both = await h.post('/v1/chat/completions', { ...chat('x'), guided_regex: 'a', response_format: { type: 'json_object' } });
  assert.equal(both.status, 400);
  assert.equal(both.json.error.code, 'conflicting_constraints');
  assert.match(both.json.error.message, /guided_regex and response_format/);
  const model = await h.post('/v1/completions', { prompt: 'p', model: 'gpt-4o' });
  assert.equal(model.status, 404);
  assert.equal(model.json.error.code, 'model_not_found');
  assert.equal((await h.post('/v1/completions', { prompt: 'p', model: h.server.modelName, max_tokens: 2 })).status, 200);
  const long = await h.post('/v1/completions', { prompt: 'hello '.repeat(5000), max_tokens: 2 });
  assert.equal(long.status, 400);
  assert.equal(long.json.error.code, 'context_length_exceeded');
  const notJson = await h.post('/v1/completions', '{"prompt": ');
  assert.equal(notJson.status, 400);
  assert.equal(notJson.json.error.code, 'invalid_json');
});

test('GET /v1/models and /health; unknown routes 404, wrong methods 405', async () => {
  const models = await (await fetch(`${h.server.url}/v1/models`)).json() as any;
  assert.deepEqual(models.data.map((m: any) => m.id), [h.server.modelName]);
  assert.equal(models.data[0].max_model_len, h.model.contextSize);
  const health = await (await fetch(`${h.server.url}/health`)).json() as any;
  assert.equal(health.status, 'ok');
  assert.equal(health.parallel, 2);
  assert.equal((await fetch(`${h.server.url}/v1/embeddings`, { method: 'POST' })).status, 404);
  const get = await fetch(`${h.server.url}/v1/completions`);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
});
