/**
 * The server's guard rails, on a real server with the test model: the API key (401 without it,
 * constant-time check), the Host check against DNS rebinding, body limits, the bounded queue (429 +
 * Retry-After), a client that disconnects (its generation stops and its sequence is free again),
 * the per-request timeout, and close() while requests run.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { harness, type Harness } from './helpers.ts';

const KEY = 'sk-test-0123456789';
/** A grammar that needs about 100,000 tokens: no request here could finish it in the test's time. */
const ENDLESS = '%llguidance {}\nstart: item{50000}\nitem: /[a-z]+/ " "';

let h: Harness;
before(async () => {
  h = await harness({ apiKey: KEY, limits: { parallel: 1, queue: 1, timeoutMs: 60_000, maxTokens: 1_000_000, maxBodyBytes: 64 * 1024 } });
});
after(async () => { await h?.close(); });

const auth = { authorization: `Bearer ${KEY}` };
const health = async (): Promise<any> => (await fetch(`${h.server.url}/health`)).json();

/** Waits (polling /health) until nothing runs or waits; fails after `ms`. */
async function idle(ms = 15_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const s = await health();
    if (s.running === 0 && s.waiting === 0) return;
    if (Date.now() - t0 > ms) assert.fail(`still busy after ${ms} ms: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A raw HTTP request whose response we can abandon mid-stream; resolves once the first bytes arrived. */
function startStream(body: unknown): Promise<{ req: http.ClientRequest; first: string }> {
  const u = new URL(`${h.server.url}/v1/chat/completions`);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...auth } }, (res) => {
      res.once('data', (d: Buffer) => resolve({ req, first: d.toString() }));
      res.on('error', () => undefined);
    });
    req.on('error', (e) => { if (!req.destroyed) reject(e); });
    req.end(JSON.stringify(body));
  });
}

test('with an API key: 401 without it or with a wrong one (and WWW-Authenticate), 200 with it; /health needs none', async () => {
  const none = await h.post('/v1/completions', { prompt: 'p', max_tokens: 2 });
  assert.equal(none.status, 401);
  assert.equal(none.json.error.type, 'authentication_error');
  assert.equal(none.headers.get('www-authenticate'), 'Bearer');
  const wrong = await h.post('/v1/completions', { prompt: 'p', max_tokens: 2 }, { authorization: `Bearer ${KEY}x` });
  assert.equal(wrong.status, 401);
  const prefix = await h.post('/v1/completions', { prompt: 'p', max_tokens: 2 }, { authorization: `Bearer ${KEY.slice(0, -1)}` });
  assert.equal(prefix.status, 401);
  assert.equal((await fetch(`${h.server.url}/v1/models`)).status, 401);
  assert.equal((await h.post('/v1/completions', { prompt: 'p', max_tokens: 2 }, auth)).status, 200);
  assert.equal((await fetch(`${h.server.url}/health`)).status, 200);
});

test('bound to loopback: a request addressed to another host name is refused (DNS rebinding)', async () => {
  const u = new URL(h.server.url);
  const status = (host: string) => new Promise<number>((resolve, reject) => {
    http.get({ host: u.hostname, port: u.port, path: '/health', headers: { host } }, (res) => { res.resume(); resolve(res.statusCode!); }).on('error', reject);
  });
  assert.equal(await status(`evil.example:${u.port}`), 403);
  assert.equal(await status(`localhost:${u.port}`), 200);
  assert.equal(await status(`127.0.0.1:${u.port}`), 200);
});

test('a body over the limit is a 413; a body that is not JSON a 415 or 400', async () => {
  const big = await h.post('/v1/completions', { prompt: 'x'.repeat(70 * 1024) }, auth);
  assert.equal(big.status, 413);
  assert.equal(big.json.error.code, 'body_too_large');
  const text = await fetch(`${h.server.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'text/plain', ...auth }, body: 'hi' });
  assert.equal(text.status, 415);
  const arr = await h.post('/v1/completions', '[1,2]', auth);
  assert.equal(arr.status, 400);
  assert.equal((await h.post('/v1/completions', { prompt: 'p', max_tokens: 2 }, auth)).status, 200, 'the server goes on serving');
});

