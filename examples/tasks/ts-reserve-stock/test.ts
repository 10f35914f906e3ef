import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutOfStockError, ValidationError } from '../../ts-inventory/src/core/errors.ts';
import { RESERVATION_TTL_MS, reserveStock } from '../../ts-inventory/src/stock/reservations.ts';
import { availableQuantity, createWarehouse } from '../../ts-inventory/src/stock/warehouse.ts';

function sample() {
  return createWarehouse('MAIN', [
    { sku: 'ABC-0001', name: 'Widget', onHand: 12, reserved: 2, unitCostCents: 250, reorderPoint: 5 },
    { sku: 'ABC-0002', name: 'Gadget', onHand: 3, reserved: 0, unitCostCents: 1000, reorderPoint: 4 },
    { sku: 'XYZ-0100', name: 'Sprocket', onHand: 40, reserved: 38, unitCostCents: 75, reorderPoint: 2 },
    { sku: 'DEF-0007', name: 'Flange', onHand: 9, reserved: 0, unitCostCents: 120, reorderPoint: 9 },
  ]);
}

test('a reservation holds units', () => {
  const warehouse = sample();
  const reservation = reserveStock(warehouse, ' abc-0001', 4, 5000);
  assert.deepEqual(reservation, { id: 'ABC-0001@5000', sku: 'ABC-0001', quantity: 4, expiresAt: 5000 + RESERVATION_TTL_MS });
  assert.equal(warehouse.items.get('ABC-0001')!.reserved, 6);
  assert.equal(availableQuantity(warehouse, 'ABC-0001'), 6);
});

test('no more than what is available', () => {
  const warehouse = sample();
  assert.throws(() => reserveStock(warehouse, 'XYZ-0100', 3, 0), OutOfStockError);
  assert.throws(() => reserveStock(warehouse, 'XYZ-0100', -1, 0), ValidationError);
  assert.equal(warehouse.items.get('XYZ-0100')!.reserved, 38);
  assert.equal(reserveStock(warehouse, 'XYZ-0100', 2, 0).quantity, 2);
});
