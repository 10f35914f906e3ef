import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Reservation } from '../../ts-inventory/src/core/types.ts';
import { expireReservations } from '../../ts-inventory/src/stock/reservations.ts';
import { createWarehouse } from '../../ts-inventory/src/stock/warehouse.ts';

function sample() {
  return createWarehouse('MAIN', [
    { sku: 'ABC-0001', name: 'Widget', onHand: 12, reserved: 2, unitCostCents: 250, reorderPoint: 5 },
    { sku: 'ABC-0002', name: 'Gadget', onHand: 3, reserved: 0, unitCostCents: 1000, reorderPoint: 4 },
    { sku: 'XYZ-0100', name: 'Sprocket', onHand: 40, reserved: 38, unitCostCents: 75, reorderPoint: 2 },
    { sku: 'DEF-0007', name: 'Flange', onHand: 9, reserved: 0, unitCostCents: 120, reorderPoint: 9 },
  ]);
}

test('expired reservations are released, active ones kept in order', () => {
  const warehouse = sample();
  const reservations: Reservation[] = [
    { id: 'a', sku: 'ABC-0001', quantity: 1, expiresAt: 100 },
    { id: 'b', sku: 'XYZ-0100', quantity: 30, expiresAt: 50 },
    { id: 'c', sku: 'ABC-0001', quantity: 1, expiresAt: 200 },
    { id: 'd', sku: 'XYZ-0100', quantity: 5, expiresAt: 100 },
  ];
  const active = expireReservations(warehouse, reservations, 100);
  assert.deepEqual(active.map((r) => r.id), ['c']);
  assert.equal(warehouse.items.get('ABC-0001')!.reserved, 1);
  assert.equal(warehouse.items.get('XYZ-0100')!.reserved, 3);
});

test('nothing expired, nothing released', () => {
  const warehouse = sample();
  const reservations: Reservation[] = [{ id: 'a', sku: 'ABC-0001', quantity: 2, expiresAt: 1000 }];
  assert.deepEqual(expireReservations(warehouse, reservations, 999), reservations);
  assert.equal(warehouse.items.get('ABC-0001')!.reserved, 2);
});
