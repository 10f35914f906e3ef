import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWarehouse, reorderQuantities } from '../../ts-inventory/src/stock/warehouse.ts';

function sample() {
  return createWarehouse('MAIN', [
    { sku: 'ABC-0001', name: 'Widget', onHand: 12, reserved: 2, unitCostCents: 250, reorderPoint: 5 },
    { sku: 'ABC-0002', name: 'Gadget', onHand: 3, reserved: 0, unitCostCents: 1000, reorderPoint: 4 },
    { sku: 'XYZ-0100', name: 'Sprocket', onHand: 40, reserved: 38, unitCostCents: 75, reorderPoint: 2 },
    { sku: 'DEF-0007', name: 'Flange', onHand: 9, reserved: 0, unitCostCents: 120, reorderPoint: 9 },
  ]);
}

test('units to order for the low items, by SKU', () => {
  assert.deepEqual([...reorderQuantities(sample(), 20)], [['ABC-0002', 17], ['DEF-0007', 11], ['XYZ-0100', 18]]);
});

test('nothing when no item is low', () => {
  const full = createWarehouse('FULL', [{ sku: 'ABC-0001', name: 'Widget', onHand: 50, reserved: 0, unitCostCents: 1, reorderPoint: 5 }]);
  assert.equal(reorderQuantities(full, 100).size, 0);
});
