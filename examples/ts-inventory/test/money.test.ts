import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../src/core/errors.ts';
import { applyDiscount, formatCents, sumCents, toCents } from '../src/core/money.ts';

test('toCents reads whole amounts, one or two decimals, and a minus sign', () => {
  assert.equal(toCents('12'), 1200);
  assert.equal(toCents('12.5'), 1250);
  assert.equal(toCents(' 0.07 '), 7);
  assert.equal(toCents('-3.07'), -307);
});

test('toCents refuses what is not an amount', () => {
  for (const bad of ['', 'abc', '1.234', '1,00', '$5']) {
    assert.throws(() => toCents(bad), ValidationError, bad);
  }
});

test('formatCents writes dollars with two decimals', () => {
  assert.equal(formatCents(1250), '$12.50');
  assert.equal(formatCents(7), '$0.07');
  assert.equal(formatCents(-307), '-$3.07');
});

test('applyDiscount rounds to the cent and checks the percentage', () => {
  assert.equal(applyDiscount(1000, 10), 900);
  assert.equal(applyDiscount(999, 25), 749);
  assert.throws(() => applyDiscount(1000, 120), ValidationError);
  assert.equal(sumCents([100, 250, -50]), 300);
});
