import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../src/core/errors.ts';
import { couponPercent, lineTotal, orderSubtotal, orderTotal, shippingCost } from '../src/orders/pricing.ts';

const order = {
  id: 'o-7',
  lines: [
    { sku: 'ABC-0001', quantity: 3, unitPriceCents: 1200 },
    { sku: 'ABC-0002', quantity: 1, unitPriceCents: 999 },
  ],
};

test('totals per line and per order', () => {
  assert.equal(lineTotal(order.lines[0]!), 3600);
  assert.equal(orderSubtotal(order), 4599);
});

test('coupons and shipping', () => {
  assert.equal(couponPercent(' spring10'), 10);
  assert.throws(() => couponPercent('FREE'), ValidationError);
  assert.equal(shippingCost(0), 0);
  assert.equal(shippingCost(4999), 499);
  assert.equal(shippingCost(5000), 0);
  assert.equal(orderTotal(order), 4599 + 499);
  assert.equal(orderTotal({ ...order, couponCode: 'VIP25' }), 3449 + 499);
});
