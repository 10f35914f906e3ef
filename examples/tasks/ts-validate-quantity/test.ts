import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../ts-inventory/src/core/errors.ts';
import { MAX_QUANTITY, validateQuantity } from '../../ts-inventory/src/core/validate.ts';

test('positive whole numbers up to the maximum pass through', () => {
  assert.equal(validateQuantity(1), 1);
  assert.equal(validateQuantity(42), 42);
  assert.equal(validateQuantity(MAX_QUANTITY), MAX_QUANTITY);
});

test('everything else is refused', () => {
  for (const bad of [0, -3, 2.5, Number.NaN, MAX_QUANTITY + 1, Number.POSITIVE_INFINITY]) {
    assert.throws(() => validateQuantity(bad), (e: unknown) => e instanceof ValidationError && e.field === 'quantity', String(bad));
  }
});
