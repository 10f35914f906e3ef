/** Read-only views for the back office: stock value, best sellers, a printable stock list. */
import { formatCents, sumCents } from '../core/money.ts';
import type { Sale, SkuTotal, StockItem, Warehouse } from '../core/types.ts';

/** What the units on hand cost, in cents. */
export function stockValue(warehouse: Warehouse): number {
  const values: number[] = [];
  for (const item of warehouse.items.values()) {
    values.push(item.onHand * item.unitCostCents);
  }
  return sumCents(values);
}

/** Units sold per SKU, most first (ties by SKU), at most `limit` of them. */
export function topSellers(sales: readonly Sale[], limit: number): SkuTotal[] {
  const totals = new Map<string, number>();
  for (const sale of sales) {
    totals.set(sale.sku, (totals.get(sale.sku) ?? 0) + sale.quantity);
  }
  const ranked: SkuTotal[] = [];
  for (const [sku, quantity] of totals) {
    ranked.push({ sku, quantity });
  }
  ranked.sort((left: SkuTotal, right: SkuTotal): number => right.quantity - left.quantity || left.sku.localeCompare(right.sku));
  return ranked.slice(0, limit);
}

/** "ABC-0001  Widget            12  $30.00": SKU, name padded to 16, units, value. */
export function formatStockLine(item: StockItem): string {
  const units = String(item.onHand).padStart(4);
  return `${item.sku}  ${item.name.padEnd(16)}${units}  ${formatCents(item.onHand * item.unitCostCents)}`;
}

/** One line per item by SKU, then the total value. */
export function stockReport(warehouse: Warehouse): string {
  const items = [...warehouse.items.values()].sort((left: StockItem, right: StockItem): number => left.sku.localeCompare(right.sku));
  const lines = items.map(formatStockLine);
  lines.push(`total value ${formatCents(stockValue(warehouse))}`);
  return lines.join('\n');
}
