/**
 * Every failure the inventory reports is an InventoryError subclass, so a caller (an HTTP handler,
 * a batch job) can tell domain errors from bugs with one instanceof.
 */

export class InventoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InventoryError';
  }
}

export class ValidationError extends InventoryError {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ValidationError';
    this.field = field;
  }
}

export class UnknownSkuError extends InventoryError {
  readonly sku: string;

  constructor(sku: string) {
    super(`unknown SKU ${sku}`);
    this.name = 'UnknownSkuError';
    this.sku = sku;
  }
}

export class OutOfStockError extends InventoryError {
  readonly sku: string;
  readonly requested: number;
  readonly available: number;

  constructor(sku: string, requested: number, available: number) {
    super(`${sku}: ${requested} requested, ${available} available`);
    this.name = 'OutOfStockError';
    this.sku = sku;
    this.requested = requested;
    this.available = available;
  }
}
