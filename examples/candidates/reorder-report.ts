// A change proposed for examples/ts-inventory, written the way a model might write it: it runs, but
// it breaks the codebase's conventions. `ananke validate` finds each one:
//   npx ananke validate examples/candidates/reorder-report.ts --against examples/ts-inventory
import type { Warehouse } from '../ts-inventory/src/core/types.ts';

export function reorder_report(warehouse: Warehouse, rules: any): string {
  const low_items: string[] = [];
  for (const item of warehouse.items.values()) {
    if (item.onHand <= eval(rules.threshold)) low_items.push(item.sku);
  }
  return low_items.join(',');
}
