/** What an order costs: line totals, coupons, shipping. */
import { ValidationError } from '../core/errors.ts';
import { applyDiscount, sumCents } from '../core/money.ts';
import type { Order, OrderLine } from '../core/types.ts';

export const FREE_SHIPPING_CENTS = 5000;
export const FLAT_SHIPPING_CENTS = 499;
const COUPON_PERCENTS: Readonly<Record<string, number>> = { SPRING10: 10, VIP25: 25 };

export function lineTotal(line: OrderLine): number {
  return line.quantity * line.unitPriceCents;
}

export function orderSubtotal(order: Order): number {
  return sumCents(order.lines.map(lineTotal));
}

/** The percentage a coupon code takes off (codes are case-insensitive); ValidationError when unknown. */
export function couponPercent(code: string): number {
  const percent = COUPON_PERCENTS[code.trim().toUpperCase()];
  if (percent === undefined) {
    throw new ValidationError('couponCode', `unknown coupon ${JSON.stringify(code)}`);
  }
  return percent;
}

/** Free for an empty order or from FREE_SHIPPING_CENTS up, a flat rate otherwise. */
export function shippingCost(subtotalCents: number): number {
  if (subtotalCents === 0 || subtotalCents >= FREE_SHIPPING_CENTS) {
    return 0;
  }
  return FLAT_SHIPPING_CENTS;
}

/** Subtotal, less the coupon if any, plus shipping on the discounted amount. */
export function orderTotal(order: Order): number {
  const subtotal = orderSubtotal(order);
  const discounted = order.couponCode === undefined ? subtotal : applyDiscount(subtotal, couponPercent(order.couponCode));
  return discounted + shippingCost(discounted);
}
