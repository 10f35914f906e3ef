/** Persistence behind an async interface: the memory store here, a database in production. */
import { UnknownSkuError, ValidationError } from '../core/errors.ts';
import type { Sku, StockItem } from '../core/types.ts';

export interface StockStore {
  load(sku: Sku): Promise<StockItem>;
  save(item: StockItem): Promise<void>;
  list(): Promise<StockItem[]>;
}

/** Copies on the way in and out, so callers never share an object with the store. */
export class MemoryStockStore implements StockStore {
  private readonly items = new Map<Sku, StockItem>();

  async load(sku: Sku): Promise<StockItem> {
    const item = this.items.get(sku);
    if (item === undefined) {
      throw new UnknownSkuError(sku);
    }
    return { ...item };
  }

  async save(item: StockItem): Promise<void> {
    this.items.set(item.sku, { ...item });
  }

  async list(): Promise<StockItem[]> {
    const items = [...this.items.values()].map((item: StockItem): StockItem => ({ ...item }));
    return items.sort((left: StockItem, right: StockItem): number => left.sku.localeCompare(right.sku));
  }
}

/** Adds `delta` (negative to remove) to a stored item's units on hand; never below zero. */
export async function adjustOnHand(store: StockStore, sku: Sku, delta: number): Promise<StockItem> {
  const item = await store.load(sku);
  const onHand = item.onHand + delta;
  if (onHand < 0) {
    throw new ValidationError('delta', `${sku} has ${item.onHand} on hand, cannot remove ${-delta}`);
  }
  const updated: StockItem = { ...item, onHand };
  await store.save(updated);
  return updated;
}
