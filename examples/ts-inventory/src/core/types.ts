/** The shapes every module of the inventory shares. Quantities are whole units, money is integer cents. */

export type Sku = string;

export interface StockItem {
  sku: Sku;
  name: string;
  onHand: number;
  reserved: number;
  unitCostCents: number;
  reorderPoint: number;
}

export interface Warehouse {
  code: string;
  items: Map<Sku, StockItem>;
}

export interface Reservation {
  id: string;
  sku: Sku;
  quantity: number;
  expiresAt: number;
}

export interface OrderLine {
  sku: Sku;
  quantity: number;
  unitPriceCents: number;
}

export interface Order {
  id: string;
  lines: OrderLine[];
  couponCode?: string;
}

export interface Sale {
  sku: Sku;
  quantity: number;
}

export interface SkuTotal {
  sku: Sku;
  quantity: number;
}
