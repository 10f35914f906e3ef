/** Input checks shared by every module: a bad SKU or quantity never reaches the stock maps. */
import { ValidationError } from './errors.ts';
import type { Sku } from './types.ts';

export const SKU_PATTERN = /^[A-Z]{3}-\d{4}$/;
export const MAX_QUANTITY = 10000;

/** " abc-0042 " → "ABC-0042"; a ValidationError unless it is three letters, a dash, four digits. */
export function normalizeSku(raw: string): Sku {
  const sku = raw.trim().toUpperCase();
  if (!SKU_PATTERN.test(sku)) {
    throw new ValidationError('sku', `expected AAA-0000, got ${JSON.stringify(raw)}`);
  }
  return sku;
}

/** A positive whole number of units, at most MAX_QUANTITY. */
export function validateQuantity(quantity: number): number {
  if (!Number.isInteger(quantity) || quantity <= 0) {
    throw new ValidationError('quantity', `must be a positive whole number, got ${quantity}`);
  }
  if (quantity > MAX_QUANTITY) {
    throw new ValidationError('quantity', `at most ${MAX_QUANTITY} units at a time, got ${quantity}`);
  }
  return quantity;
}
