import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutOfStockError, UnknownSkuError, ValidationError } from '../../ts-inventory/src/core/errors.ts';
import { createWarehouse, shipStock } from '../../ts-inventory/src/stock/warehouse.ts';

function sample() {
  return createWarehouse('MAIN', [
    { sku: 'ABC-0001', name: 'Widget', onHand: 12, reserved: 2, unitCostCents: 250, reorderPoint: 5 },
    { sku: 'ABC-0002', name: 'Gadget', onHand: 3, reserved: 0, unitCostCents: 1000, reorderPoint: 4 },
    { sku: 'XYZ-0100', name: 'Sprocket', onHand: 40, reserved: 38, unitCostCents: 75, reorderPoint: 2 },
    { sku: 'DEF-0007', name: 'Flange', onHand: 9, reserved: 0, unitCostCents: 120, reorderPoint: 9 },
  ]);
}

test('shipping takes units off the shelf', () => {
  const warehouse = sample();
  const item = shipStock(warehouse, 'abc-0001', 5);
  assert.equal(item.onHand, 7);
  assert.equal(warehouse.items.get('ABC-0001')!.onHand, 7);
  assert.equal(item.reserved, 2);
});

test('reservations shrink to what is left', () => {
  const warehouse = sample();
  const item = shipStock(warehouse, 'XYZ-0100', 39);
  assert.equal(item.onHand, 1);
  assert.equal(item.reserved, 1);
});

test('too many, a bad quantity or an unknown SKU are errors, and nothing changes', () => {
  const warehouse = sample();
  assert.throws(() => shipStock(warehouse, 'ABC-0002', 4), (e: unknown) => e instanceof OutOfStockError && e.requested === 4 && e.available === 3);
  assert.throws(() => shipStock(warehouse, 'ABC-0002', 0), ValidationError);
  assert.throws(() => shipStock(warehouse, 'QQQ-0001', 1), UnknownSkuError);
  assert.equal(warehouse.items.get('ABC-0002')!.onHand, 3);
});
