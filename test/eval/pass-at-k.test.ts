/** The unbiased pass@k estimator against values worked out by hand from its binomial form. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passAtK } from '../../src/eval/index.ts';

const choose = (n: number, k: number): number => {
  let r = 1;
  for (let i = 0; i < k; i++) r = (r * (n - i)) / (i + 1);
  return r;
};

test('pass@k is 1 − C(n−c, k) / C(n, k)', () => {
  assert.equal(passAtK(1, 1, 1), 1);
  assert.equal(passAtK(5, 0, 3), 0);
  assert.ok(Math.abs(passAtK(5, 2, 1) - 0.4) < 1e-12, 'pass@1 is the pass rate');
  assert.ok(Math.abs(passAtK(5, 2, 2) - 0.7) < 1e-12, '1 − C(3,2)/C(5,2) = 1 − 3/10');
  assert.equal(passAtK(5, 4, 2), 1, 'fewer failures than k: some draw always passes');
  for (const [n, c, k] of [[10, 3, 5], [20, 7, 1], [20, 7, 10], [50, 1, 25]] as const) {
    const exact = 1 - choose(n - c, k) / choose(n, k);
    assert.ok(Math.abs(passAtK(n, c, k) - exact) < 1e-12, `n=${n} c=${c} k=${k}: ${passAtK(n, c, k)} vs ${exact}`);
  }
});

test('impossible counts are refused', () => {
  assert.throws(() => passAtK(0, 0, 1), /pass@k needs/);
  assert.throws(() => passAtK(3, 4, 1), /pass@k needs/);
  assert.throws(() => passAtK(3, 1, 4), /pass@k needs/);
});
