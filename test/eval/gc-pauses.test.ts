/**
 * GcPauses: the collector's pauses, matched with intervals after the run (the benchmark's slow
 * masks): a stretch that allocates enough to collect holds a pause, a stretch after the run none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GcPauses } from '../../src/eval/gc-pauses.ts';

test('GcPauses: pauses land inside the interval that allocated, none inside one after it', async () => {
  const gc = new GcPauses();
  const start = performance.now();
  let keep: unknown[] = [];
  // Enough short-lived objects to fill the young generation several times over.
  for (let i = 0; i < 3_000_000; i++) {
    keep.push({ i });
    if (keep.length > 10_000) keep = [];
  }
  const end = performance.now();
  await gc.stop();
  assert.ok(gc.count > 0, 'no pause reported');
  assert.ok(gc.within(start, end) > 0);
  assert.equal(gc.within(end + 1e6, end + 2e6), 0);
  // Short-lived objects die young: scavenges, no major collection.
  assert.equal(gc.majorWithin(end + 1e6, end + 2e6), false);
});

test('GcPauses: a forced major collection is told apart from scavenges', async () => {
  const v8 = await import('node:v8');
  const vm = await import('node:vm');
  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc') as (opts?: unknown) => void;
  const gc = new GcPauses();
  const start = performance.now();
  collect();
  const end = performance.now();
  await gc.stop();
  assert.ok(gc.majorWithin(start, end), 'gc() is a major collection');
});
