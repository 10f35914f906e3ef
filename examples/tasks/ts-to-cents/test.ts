import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../ts-inventory/src/core/errors.ts';
import { toCents } from '../../ts-inventory/src/core/money.ts';

test('amounts become cents', () => {
  assert.equal(toCents('12'), 1200);
  assert.equal(toCents('12.5'), 1250);
  assert.equal(toCents('0.07'), 7);
  assert.equal(toCents(' 4.20 '), 420);
  assert.equal(toCents('-3.07'), -307);
});

test('anything else is a ValidationError', () => {
  for (const bad of ['', '12.', '.5', '1.234', 'ten', '1e3', '$3']) {
    assert.throws(() => toCents(bad), ValidationError, JSON.stringify(bad));
  }
});
