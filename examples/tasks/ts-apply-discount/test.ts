import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../ts-inventory/src/core/errors.ts';
import { applyDiscount } from '../../ts-inventory/src/core/money.ts';

test('discounts round to the cent', () => {
  assert.equal(applyDiscount(1000, 10), 900);
  assert.equal(applyDiscount(999, 25), 749);
  assert.equal(applyDiscount(1999, 0), 1999);
  assert.equal(applyDiscount(1999, 100), 0);
  assert.equal(applyDiscount(333, 50), 167);
});

test('percentages outside 0..100 are refused', () => {
  assert.throws(() => applyDiscount(1000, -1), ValidationError);
  assert.throws(() => applyDiscount(1000, 101), ValidationError);
});
