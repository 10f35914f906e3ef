/**
 * Reservations hold units for an order being paid for; they lapse after RESERVATION_TTL_MS so an
 * abandoned cart does not keep stock from other buyers.
 */
import { OutOfStockError } from '../core/errors.ts';
import type { Reservation, Sku, Warehouse } from '../core/types.ts';
import { validateQuantity } from '../core/validate.ts';
import { availableQuantity, findItem } from './warehouse.ts';

export const RESERVATION_TTL_MS = 15 * 60 * 1000;

/** Holds `quantity` units of a SKU at time `now` (ms); OutOfStockError when fewer are available. */
export function reserveStock(warehouse: Warehouse, sku: Sku, quantity: number, now: number): Reservation {
  const wanted = validateQuantity(quantity);
  const available = availableQuantity(warehouse, sku);
  if (wanted > available) {
    throw new OutOfStockError(sku, wanted, available);
  }
  const item = findItem(warehouse, sku);
  item.reserved += wanted;
  return { id: `${item.sku}@${now}`, sku: item.sku, quantity: wanted, expiresAt: now + RESERVATION_TTL_MS };
}

export function releaseReservation(warehouse: Warehouse, reservation: Reservation): void {
  const item = findItem(warehouse, reservation.sku);
  item.reserved = Math.max(0, item.reserved - reservation.quantity);
}

/** Releases the reservations that lapsed by `now` and returns the ones still active, in order. */
export function expireReservations(warehouse: Warehouse, reservations: readonly Reservation[], now: number): Reservation[] {
  const active: Reservation[] = [];
  for (const reservation of reservations) {
    if (reservation.expiresAt <= now) {
      releaseReservation(warehouse, reservation);
    } else {
      active.push(reservation);
    }
  }
  return active;
}
