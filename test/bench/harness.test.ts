import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, summarize } from '../../bench/lib/stats.ts';
import { compareToBaseline } from '../../bench/lib/baseline.ts';
import { SYSTEM_TARGETS, mergeTargets, formatTargetTable } from '../../bench/lib/targets.ts';

test('percentiles use the nearest rank', () => {
  const s = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(s, 50), 50);
  assert.equal(percentile(s, 99), 99);
  assert.equal(percentile(s, 100), 100);
  const sum = summarize([5, 1, 3, 2, 4]);
  assert.equal(sum.p50, 3);
  assert.equal(sum.max, 5);
  assert.equal(sum.avg, 3);
});

test('a ratio more than 10% above the baseline is a regression; within tolerance is not', () => {
  const base = { ratios: { 'engine.json_p50': 1.0, 'clew.medium_ts': 2.0, 'gone': 1 } };
  const cmp = compareToBaseline(base, { 'engine.json_p50': 1.11, 'clew.medium_ts': 2.19, 'new': 5 }, 0.1);
  assert.deepEqual(cmp.regressions, ['engine.json_p50']);
  assert.ok(cmp.lines.some((l) => l.includes('gone') && l.includes('not compared')));
  assert.ok(cmp.lines.some((l) => l.includes('new') && l.includes('not compared')));
});

test('suite targets replace system rows; unmeasured rows say why', () => {
  const merged = mergeTargets(SYSTEM_TARGETS, [
    { component: 'Clew', metric: 'constraint extraction per file', target: '< 10 ms', unit: 'ms', measured: 1.5, met: true },
    { component: 'Clew', metric: '300-line file p50', target: '≤ 2 ms', unit: 'ms', measured: 3, met: false },
  ]);
  assert.equal(merged.length, SYSTEM_TARGETS.length + 1);
  const table = formatTargetTable(merged);
  assert.match(table, /\| Clew \| constraint extraction per file \| < 10 ms \| 1\.50 ms \| met \|/);
  assert.match(table, /300-line file p50 .* MISSED/);
  assert.match(table, /Braid \| IR compilation .* the braid suite measures it/);
});
