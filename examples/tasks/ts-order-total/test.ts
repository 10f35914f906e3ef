import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../ts-inventory/src/core/errors.ts';
import { FLAT_SHIPPING_CENTS, orderTotal } from '../../ts-inventory/src/orders/pricing.ts';

const lines = [
  { sku: 'ABC-0001', quantity: 3, unitPriceCents: 1200 },
  { sku: 'ABC-0002', quantity: 1, unitPriceCents: 999 },
];

test('subtotal plus shipping', () => {
  assert.equal(orderTotal({ id: 'o1', lines }), 4599 + FLAT_SHIPPING_CENTS);
  assert.equal(orderTotal({ id: 'o2', lines: [{ sku: 'ABC-0001', quantity: 5, unitPriceCents: 1000 }] }), 5000);
  assert.equal(orderTotal({ id: 'o3', lines: [] }), 0);
});

test('a coupon applies before shipping is decided', () => {
  assert.equal(orderTotal({ id: 'o4', lines, couponCode: 'vip25' }), 3449 + FLAT_SHIPPING_CENTS);
  assert.equal(orderTotal({ id: 'o5', lines: [{ sku: 'ABC-0001', quantity: 6, unitPriceCents: 1000 }], couponCode: 'SPRING10' }), 5400);
  assert.throws(() => orderTotal({ id: 'o6', lines, couponCode: 'NOPE' }), ValidationError);
});
