/**
 * The request each server receives from the `openai` backend, over real HTTP on loopback, checked
 * field by field against that server's documentation (vLLM and SGLang need a GPU, so a stand-in
 * records the request; the stand-in also reads the grammar it got with the engine and answers with
 * a text that grammar accepts, as the real server's decoding would). Documentation followed:
 *
 * - OpenAI Completions API (the sampling fields every server here takes):
 *   https://platform.openai.com/docs/api-reference/completions/create
 * - vLLM, "Structured Outputs", Online Serving (OpenAI API): extra parameters
 *   `structured_outputs: {grammar | json | regex | choice}`; the guided_* fields were removed in
 *   v0.12.0: https://docs.vllm.ai/en/latest/features/structured_outputs/
 *   (before 0.10.2: `guided_grammar`, `guided_json`: https://docs.vllm.ai/en/v0.8.5/features/structured_outputs.html)
 * - SGLang, "Structured Outputs", OpenAI Compatible API: `extra_body={"ebnf": …}`, "Only one
 *   constraint parameter (json_schema, regex, or ebnf) can be specified for a request", XGrammar
 *   (default) reads GGML BNF: https://docs.sglang.io/docs/advanced_features/structured_outputs ;
 *   CompletionRequest types `json_schema` as `Optional[str]`
 *   (python/sglang/srt/entrypoints/openai/protocol.py).
 * - llama.cpp server README, POST /v1/completions ("llama.cpp /completion-specific features … are
 *   supported") and the /completion options `grammar` (GBNF) and `json_schema` (a schema object):
 *   https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md ; with LLGuidance,
 *   "grammars starting with %llguidance are passed to LLGuidance":
 *   https://github.com/ggml-org/llama.cpp/blob/master/docs/llguidance.md
 * - `ananke serve` (docs/serve.md): the `ananke` field, `{ ir }` a ConstraintIR enforced as it is.
 * - OpenAI Chat Completions: `response_format: {type: "json_schema", json_schema: {name, schema,
 *   strict}}` (name: a-z, A-Z, 0-9, _ and -, at most 64), `max_completion_tokens`:
 *   https://platform.openai.com/docs/api-reference/chat/create
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAICompatibleBackend, type GrammarFormat, type ServerKind } from '../../src/maze/index.ts';
import { byteTokenizer, compile, parseGbnf, parseLark } from '../../src/engine/index.ts';
import { AnankeError, type ConstraintIR } from '../../src/core/index.ts';
import { completionAnswer, startLoopbackServer, type ReceivedRequest, type Reply } from '../helpers/loopback-server.ts';
import { functionIr, GOOD_BODY, HEAD, jsonIr, SCHEMA } from './fixtures-ir.ts';

const SAMPLING = { prompt: `write add\n\n${HEAD}`, maxTokens: 64, temperature: 0.2, topP: 0.9, seed: 7 };

/** The OpenAI Completions fields Ananke sends, with the types the API reference gives them. */
function checkCompletionFields(b: Record<string, unknown>): void {
  assert.equal(b['model'], 'served-model');
  assert.equal(b['prompt'], SAMPLING.prompt);
  assert.equal(b['max_tokens'], 64);
  assert.equal(b['temperature'], 0.2);
  assert.equal(b['top_p'], 0.9);
  assert.equal(b['seed'], 7);
  assert.equal(b['stream'], false);
}

function checkPost(r: ReceivedRequest, path: string): Record<string, unknown> {
  assert.equal(r.method, 'POST');
  assert.equal(r.path, path);
  assert.match(String(r.headers['content-type']), /^application\/json/);
  assert.ok(r.body !== null && typeof r.body === 'object', 'a JSON object body');
  return r.body as Record<string, unknown>;
}

function onlyKeys(b: Record<string, unknown>, allowed: string[]): void {
  const extra = Object.keys(b).filter((k) => !allowed.includes(k));
  assert.deepEqual(extra, [], `fields the documentation does not list: ${extra.join(', ')}`);
}

/** The grammar a server got, read as that server reads it, must accept the body and not the head. */
function checkGrammar(text: string, format: GrammarFormat): void {
  const g = format === 'lark' ? parseLark(text) : parseGbnf(text);
  const cg = compile(g, byteTokenizer());
  assert.equal(cg.check(GOOD_BODY).accepted, true, 'the generated part is accepted');
  assert.equal(cg.check(HEAD + GOOD_BODY).accepted, false, 'the head is already in the prompt: the server must not generate it again');
}

const COMPLETION_FIELDS = ['model', 'prompt', 'max_tokens', 'temperature', 'top_p', 'seed', 'stream'];

interface Case {
  server: ServerKind;
  grammarFormat?: GrammarFormat;
  /** Checks the request and returns the answer the server would give. */
  check: (b: Record<string, unknown>) => string;
}

