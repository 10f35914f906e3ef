/** The inventory's public surface. */
export * from './core/errors.ts';
export * from './core/money.ts';
export * from './core/validate.ts';
export type { Order, OrderLine, Reservation, Sale, Sku, SkuTotal, StockItem, Warehouse } from './core/types.ts';
export * from './stock/warehouse.ts';
export * from './stock/reservations.ts';
export * from './stock/store.ts';
export * from './orders/pricing.ts';
export * from './orders/fulfilment.ts';
export * from './reports/summary.ts';
