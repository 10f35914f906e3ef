/**
 * The retry policy on its own (src/maze/retry.ts): which failures are tried again, how long each
 * wait is, Retry-After, the bound on attempts, and cancellation. The same policy over real HTTP is
 * tested in server-backend.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnankeError } from '../../src/core/index.ts';
import { Aborted, backoffDelay, DEFAULT_RETRY, parseRetryAfter, RetryableFailure, withRetry } from '../../src/maze/retry.ts';

const fast = { baseDelayMs: 1, maxDelayMs: 2 };
const retryable = (msg: string, retryAfterMs?: number): RetryableFailure => new RetryableFailure(new AnankeError('SERVER', msg), retryAfterMs);

test('Retry-After: delta-seconds and HTTP-dates are read; anything else leaves the schedule to backoff', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(' 0 '), 0);
  const now = Date.parse('Tue, 01 Jul 2025 10:00:00 GMT');
  assert.equal(parseRetryAfter('Tue, 01 Jul 2025 10:00:02 GMT', now), 2000);
  assert.equal(parseRetryAfter('Tue, 01 Jul 2025 09:59:00 GMT', now), 0, 'a date in the past: retry now');
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter('-1'), undefined);
  assert.equal(parseRetryAfter(null), undefined);
});

test('backoff: full jitter under base·2^(n−1), capped at maxDelayMs', () => {
  const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(backoffDelay(1, p, () => 0), 0);
  assert.equal(backoffDelay(1, p, () => 0.999), 99);
  assert.equal(backoffDelay(3, p, () => 0.999), 399);
  assert.equal(backoffDelay(10, p, () => 0.999), 999, 'capped');
  assert.equal(backoffDelay(3, p, () => 0.5), 200);
});

test('a retryable failure is tried again up to the bound, then the error says how many attempts were made', async () => {
  let calls = 0;
  const waits: number[] = [];
  await assert.rejects(
    withRetry(async () => { calls++; throw retryable('503 Service Unavailable'); }, { policy: { ...fast, attempts: 3 }, onRetry: (e) => waits.push(e.attempt) }),
    (e: unknown) => e instanceof AnankeError && e.code === 'SERVER' && /503 Service Unavailable \(gave up after 3 attempts\)/.test(e.message),
  );
  assert.equal(calls, 3);
  assert.deepEqual(waits, [1, 2]);
  let n = 0;
  const ok = await withRetry(async (attempt) => { n = attempt; if (attempt < 2) throw retryable('429'); return 'done'; }, { policy: fast });
  assert.deepEqual(ok, { value: 'done', attempts: 2 });
  assert.equal(n, 2);
});

test('anything else fails at once: the same request would get the same answer', async () => {
  let calls = 0;
  await assert.rejects(withRetry(async () => { calls++; throw new AnankeError('SERVER', '400 Bad Request: grammar error'); }, { policy: fast }), /400 Bad Request/);
  assert.equal(calls, 1);
});

test('Retry-After is waited as given; one beyond the limit fails at once instead of sleeping', async () => {
  const t0 = performance.now();
  const r = await withRetry(async (n) => { if (n === 1) throw retryable('429 Too Many Requests', 150); return n; }, { policy: { ...fast, attempts: 2 } });
  assert.equal(r.value, 2);
  assert.ok(performance.now() - t0 >= 140, 'waited for the Retry-After');
  let calls = 0;
  const t1 = performance.now();
  await assert.rejects(
    withRetry(async () => { calls++; throw retryable('503 Service Unavailable', 3_600_000); }, { policy: { ...fast, maxRetryAfterMs: 60_000 } }),
    /retry after 3600 s, longer than the 60 s Ananke waits/,
  );
  assert.equal(calls, 1);
  assert.ok(performance.now() - t1 < 1000);
});

test('the caller\'s signal ends a wait at once', async () => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  const t0 = performance.now();
  await assert.rejects(withRetry(async () => { throw retryable('503', 10_000); }, { signal: ac.signal }), (e: unknown) => e instanceof Aborted);
  assert.ok(performance.now() - t0 < 2000, 'did not sleep the 10 s');
  await assert.rejects(withRetry(async () => 1, { signal: AbortSignal.abort() }), (e: unknown) => e instanceof Aborted);
  await assert.rejects(withRetry(async () => 1, { policy: { attempts: 0 } }), /at least 1/);
});