const grammarCases: Case[] = [
  {
    server: 'vllm',
    check: (b) => {
      onlyKeys(b, [...COMPLETION_FIELDS, 'structured_outputs']);
      const so = b['structured_outputs'] as Record<string, unknown>;
      assert.deepEqual(Object.keys(so), ['grammar']);
      const grammar = so['grammar'] as string;
      // llguidance reads Lark; Ananke's own options (word boundary, gap markers) are not in it.
      assert.match(grammar, /^%llguidance \{/);
      assert.doesNotMatch(grammar.split('\n')[0]!, /word_boundary|gap|indentation|lexeme_fallback/);
      checkGrammar(grammar, 'lark');
      return GOOD_BODY;
    },
  },
  {
    server: 'vllm-legacy',
    check: (b) => {
      onlyKeys(b, [...COMPLETION_FIELDS, 'guided_grammar']);
      checkGrammar(b['guided_grammar'] as string, 'lark');
      return GOOD_BODY;
    },
  },
  {
    server: 'sglang',
    check: (b) => {
      onlyKeys(b, [...COMPLETION_FIELDS, 'ebnf']);
      assert.equal(['json_schema', 'regex', 'ebnf'].filter((k) => k in b).length, 1, 'one constraint parameter');
      const ebnf = b['ebnf'] as string;
      assert.match(ebnf, /^root ::= /m, 'GGML BNF starts at root');
      checkGrammar(ebnf, 'gbnf');
      return GOOD_BODY;
    },
  },
  {
    server: 'sglang',
    grammarFormat: 'lark',
    check: (b) => {
      // For --grammar-backend llguidance, which reads Lark through the same field.
      onlyKeys(b, [...COMPLETION_FIELDS, 'ebnf']);
      checkGrammar(b['ebnf'] as string, 'lark');
      return GOOD_BODY;
    },
  },
  {
    server: 'llamacpp',
    check: (b) => {
      onlyKeys(b, [...COMPLETION_FIELDS, 'grammar']);
      assert.doesNotMatch(b['grammar'] as string, /^%llguidance/, 'a stock build reads GBNF');
      checkGrammar(b['grammar'] as string, 'gbnf');
      return GOOD_BODY;
    },
  },
  {
    server: 'llamacpp',
    grammarFormat: 'lark',
    check: (b) => {
      onlyKeys(b, [...COMPLETION_FIELDS, 'grammar']);
      assert.match(b['grammar'] as string, /^%llguidance/, 'an LLGuidance build reads Lark only after %llguidance');
      checkGrammar(b['grammar'] as string, 'lark');
      return GOOD_BODY;
    },
  },
];

const servers: Array<{ close(): Promise<void> }> = [];
after(async () => { for (const s of servers) await s.close(); });

async function standIn(check: (r: ReceivedRequest) => Reply) {
  const s = await startLoopbackServer(check);
  servers.push(s);
  return s;
}

for (const c of grammarCases) {
  test(`${c.server}${c.grammarFormat ? ` (--grammar-format ${c.grammarFormat})` : ''}: a function target's request as documented, its answer checked again`, async () => {
    const s = await standIn((r) => {
      const b = checkPost(r, '/v1/completions');
      checkCompletionFields(b);
      return { body: completionAnswer(c.check(b), { completionTokens: 9 }) };
    });
    const backend = new OpenAICompatibleBackend({ endpoint: `${s.url}/v1`, server: c.server, model: 'served-model', grammarFormat: c.grammarFormat });
    const r = await backend.generate({ ir: functionIr(), ...SAMPLING });
    assert.equal(s.received.length, 1);
    assert.equal(r.text, GOOD_BODY);
    assert.equal(r.grammarAccepted, true, JSON.stringify(r.remote));
    assert.equal(r.stop, 'eos');
    assert.equal(r.stats.tokens, 9);
    assert.equal(r.remote?.constraint, 'grammar');
    assert.equal(r.remote?.grammarFormat, c.grammarFormat ?? (c.server === 'sglang' || c.server === 'llamacpp' ? 'gbnf' : 'lark'));
  });
}

test('ananke serve is sent the ConstraintIR itself (`ananke: { ir }`), so a fim range goes too', async () => {
  const fim: ConstraintIR = { ...functionIr(), target: { kind: 'fim', file: 'src/add.ts', start: { line: 2, column: 3 }, end: { line: 2, column: 16 } }, prefix: `${HEAD} {\n  `, suffix: '\n}' };
  const s = await standIn((r) => {
    const b = checkPost(r, '/v1/completions');
    checkCompletionFields(b);
    onlyKeys(b, [...COMPLETION_FIELDS, 'ananke']);
    assert.deepEqual(b['ananke'], { ir: JSON.parse(JSON.stringify(fim)) });
    return { body: completionAnswer('return a + b;') };
  });
  const backend = new OpenAICompatibleBackend({ endpoint: s.url, server: 'ananke', model: 'served-model' });
  const r = await backend.generate({ ir: fim, ...SAMPLING });
  assert.equal(r.grammarAccepted, true, 'prefix + text + suffix read by the IR grammar');
  assert.equal(r.remote?.constraint, 'constraint_ir');
  assert.throws(() => new OpenAICompatibleBackend({ endpoint: s.url, server: 'ananke', grammarFormat: 'gbnf' }), /no effect with --server ananke/);
});

const jsonCases: Array<{ server: ServerKind; path: string; check: (b: Record<string, unknown>, r: ReceivedRequest) => void }> = [
  {
    server: 'vllm', path: '/v1/completions',
    check: (b) => {
      onlyKeys(b, [...COMPLETION_FIELDS, 'structured_outputs']);
      assert.deepEqual(b['structured_outputs'], { json: SCHEMA });
    },
  },
  {
    server: 'vllm-legacy', path: '/v1/completions',
    check: (b) => {
      onlyKeys(b, [...COMPLETION_FIELDS, 'guided_json']);
      assert.deepEqual(b['guided_json'], SCHEMA);
    },
  },
  {
    server: 'sglang', path: '/v1/completions',
    check: (b) => {
      onlyKeys(b, [...COMPLETION_FIELDS, 'json_schema']);
      assert.equal(typeof b['json_schema'], 'string', 'CompletionRequest.json_schema is a string');
      assert.deepEqual(JSON.parse(b['json_schema'] as string), SCHEMA);
    },
  },
  {
    server: 'llamacpp', path: '/v1/completions',
    check: (b) => {
      onlyKeys(b, [...COMPLETION_FIELDS, 'json_schema']);
      assert.deepEqual(b['json_schema'], SCHEMA);
    },
  },
  {
    server: 'openai', path: '/v1/chat/completions',
    check: (b, r) => {
      onlyKeys(b, ['model', 'messages', 'max_completion_tokens', 'temperature', 'top_p', 'seed', 'stream', 'response_format']);
      assert.equal(b['model'], 'served-model');
      assert.deepEqual(b['messages'], [{ role: 'user', content: SAMPLING.prompt }]);
      assert.equal(b['max_completion_tokens'], 64);
      assert.equal(b['temperature'], 0.2);
      assert.equal(b['top_p'], 0.9);
      assert.equal(b['seed'], 7);
      const rf = b['response_format'] as { type: string; json_schema: { name: string; schema: unknown; strict: boolean } };
      assert.equal(rf.type, 'json_schema');
      assert.match(rf.json_schema.name, /^[A-Za-z0-9_-]{1,64}$/);
      assert.deepEqual(rf.json_schema.schema, SCHEMA);
      assert.equal(rf.json_schema.strict, true);
      assert.equal(r.headers['authorization'], 'Bearer sk-test');
    },
  },
];

for (const c of jsonCases) {
  test(`${c.server}: a json target goes as the JSON Schema in the documented field`, async () => {
    const s = await standIn((r) => {
      const b = checkPost(r, c.path);
      c.check(b, r);
      const text = '{"n": 3}';
      return {
        body: c.server === 'openai'
          ? { id: 'chatcmpl-1', object: 'chat.completion', model: 'served-model', choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 } }
          : completionAnswer(text, { completionTokens: 6 }),
      };
    });
    const backend = new OpenAICompatibleBackend({ endpoint: s.url, server: c.server, model: 'served-model', apiKey: 'sk-test' });
    const r = await backend.generate({ ir: jsonIr(), ...SAMPLING });
    assert.equal(r.text, '{"n": 3}');
    assert.equal(r.grammarAccepted, true);
    assert.equal(r.remote?.constraint, 'json_schema');
    assert.equal(r.stats.tokens, 6);
  });
}

