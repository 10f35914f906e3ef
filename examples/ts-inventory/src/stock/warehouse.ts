/** Stock on hand per SKU in one warehouse: receiving, shipping, and what is still free to sell. */
import { OutOfStockError, UnknownSkuError } from '../core/errors.ts';
import type { Sku, StockItem, Warehouse } from '../core/types.ts';
import { normalizeSku, validateQuantity } from '../core/validate.ts';

export function createWarehouse(code: string, items: readonly StockItem[] = []): Warehouse {
  const warehouse: Warehouse = { code, items: new Map() };
  for (const item of items) {
    warehouse.items.set(normalizeSku(item.sku), { ...item, sku: normalizeSku(item.sku) });
  }
  return warehouse;
}

/** The item of a SKU (any case, surrounding spaces allowed); UnknownSkuError when the warehouse has none. */
export function findItem(warehouse: Warehouse, sku: Sku): StockItem {
  const item = warehouse.items.get(normalizeSku(sku));
  if (item === undefined) {
    throw new UnknownSkuError(sku);
  }
  return item;
}

/** Units on hand that no reservation holds (never negative). */
export function availableQuantity(warehouse: Warehouse, sku: Sku): number {
  const item = findItem(warehouse, sku);
  return Math.max(0, item.onHand - item.reserved);
}

export function receiveStock(warehouse: Warehouse, sku: Sku, quantity: number): StockItem {
  const item = findItem(warehouse, sku);
  item.onHand += validateQuantity(quantity);
  return item;
}

/** Takes units off the shelf; OutOfStockError when fewer than `quantity` are on hand. */
export function shipStock(warehouse: Warehouse, sku: Sku, quantity: number): StockItem {
  const item = findItem(warehouse, sku);
  const wanted = validateQuantity(quantity);
  if (item.onHand < wanted) {
    throw new OutOfStockError(item.sku, wanted, item.onHand);
  }
  item.onHand -= wanted;
  item.reserved = Math.min(item.reserved, item.onHand);
  return item;
}

/** Items whose available quantity is at or below their reorder point, by SKU. */
export function listLowStock(warehouse: Warehouse): StockItem[] {
  const lowItems: StockItem[] = [];
  for (const item of warehouse.items.values()) {
    if (item.onHand - item.reserved <= item.reorderPoint) {
      lowItems.push(item);
    }
  }
  return lowItems.sort((left, right) => left.sku.localeCompare(right.sku));
}
