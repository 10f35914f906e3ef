/**
 * Growing the typed arrays the engine's tables live in (one helper instead of one per table).
 */

type Growable = Int8Array | Uint8Array | Int32Array | Uint32Array;

/** A copy of `a` in a new array of the same kind and length n; the new slots hold `fill` (default 0). */
export function grown<T extends Growable>(a: T, n: number, fill = 0): T {
  const b = new (a.constructor as new (length: number) => T)(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** `a` when index i is inside it, else a copy doubled (from at least 256) until it is; new slots hold `fill`. */
export function grownToHold<T extends Growable>(a: T, i: number, fill = 0): T {
  if (i < a.length) return a;
  let n = Math.max(256, a.length);
  while (n <= i) n *= 2;
  return grown(a, n, fill);
}