test('the OpenAI API takes no grammar: a code target is refused before any request (UNSUPPORTED, exit 6)', async () => {
  const s = await standIn(() => ({ body: completionAnswer('x') }));
  const backend = new OpenAICompatibleBackend({ endpoint: s.url, server: 'openai', model: 'gpt-test' });
  await assert.rejects(backend.generate({ ir: functionIr(), ...SAMPLING }), (e: unknown) => e instanceof AnankeError && e.code === 'UNSUPPORTED' && e.exitCode === 6 && /json: targets/.test(e.message));
  assert.equal(s.received.length, 0);
  assert.throws(() => new OpenAICompatibleBackend({ endpoint: s.url, server: 'openai' }), /needs --model/);
});

test('without a model name, the first model of GET /v1/models is used (as vLLM\'s examples do)', async () => {
  const s = await standIn((r) => {
    if (r.method === 'GET') {
      assert.equal(r.path, '/v1/models');
      return { body: { object: 'list', data: [{ id: 'Qwen/Qwen2.5-Coder-1.5B', object: 'model' }, { id: 'other', object: 'model' }] } };
    }
    const b = checkPost(r, '/v1/completions');
    assert.equal(b['model'], 'Qwen/Qwen2.5-Coder-1.5B');
    return { body: completionAnswer('{"n": 1}', { model: 'Qwen/Qwen2.5-Coder-1.5B' }) };
  });
  const backend = new OpenAICompatibleBackend({ endpoint: s.url, server: 'vllm' });
  const r = await backend.generate({ ir: jsonIr(), ...SAMPLING });
  assert.equal(r.remote?.model, 'Qwen/Qwen2.5-Coder-1.5B');
  assert.deepEqual(s.received.map((x) => x.method), ['GET', 'POST']);
  // Resolved once: a second generation asks only for the completion.
  await backend.generate({ ir: jsonIr(), ...SAMPLING });
  assert.deepEqual(s.received.map((x) => x.method), ['GET', 'POST', 'POST']);
});

