import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWarehouse, listLowStock } from '../../ts-inventory/src/stock/warehouse.ts';

function sample() {
  return createWarehouse('MAIN', [
    { sku: 'ABC-0001', name: 'Widget', onHand: 12, reserved: 2, unitCostCents: 250, reorderPoint: 5 },
    { sku: 'ABC-0002', name: 'Gadget', onHand: 3, reserved: 0, unitCostCents: 1000, reorderPoint: 4 },
    { sku: 'XYZ-0100', name: 'Sprocket', onHand: 40, reserved: 38, unitCostCents: 75, reorderPoint: 2 },
    { sku: 'DEF-0007', name: 'Flange', onHand: 9, reserved: 0, unitCostCents: 120, reorderPoint: 9 },
  ]);
}

test('items at or below their reorder point, by SKU', () => {
  assert.deepEqual(listLowStock(sample()).map((item) => item.sku), ['ABC-0002', 'DEF-0007', 'XYZ-0100']);
});

test('an empty or well-stocked warehouse has none', () => {
  assert.deepEqual(listLowStock(createWarehouse('EMPTY')), []);
  const full = createWarehouse('FULL', [{ sku: 'ABC-0001', name: 'Widget', onHand: 50, reserved: 0, unitCostCents: 1, reorderPoint: 5 }]);
  assert.deepEqual(listLowStock(full), []);
});
