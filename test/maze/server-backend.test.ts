/**
 * The `openai` backend against real HTTP servers on loopback: retries only where a retry can
 * succeed (503, 429 with Retry-After; never 400), per-attempt timeouts, cancellation, an unreachable
 * endpoint, answers that are not completions, and a server whose text the grammar rejects, which is
 * reported as rejected (with where), never passed off as accepted.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { AnankeError } from '../../src/core/index.ts';
import { OpenAICompatibleBackend } from '../../src/maze/index.ts';
import type { ConstraintIR } from '../../src/core/index.ts';
import { completionAnswer, startLoopbackServer, type ReceivedRequest, type Reply } from '../helpers/loopback-server.ts';
import { functionIr, GOOD_BODY, HEAD, jsonIr } from './fixtures-ir.ts';

const servers: Array<{ close(): Promise<void> }> = [];
after(async () => { for (const s of servers) await s.close(); });

async function serve(handler: (r: ReceivedRequest, n: number) => Reply | Promise<Reply>) {
  const s = await startLoopbackServer(handler);
  servers.push(s);
  return s;
}

const REQ = { prompt: `write add\n\n${HEAD}`, maxTokens: 32 };
const FAST = { baseDelayMs: 5, maxDelayMs: 10 };
const isServerError = (re: RegExp) => (e: unknown): boolean => e instanceof AnankeError && e.code === 'SERVER' && e.exitCode === 7 && re.test(e.message);

function backend(url: string, extra: Partial<ConstructorParameters<typeof OpenAICompatibleBackend>[0]> = {}) {
  return new OpenAICompatibleBackend({ endpoint: url, server: 'vllm', model: 'm', retry: FAST, ...extra });
}

test('503 is retried with backoff until the server answers', async () => {
  const s = await serve((_r, n) => (n < 3 ? { status: 503, body: { error: { message: 'overloaded' } } } : { body: completionAnswer(GOOD_BODY) }));
  const retries: number[] = [];
  const r = await backend(s.url, { onRetry: (e) => retries.push(e.attempt) }).generate({ ir: functionIr(), ...REQ });
  assert.equal(s.received.length, 3);
  assert.deepEqual(retries, [1, 2]);
  assert.equal(r.remote?.attempts, 3);
  assert.equal(r.grammarAccepted, true);
});

test('429 with Retry-After: the next attempt waits as long as the server asked', async () => {
  const at: number[] = [];
  const s = await serve((_r, n) => {
    at.push(performance.now());
    return n === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'rate limited' } } } : { body: completionAnswer('{"n": 2}') };
  });
  const r = await backend(s.url).generate({ ir: jsonIr(), ...REQ });
  assert.equal(r.text, '{"n": 2}');
  assert.equal(s.received.length, 2);
  assert.ok(at[1]! - at[0]! >= 950, `waited ${at[1]! - at[0]!} ms, not the 1 s asked`);
});

test('400 is not retried: the server\'s reason is in the error (SERVER, exit 7)', async () => {
  const s = await serve(() => ({ status: 400, body: { object: 'error', message: 'Grammar error: unknown rule foo', type: 'BadRequestError', code: 400 } }));
  await assert.rejects(backend(s.url).generate({ ir: jsonIr(), ...REQ }), isServerError(/refused the request: 400 Bad Request: Grammar error: unknown rule foo/));
  assert.equal(s.received.length, 1);
  const auth = await serve(() => ({ status: 401, body: { error: { message: 'invalid api key' } } }));
  await assert.rejects(backend(auth.url).generate({ ir: jsonIr(), ...REQ }), isServerError(/401.*invalid api key.*--api-key or ANANKE_API_KEY/));
  assert.equal(auth.received.length, 1);
});

test('a server that keeps failing: bounded attempts, then an error saying so', async () => {
  const s = await serve(() => ({ status: 502, body: 'Bad Gateway' }));
  await assert.rejects(backend(s.url, { retry: { ...FAST, attempts: 2 } }).generate({ ir: jsonIr(), ...REQ }), isServerError(/502.*Bad Gateway \(gave up after 2 attempts\)/));
  assert.equal(s.received.length, 2);
});

test('a slow server: each attempt ends at the timeout, timeouts are retried, then a clear error', async () => {
  const s = await serve(() => ({ delayMs: 3000, body: completionAnswer('{"n": 1}') }));
  const t0 = performance.now();
  await assert.rejects(
    backend(s.url, { timeoutMs: 200, retry: { ...FAST, attempts: 2 } }).generate({ ir: jsonIr(), ...REQ }),
    isServerError(/did not answer within 0\.2 s \(--timeout\) \(gave up after 2 attempts\)/),
  );
  assert.ok(performance.now() - t0 < 2500, 'no attempt waited for the slow answer');
  assert.equal(s.received.length, 2);
});

test('cancellation: the caller\'s signal ends the request at once, reported as aborted (no retry)', async () => {
  const s = await serve(() => ({ delayMs: 5000, body: completionAnswer('{"n": 1}') }));
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  const t0 = performance.now();
  const r = await backend(s.url).generate({ ir: jsonIr(), ...REQ, signal: ac.signal });
  assert.ok(performance.now() - t0 < 2000);
  assert.equal(r.stop, 'aborted');
  assert.equal(r.text, '');
  assert.equal(s.received.length, 1);
});

test('an unreachable endpoint: a clear error at once, no retry (SERVER, exit 7)', async () => {
  const s = await startLoopbackServer(() => ({}));
  const url = s.url;
  await s.close();
  const t0 = performance.now();
  await assert.rejects(backend(url, { retry: { attempts: 4, baseDelayMs: 2000, maxDelayMs: 2000 } }).generate({ ir: jsonIr(), ...REQ }), isServerError(/cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/completions: connection refused/));
  assert.ok(performance.now() - t0 < 1500, 'a refused connection is not retried');
});

test('a redirect is not followed (the key would go elsewhere): an error naming where it points', async () => {
  const s = await serve(() => ({ status: 307, headers: { location: 'https://inference.example/v1/completions' }, body: '' }));
  await assert.rejects(backend(s.url, { apiKey: 'k' }).generate({ ir: jsonIr(), ...REQ }), isServerError(/redirects \(307\) to https:\/\/inference\.example\/v1\/completions/));
  assert.equal(s.received.length, 1);
});

test('bad endpoints and answers that are not completions are errors, not guesses', async () => {
  assert.throws(() => backend('localhost:8000'), (e: unknown) => e instanceof AnankeError && e.code === 'USAGE');
  assert.throws(() => backend('ftp://127.0.0.1/'), /http:\/\/ or https:\/\//);
  assert.throws(() => backend('http://127.0.0.1:1/', { timeoutMs: 0 }), /positive number of seconds/);
  const notJson = await serve(() => ({ body: '<html>proxy login</html>' }));
  await assert.rejects(backend(notJson.url).generate({ ir: jsonIr(), ...REQ }), isServerError(/something other than JSON/));
  const noChoices = await serve(() => ({ body: { object: 'text_completion', choices: [] } }));
  await assert.rejects(backend(noChoices.url).generate({ ir: jsonIr(), ...REQ }), isServerError(/not with a completion: no choices\[0\]/));
  const noText = await serve(() => ({ body: { choices: [{ index: 0, message: { content: 'x' } }] } }));
  await assert.rejects(backend(noText.url).generate({ ir: jsonIr(), ...REQ }), isServerError(/choices\[0\]\.text is not a string/));
});

test('a server whose text breaks the grammar: reported as rejected, with where, the text kept as sent', async () => {
  // An older vLLM ignores structured_outputs (a 200 with unconstrained text): only the recheck sees it.
  const bad = ' {\n  return a +;\n}';
  const s = await serve(() => ({ body: completionAnswer(bad, { finishReason: 'stop' }) }));
  const r = await backend(s.url).generate({ ir: functionIr(), ...REQ });
  assert.equal(r.text, bad);
  assert.equal(r.grammarAccepted, false);
  assert.equal(r.truncated, false);
  assert.equal(r.remote?.rejection?.line, 2, 'the line of the code put together (head + text)');
  assert.match(r.remote?.rejection?.message ?? '', /unexpected ";.*line 2, column 13/);
  const cut = await serve(() => ({ body: completionAnswer(' {\n  return a', { finishReason: 'length', completionTokens: 32 }) }));
  const c = await new OpenAICompatibleBackend({ server: 'vllm', endpoint: cut.url, model: 'm', localCompletion: { maxBytes: 0 } }).generate({ ir: functionIr(), ...REQ });
  assert.equal(c.grammarAccepted, false);
  assert.equal(c.stop, 'max_tokens');
  assert.equal(c.truncated, true, 'cut off by max_tokens, not a wrong answer');
});

test('a fim range inside a whole-file grammar cannot be cut out for a server: refused before any request', async () => {
  const s = await serve(() => ({ body: completionAnswer('x') }));
  const fim: ConstraintIR = { ...functionIr(), target: { kind: 'fim', file: 'a.ts', start: { line: 1, column: 1 }, end: { line: 1, column: 2 } }, prefix: 'const x = ', suffix: ';\n' };
  await assert.rejects(backend(s.url).generate({ ir: fim, ...REQ }), (e: unknown) => e instanceof AnankeError && e.code === 'UNSUPPORTED' && /--server ananke/.test(e.message));
  assert.equal(s.received.length, 0);
});

test('stop strings: a server that ignored them is cut here; vLLM\'s stop_reason names the one it honoured', async () => {
  const ignoring = await serve(() => ({ body: completionAnswer('{"n": 1}\n\nmore text') }));
  const r = await backend(ignoring.url).generate({ ir: jsonIr(), ...REQ, stop: ['\n\n'] });
  assert.equal(r.text, '{"n": 1}');
  assert.equal(r.stop, 'stop_string');
  assert.equal(r.stopString, '\n\n');
  assert.equal(r.grammarAccepted, true);
  const honouring = await serve(() => ({ body: { choices: [{ index: 0, text: '{"n": 12', finish_reason: 'stop', stop_reason: '3' }], usage: { completion_tokens: 4 } } }));
  const h = await backend(honouring.url).generate({ ir: jsonIr(), ...REQ, stop: ['3'] });
  assert.equal(h.stop, 'stop_string');
  assert.equal(h.stopString, '3');
  assert.equal(h.grammarAccepted, false, 'the text before the stop string is not a whole object: said so');
  assert.equal(h.truncated, false);
  assert.ok(h.remote?.rejection?.incomplete, 'incomplete, not wrong');
});

test('cut off by max_tokens: the grammar\'s shortest completion is appended when it fits the allowance, and reported', async () => {
  const seen: number[] = [];
  const s = await serve((r) => {
    seen.push((r.body as Record<string, unknown>)['max_tokens'] as number);
    return { body: completionAnswer(' {\n  return a', { finishReason: 'length', completionTokens: 24 }) };
  });
  const r = await backend(s.url).generate({ ir: functionIr(), ...REQ });
  assert.equal(r.grammarAccepted, true, r.text);
  assert.ok(r.text.startsWith(' {\n  return a') && r.text.endsWith('}'), JSON.stringify(r.text));
  assert.equal(r.stop, 'forced_end');
  assert.equal(r.truncated, false);
  assert.equal(r.remote?.finishReason, 'length');
  const lc = r.remote?.localCompletion;
  assert.ok(lc && lc.bytes === Buffer.byteLength(lc.text) && r.text.endsWith(lc.text), JSON.stringify(lc));
  assert.equal(r.stats.completion?.checks, 1);
  // A reserve asks the server for fewer tokens; an allowance too small leaves the text cut off.
  const reserved = await backend(s.url, { localCompletion: { reserveTokens: 8 } }).generate({ ir: functionIr(), ...REQ });
  assert.equal(reserved.remote?.maxTokensSent, REQ.maxTokens - 8);
  assert.deepEqual(seen, [REQ.maxTokens, REQ.maxTokens - 8]);
  const open = await serve(() => ({ body: completionAnswer(' {\n  return (a', { finishReason: 'length' }) }));
  const small = await backend(open.url, { localCompletion: { maxBytes: 1 } }).generate({ ir: functionIr(), ...REQ });
  assert.equal(small.grammarAccepted, false);
  assert.equal(small.truncated, true);
  assert.equal(small.remote?.localCompletion, undefined);
  // A text the grammar refuses is not completed: it stays a rejection.
  const wrong = await serve(() => ({ body: completionAnswer(' {\n  return a +;', { finishReason: 'length' }) }));
  const w = await backend(wrong.url).generate({ ir: functionIr(), ...REQ });
  assert.equal(w.grammarAccepted, false);
  assert.equal(w.remote?.localCompletion, undefined);
  assert.throws(() => backend(s.url, { localCompletion: { maxBytes: -1 } }), /maxBytes must be an integer/);
});
