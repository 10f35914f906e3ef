/** A small warehouse the tests share; each call builds a fresh one, so tests never see each other's changes. */
import type { StockItem, Warehouse } from '../src/core/types.ts';
import { createWarehouse } from '../src/stock/warehouse.ts';

export function sampleItems(): StockItem[] {
  return [
    { sku: 'ABC-0001', name: 'Widget', onHand: 12, reserved: 2, unitCostCents: 250, reorderPoint: 5 },
    { sku: 'ABC-0002', name: 'Gadget', onHand: 3, reserved: 0, unitCostCents: 1000, reorderPoint: 4 },
    { sku: 'XYZ-0100', name: 'Sprocket', onHand: 40, reserved: 38, unitCostCents: 75, reorderPoint: 2 },
  ];
}

export function sampleWarehouse(): Warehouse {
  return createWarehouse('MAIN', sampleItems());
}
