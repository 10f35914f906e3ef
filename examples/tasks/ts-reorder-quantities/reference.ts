export function reorderQuantities(warehouse: Warehouse, targetLevel: number): Map<Sku, number> {
  const quantities = new Map<Sku, number>();
  for (const item of listLowStock(warehouse)) {
    const available = item.onHand - item.reserved;
    quantities.set(item.sku, Math.max(0, targetLevel - available));
  }
  return quantities;
}
