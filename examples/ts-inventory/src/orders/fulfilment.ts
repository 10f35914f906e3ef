/** Reserving a whole order: all lines or none. */
import { InventoryError } from '../core/errors.ts';
import type { Order, OrderLine, Reservation, Warehouse } from '../core/types.ts';
import { releaseReservation, reserveStock } from '../stock/reservations.ts';
import { availableQuantity } from '../stock/warehouse.ts';

export interface FulfilmentResult {
  orderId: string;
  reservations: Reservation[];
  failure?: string;
}

/**
 * Reserves every line; when one fails with an InventoryError the lines already reserved are
 * released and the failure is reported. Any other error is a bug and propagates.
 */
export function reserveOrder(warehouse: Warehouse, order: Order, now: number): FulfilmentResult {
  const reservations: Reservation[] = [];
  try {
    for (const line of order.lines) {
      reservations.push(reserveStock(warehouse, line.sku, line.quantity, now));
    }
  } catch (error) {
    for (const reservation of reservations) {
      releaseReservation(warehouse, reservation);
    }
    if (error instanceof InventoryError) {
      return { orderId: order.id, reservations: [], failure: error.message };
    }
    throw error;
  }
  return { orderId: order.id, reservations };
}

/** The lines that cannot be reserved now, with the quantity missing for each. */
export function shortLines(warehouse: Warehouse, order: Order): OrderLine[] {
  const missing: OrderLine[] = [];
  for (const line of order.lines) {
    const available = availableQuantity(warehouse, line.sku);
    if (available < line.quantity) {
      missing.push({ ...line, quantity: line.quantity - available });
    }
  }
  return missing;
}
