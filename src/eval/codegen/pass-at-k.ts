/**
 * pass@k, the unbiased estimator: with n samples of which c pass, the chance that k drawn without
 * replacement include a passing one, 1 − C(n−c, k) / C(n, k), computed as a product so large n do
 * not overflow.
 */
import { AnankeError } from '../../core/index.ts';

export function passAtK(n: number, c: number, k: number): number {
  if (!(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(k)) || n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new AnankeError('INTERNAL', `pass@k needs 0 ≤ c ≤ n and 1 ≤ k ≤ n, got n=${n} c=${c} k=${k}`);
  }
  if (n - c < k) return 1;
  let miss = 1;
  for (let i = n - c + 1; i <= n; i++) miss *= 1 - k / i;
  return 1 - miss;
}