test('the queue is bounded: parallel 1 and queue 1, a third request gets 429 with Retry-After', async () => {
  const a = await startStream({ messages: [{ role: 'user', content: 'a' }], grammar: ENDLESS, max_tokens: 900_000, stream: true });
  const waiting = fetch(`${h.server.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ prompt: 'b', max_tokens: 2 }) });
  for (let i = 0; (await health()).waiting === 0; i++) {
    assert.ok(i < 200, 'the second request never queued');
    await new Promise((r) => setTimeout(r, 20));
  }
  const third = await h.post('/v1/completions', { prompt: 'c', max_tokens: 2 }, auth);
  assert.equal(third.status, 429);
  assert.equal(third.json.error.code, 'queue_full');
  assert.match(third.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
  // The first client leaves: its generation stops, and the waiting request runs.
  a.req.destroy();
  const b = await waiting;
  assert.equal(b.status, 200);
  await idle();
});

test('a client that disconnects mid-stream cancels its generation and frees its sequence', async () => {
  const before = (await health()).running;
  assert.equal(before, 0);
  const { req, first } = await startStream({ messages: [{ role: 'user', content: 'go' }], grammar: ENDLESS, max_tokens: 900_000, stream: true, seed: 1 });
  assert.match(first, /^data: /);
  assert.equal((await health()).running, 1);
  req.destroy();
  // Without cancellation this generation would hold the only sequence for ~100,000 tokens.
  await idle(10_000);
  const next = await h.post('/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }], guided_choice: ['ok'], max_tokens: 4 }, auth);
  assert.equal(next.status, 200);
  assert.equal(next.json.choices[0].message.content, 'ok');
});

test('close(): requests running get 503 (a stream gets an error event), new connections are refused, close resolves', async () => {
  const local = await harness({ limits: { parallel: 1, queue: 2, maxTokens: 1_000_000 }, closeGraceMs: 10_000 });
  try {
    const running = local.post('/v1/completions', { prompt: 'p', grammar: ENDLESS, max_tokens: 900_000 });
    const streaming = local.stream('/v1/chat/completions', { messages: [{ role: 'user', content: 'q' }], grammar: ENDLESS, max_tokens: 900_000, stream: true });
    for (let i = 0; ; i++) {
      const s = await (await fetch(`${local.server.url}/health`)).json() as any;
      if (s.running === 1 && s.waiting === 1) break;
      assert.ok(i < 300, 'the requests never started');
      await new Promise((r) => setTimeout(r, 20));
    }
    await local.server.close();
    const r = await running;
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, 'shutting_down');
    // The queued stream had not started: it is refused with a status too.
    const s = await streaming;
    assert.equal(s.status, 503);
    await assert.rejects(fetch(`${local.server.url}/health`));
  } finally {
    await local.close();
  }
});

test('a request over its time limit is a 504 (a stream: an error event, then [DONE]); the sequence is freed', async () => {
  const local = await harness({ limits: { parallel: 1, timeoutMs: 2500, maxTokens: 1_000_000 } });
  try {
    const r = await local.post('/v1/completions', { prompt: 'p', grammar: ENDLESS, max_tokens: 900_000 });
    assert.equal(r.status, 504);
    assert.equal(r.json.error.type, 'timeout_error');
    const s = await local.stream('/v1/completions', { prompt: 'p', grammar: ENDLESS, max_tokens: 900_000, stream: true });
    assert.equal(s.status, 200);
    assert.equal(s.events.at(-1), '[DONE]');
    assert.equal(s.events.at(-2).error.code, 'timeout');
    assert.equal(s.events[0].object, 'text_completion', 'the stream had begun when the time ran out');
    const ok = await local.post('/v1/completions', { prompt: 'p', guided_choice: ['done'], max_tokens: 4 });
    assert.equal(ok.json.choices[0].text, 'done');
  } finally {
    await local.close();
  }
});
