import { AnankeError } from '../core/index.ts';

/** A size option's value: `1000000`, `512k`, `1m`, `1MB` (binary multiples). */
export function parseSize(flag: string, s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(s.trim());
  if (!m) throw new AnankeError('USAGE', `${flag} must be a size like 1000000, 512k or 2m, not '${s}'`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Math.floor(Number(m[1]) * mult);
  if (n < 1) throw new AnankeError('USAGE', `${flag} must be positive`);
  return n;
}
