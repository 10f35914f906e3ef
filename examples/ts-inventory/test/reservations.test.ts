import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutOfStockError } from '../src/core/errors.ts';
import { reserveOrder, shortLines } from '../src/orders/fulfilment.ts';
import { expireReservations, reserveStock, RESERVATION_TTL_MS } from '../src/stock/reservations.ts';
import { availableQuantity } from '../src/stock/warehouse.ts';
import { sampleWarehouse } from './fixtures.ts';

test('a reservation holds units until it expires', () => {
  const warehouse = sampleWarehouse();
  const reservation = reserveStock(warehouse, 'abc-0001', 4, 1000);
  assert.deepEqual(reservation, { id: 'ABC-0001@1000', sku: 'ABC-0001', quantity: 4, expiresAt: 1000 + RESERVATION_TTL_MS });
  assert.equal(availableQuantity(warehouse, 'ABC-0001'), 6);
  assert.throws(() => reserveStock(warehouse, 'ABC-0001', 7, 1000), OutOfStockError);
  assert.deepEqual(expireReservations(warehouse, [reservation], 1000 + RESERVATION_TTL_MS - 1), [reservation]);
  assert.deepEqual(expireReservations(warehouse, [reservation], 1000 + RESERVATION_TTL_MS), []);
  assert.equal(availableQuantity(warehouse, 'ABC-0001'), 10);
});

test('an order is reserved whole or not at all', () => {
  const warehouse = sampleWarehouse();
  const lines = [
    { sku: 'ABC-0001', quantity: 2, unitPriceCents: 500 },
    { sku: 'XYZ-0100', quantity: 5, unitPriceCents: 150 },
  ];
  const result = reserveOrder(warehouse, { id: 'o-1', lines }, 0);
  assert.equal(result.reservations.length, 0);
  assert.match(result.failure ?? '', /XYZ-0100/);
  assert.equal(availableQuantity(warehouse, 'ABC-0001'), 10, 'the first line was released again');
  assert.deepEqual(shortLines(warehouse, { id: 'o-1', lines }), [{ sku: 'XYZ-0100', quantity: 3, unitPriceCents: 150 }]);
});
