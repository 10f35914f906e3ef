/**
 * The `modal` backend's `POST /generate` protocol over real HTTP on loopback, checked against what
 * its two servers read: the upstream Ananke Modal service (github.com/rand/ananke,
 * maze/modal_inference/inference.py: `constraints: { json_schema?, grammar?, regex_patterns?,
 * token_mask? }`, `top_p`, an answer with `model_name`, `finish_reason`, `metadata`) and its Rust
 * client (maze/src/modal_client.rs: `{ prompt, constraints, max_tokens, temperature, model, context }`
 * → `{ generated_text, tokens_generated, model, stats }`, `context` a GenerationContext
 * `{ current_file, language, project_root, metadata }`), which `ananke serve` also accepts
 * (docs/serve.md). The text is checked again by the engine; retries and errors as for every server.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { AnankeError } from '../../src/core/index.ts';
import { ModalBackend } from '../../src/maze/index.ts';
import { byteTokenizer, compile, parseLark } from '../../src/engine/index.ts';
import { startLoopbackServer, type ReceivedRequest, type Reply } from '../helpers/loopback-server.ts';
import { functionIr, GOOD_BODY, HEAD, jsonIr, SCHEMA } from './fixtures-ir.ts';

const servers: Array<{ close(): Promise<void> }> = [];
after(async () => { for (const s of servers) await s.close(); });

async function serve(handler: (r: ReceivedRequest, n: number) => Reply) {
  const s = await startLoopbackServer(handler);
  servers.push(s);
  return s;
}

const REQ = { prompt: `write add\n\n${HEAD}`, maxTokens: 48, temperature: 0.3 };

test('POST /generate: the prompt, the generated part\'s grammar (Lark), the budget, the model and the target; the answer checked again', async () => {
  const s = await serve((r) => {
    assert.equal(r.method, 'POST');
    assert.equal(r.path, '/generate');
    const b = r.body as Record<string, unknown>;
    assert.deepEqual(Object.keys(b).sort(), ['constraints', 'context', 'max_tokens', 'model', 'prompt', 'seed', 'temperature', 'top_p']);
    assert.equal(b['prompt'], REQ.prompt);
    const c = b['constraints'] as { grammar: string };
    assert.deepEqual(Object.keys(c), ['grammar'], 'one of the service\'s constraint fields');
    assert.match(c.grammar, /^%llguidance/, 'Lark, as vLLM\'s guidance backend reads it');
    const g = compile(parseLark(c.grammar), byteTokenizer());
    assert.equal(g.check(GOOD_BODY).accepted, true);
    assert.equal(g.check(HEAD + GOOD_BODY).accepted, false, 'the prompt already ends with the head');
    assert.equal(b['max_tokens'], 48);
    assert.equal(b['temperature'], 0.3);
    assert.equal(b['top_p'], 0.9);
    assert.equal(b['seed'], 4);
    assert.equal(b['model'], 'qwen-coder');
    assert.deepEqual(b['context'], { language: 'typescript', current_file: 'src/add.ts', metadata: { target: 'new:src/add.ts:1' } });
    assert.equal(r.headers['authorization'], 'Bearer modal-key');
    // The Rust client's answer shape.
    return { body: { generated_text: GOOD_BODY, tokens_generated: 11, model: 'qwen-coder@rev2', stats: { total_time_ms: 812, time_per_token_us: 70, constraint_checks: 11, avg_constraint_check_us: 20 } } };
  });
  const r = await new ModalBackend({ endpoint: s.url, model: 'qwen-coder', apiKey: 'modal-key' }).generate({ ir: functionIr(), ...REQ, topP: 0.9, seed: 4 });
  assert.equal(r.text, GOOD_BODY);
  assert.equal(r.grammarAccepted, true);
  assert.equal(r.stop, 'eos');
  assert.equal(r.stats.tokens, 11);
  assert.equal(r.remote?.model, 'qwen-coder@rev2');
  assert.equal(r.remote?.constraint, 'grammar');
  assert.deepEqual((r.remote?.serverStats as { stats: unknown }).stats, { total_time_ms: 812, time_per_token_us: 70, constraint_checks: 11, avg_constraint_check_us: 20 });
});

test('a json target goes as constraints.json_schema; the service\'s own answer shape (model_name, finish_reason) is read', async () => {
  const s = await serve((r) => {
    assert.equal(r.path, '/generate');
    const b = r.body as Record<string, unknown>;
    assert.deepEqual(b['constraints'], { json_schema: SCHEMA });
    assert.equal(b['model'], null);
    assert.equal(b['temperature'], null);
    return { body: { generated_text: '{"n": ', tokens_generated: 3, generation_time_ms: 40, constraint_satisfied: true, model_name: 'Qwen/Qwen2.5-Coder-32B-Instruct', finish_reason: 'length', metadata: { request_id: 'ab12' } } };
  });
  // Completing locally turned off: the text as the service cut it.
  const r = await new ModalBackend({ endpoint: `${s.url}/generate`, localCompletion: { maxBytes: 0 } }).generate({ ir: jsonIr(), prompt: 'a value', maxTokens: 3 });
  assert.equal(r.remote?.model, 'Qwen/Qwen2.5-Coder-32B-Instruct');
  assert.equal(r.grammarAccepted, false);
  assert.equal(r.stop, 'max_tokens', 'finish_reason length');
  assert.equal(r.truncated, true);
  // By default the grammar's shortest completion is appended and the whole checked again.
  const d = await new ModalBackend({ endpoint: `${s.url}/generate` }).generate({ ir: jsonIr(), prompt: 'a value', maxTokens: 3 });
  assert.ok(d.text.startsWith('{"n": ') && d.text.length > 6, d.text);
  assert.equal(d.grammarAccepted, true);
  assert.equal(d.stop, 'forced_end');
  assert.equal(d.truncated, false);
  assert.equal(d.remote?.finishReason, 'length', 'the server\'s own words are kept');
  assert.equal(d.remote?.localCompletion?.text, d.text.slice(6));
  assert.equal(d.stats.completion?.checks, 1);
});

test('answers outside the protocol, and the service\'s 200 with finish_reason "error", are errors; 503 is retried', async () => {
  const isServer = (re: RegExp) => (e: unknown): boolean => e instanceof AnankeError && e.code === 'SERVER' && re.test(e.message);
  const missing = await serve(() => ({ body: { text: 'x' } }));
  await assert.rejects(new ModalBackend({ endpoint: missing.url }).generate({ ir: jsonIr(), ...REQ }), isServer(/generated_text is not a string/));
  const badCount = await serve(() => ({ body: { generated_text: 'x', tokens_generated: -1, model: 'm', stats: {} } }));
  await assert.rejects(new ModalBackend({ endpoint: badCount.url }).generate({ ir: jsonIr(), ...REQ }), isServer(/tokens_generated is not a whole number/));
  const failed = await serve(() => ({ body: { generated_text: '', tokens_generated: 0, model_name: 'm', finish_reason: 'error', metadata: { error: 'CUDA out of memory' } } }));
  await assert.rejects(new ModalBackend({ endpoint: failed.url }).generate({ ir: jsonIr(), ...REQ }), isServer(/reported an error: CUDA out of memory/));
  const flaky = await serve((_r, n) => (n === 1 ? { status: 503, body: 'cold start' } : { body: { generated_text: '{"n": 1}', tokens_generated: 5, model: 'm', stats: {} } }));
  const r = await new ModalBackend({ endpoint: flaky.url, retry: { baseDelayMs: 5, maxDelayMs: 5 } }).generate({ ir: jsonIr(), ...REQ });
  assert.equal(r.remote?.attempts, 2);
  assert.equal(r.grammarAccepted, true);
});
