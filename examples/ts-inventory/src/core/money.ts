/** Money as integer cents: sums never drift, and only formatting knows about the decimal point. */
import { ValidationError } from './errors.ts';

const AMOUNT_PATTERN = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/** "12.5" → 1250, "-3.07" → -307; anything else is a ValidationError. */
export function toCents(text: string): number {
  const match = AMOUNT_PATTERN.exec(text.trim());
  if (match === null) {
    throw new ValidationError('amount', `not an amount: ${JSON.stringify(text)}`);
  }
  const whole = Number(match[2]);
  const fraction = Number((match[3] ?? '').padEnd(2, '0'));
  const cents = whole * 100 + fraction;
  return match[1] === '-' ? -cents : cents;
}

/** 1250 → "$12.50", -307 → "-$3.07". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  const whole = Math.floor(absolute / 100);
  const fraction = String(absolute % 100).padStart(2, '0');
  return `${sign}$${whole}.${fraction}`;
}

/** The amount less `percent` percent, rounded to the nearest cent. */
export function applyDiscount(cents: number, percent: number): number {
  if (percent < 0 || percent > 100) {
    throw new ValidationError('percent', `must be between 0 and 100, got ${percent}`);
  }
  return Math.round((cents * (100 - percent)) / 100);
}

export function sumCents(amounts: readonly number[]): number {
  let total = 0;
  for (const amount of amounts) {
    total += amount;
  }
  return total;
}
