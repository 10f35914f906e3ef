import { AnankeError } from '../core/index.ts';

/**
 * A whole-number option: digits only, from `min` to `max`; undefined when the flag was not given
 * (so a config file or a default can fill it in). A USAGE error naming the flag otherwise.
 */
export function intOption(flag: string, s: string | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!/^\d+$/.test(s.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? (min === 0 ? 'a non-negative integer' : `an integer from ${min} up`) : `an integer from ${min} to ${max}`;
    throw new AnankeError('USAGE', `${flag} must be ${range}, not '${s}'`);
  }
  return n;
}

/** A number option from `min` to `max` (decimals allowed); undefined when not given. */
export function numberOption(flag: string, s: string | undefined, min: number, max: number): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new AnankeError('USAGE', `${flag} must be a number from ${min} to ${max}, not '${s}'`);
  return n;
}
