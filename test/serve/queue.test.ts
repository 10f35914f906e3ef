/**
 * Admission without a model: `parallel` slots, a queue of bounded length, first come first served,
 * a 429 with Retry-After beyond it, and a waiter whose signal aborts leaves the queue.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpError } from '../../src/serve/http-error.ts';
import { SlotQueue } from '../../src/serve/queue.ts';

test('parallel slots at once, then a FIFO queue; full: 429 with Retry-After', async () => {
  const q = new SlotQueue(2, 2);
  const never = new AbortController().signal;
  const a = await q.acquire(never);
  const b = await q.acquire(never);
  assert.equal(q.running, 2);
  const order: string[] = [];
  const c = q.acquire(never).then((r) => { order.push('c'); return r; });
  const d = q.acquire(never).then((r) => { order.push('d'); return r; });
  assert.equal(q.waiting, 2);
  await assert.rejects(q.acquire(never), (e: unknown) => {
    assert.ok(e instanceof HttpError);
    assert.equal(e.status, 429);
    assert.equal(e.code, 'queue_full');
    assert.match(e.headers['Retry-After']!, /^[1-9]\d*$/);
    return true;
  });
  b();
  b(); // releasing twice frees one slot, not two
  const rc = await c;
  assert.deepEqual(order, ['c']);
  assert.equal(q.running, 2);
  a();
  const rd = await d;
  assert.deepEqual(order, ['c', 'd']);
  rc();
  rd();
  assert.equal(q.running, 0);
  assert.equal(q.waiting, 0);
});

test('a waiter whose signal aborts leaves the queue with the signal\'s reason; an aborted signal never enters', async () => {
  const q = new SlotQueue(1, 4);
  const held = await q.acquire(new AbortController().signal);
  const gone = new AbortController();
  const waiting = q.acquire(gone.signal);
  const next = q.acquire(new AbortController().signal);
  assert.equal(q.waiting, 2);
  const reason = new HttpError(499, 'gone');
  gone.abort(reason);
  await assert.rejects(waiting, (e) => e === reason);
  assert.equal(q.waiting, 1);
  held();
  (await next)();
  await assert.rejects(q.acquire(AbortSignal.abort(reason)), (e) => e === reason);
  assert.equal(q.running, 0);
});

test('a queue of 0 refuses whatever finds every slot busy', async () => {
  const q = new SlotQueue(1, 0);
  const r = await q.acquire(new AbortController().signal);
  await assert.rejects(q.acquire(new AbortController().signal), /busy/);
  r();
  assert.throws(() => new SlotQueue(0, 1), RangeError);
});

test('sampler memory: a major, asynchronous collection each time ~32 MB of vocabulary-sized candidate arrays may wait', async () => {
  const { SamplerMemory, CANDIDATE_BUDGET_BYTES } = await import('../../src/serve/native-memory.ts');
  const calls: unknown[] = [];
  const m = new SamplerMemory(151_669, (o) => { calls.push(o); });
  const every = Math.floor(CANDIDATE_BUDGET_BYTES / (151_669 * 12));
  assert.equal(every, 18);
  for (let i = 0; i < every * 3 - 1; i++) m.generationEnded();
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[0], { type: 'major', execution: 'async' });
  m.generationEnded();
  assert.equal(m.collections, 3);
  // In this process V8's collector can be reached (through --expose-gc set at run time).
  assert.equal(new SamplerMemory(10).available, true);
});

test('admit(n): a request\'s n choices fit in the free slots and the queue, all of them, or it is a 429 at once', async () => {
  const q = new SlotQueue(2, 3);
  const never = new AbortController().signal;
  q.admit(5); // 2 free slots + 3 places in the queue
  assert.throws(() => q.admit(6), (e: unknown) => e instanceof HttpError && e.status === 429 && e.code === 'queue_full');
  const a = await q.acquire(never);
  q.admit(4);
  assert.throws(() => q.admit(5), (e: unknown) => e instanceof HttpError && e.status === 429);
  a();
  assert.equal(q.running, 0);
});