// The sampling fields beyond temperature/top_p/seed, per server, under the names each documents:
// - vLLM SamplingParams (https://docs.vllm.ai/en/latest/api/vllm/sampling_params/): top_k ("-1 or 0
//   … consider all tokens"), stop (list of str), seed, presence_penalty, frequency_penalty.
// - SGLang sampling parameters (https://docs.sglang.io/basic_usage/sampling_params.html): top_k
//   (-1: all tokens; its check refuses 0), stop, seed, presence_penalty, frequency_penalty.
// - llama.cpp server README, /completion options (which /v1/completions takes): top_k (0 off),
//   stop (an array), seed, presence_penalty, frequency_penalty.
// - OpenAI Chat Completions: stop (up to 4), seed, presence_penalty, frequency_penalty; no top_k.
const EXTRA = { ...SAMPLING, topK: 0, stop: ['\n\n', '//'], penalties: { presence: 0.5, frequency: -0.25 } };
const extraCases: Array<{ server: ServerKind; topK: number | undefined; path: string }> = [
  { server: 'vllm', topK: -1, path: '/v1/completions' },
  { server: 'vllm-legacy', topK: -1, path: '/v1/completions' },
  { server: 'sglang', topK: -1, path: '/v1/completions' },
  { server: 'llamacpp', topK: 0, path: '/v1/completions' },
  { server: 'ananke', topK: 0, path: '/v1/completions' },
  { server: 'openai', topK: undefined, path: '/v1/chat/completions' },
];
for (const c of extraCases) {
  test(`${c.server}: top_k, stop, presence_penalty, frequency_penalty as documented${c.topK === undefined ? ' (no top_k: not sent, and said so)' : ''}`, async () => {
    const s = await standIn((r) => {
      const b = checkPost(r, c.path);
      assert.equal(b['top_k'], c.topK);
      assert.equal('top_k' in b, c.topK !== undefined);
      assert.deepEqual(b['stop'], ['\n\n', '//']);
      assert.equal(b['presence_penalty'], 0.5);
      assert.equal(b['frequency_penalty'], -0.25);
      assert.equal(b['seed'], 7);
      const text = '{"n": 3}';
      return {
        body: c.server === 'openai'
          ? { choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: { completion_tokens: 6 } }
          : completionAnswer(text, { completionTokens: 6 }),
      };
    });
    const r = await new OpenAICompatibleBackend({ endpoint: s.url, server: c.server, model: 'served-model' }).generate({ ir: jsonIr(), ...EXTRA });
    assert.equal(r.grammarAccepted, true);
    assert.deepEqual(r.remote?.notSent, c.topK === undefined ? ['top_k (the OpenAI API has no top-k)'] : undefined);
  });
}

test('a top_k other than off goes as it is; the OpenAI API takes at most 4 stop strings (USAGE before any request)', async () => {
  const s = await standIn((r) => {
    assert.equal((r.body as Record<string, unknown>)['top_k'], 20);
    return { body: completionAnswer('{"n": 1}') };
  });
  await new OpenAICompatibleBackend({ endpoint: s.url, server: 'sglang', model: 'm' }).generate({ ir: jsonIr(), ...SAMPLING, topK: 20 });
  const o = await standIn(() => ({ body: {} }));
  await assert.rejects(new OpenAICompatibleBackend({ endpoint: o.url, server: 'openai', model: 'm' }).generate({ ir: jsonIr(), ...SAMPLING, stop: ['a', 'b', 'c', 'd', 'e'] }), (e: unknown) => e instanceof AnankeError && e.code === 'USAGE' && /at most 4 stop strings/.test(e.message));
  assert.equal(o.received.length, 0);
});
