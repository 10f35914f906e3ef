import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCents } from '../../ts-inventory/src/core/money.ts';

test('dollars and cents', () => {
  assert.equal(formatCents(1250), '$12.50');
  assert.equal(formatCents(7), '$0.07');
  assert.equal(formatCents(0), '$0.00');
  assert.equal(formatCents(100000), '$1000.00');
});

test('negative amounts put the sign before the dollar', () => {
  assert.equal(formatCents(-307), '-$3.07');
  assert.equal(formatCents(-5), '-$0.05');
});
