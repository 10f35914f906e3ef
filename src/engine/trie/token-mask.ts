import { bitCount } from '../bit-count.ts';

/**
 * Token masks: bit i of word i >>> 5 is token i (the layout of Matcher.computeMask, and of
 * XGrammar's bitmask). Helpers are plain functions over Uint32Array so hot loops can inline them.
 */

export function maskWords(vocabSize: number): number {
  return (vocabSize + 31) >>> 5;
}

export function newMask(vocabSize: number): Uint32Array {
  return new Uint32Array(maskWords(vocabSize));
}

export function setBit(mask: Uint32Array, id: number): void {
  mask[id >>> 5] = mask[id >>> 5]! | (1 << (id & 31));
}

export function clearBit(mask: Uint32Array, id: number): void {
  mask[id >>> 5] = mask[id >>> 5]! & ~(1 << (id & 31));
}

export function hasBit(mask: Uint32Array, id: number): boolean {
  return (mask[id >>> 5]! & (1 << (id & 31))) !== 0;
}

/** Number of set bits. */
export function popCount(mask: Uint32Array): number {
  let n = 0;
  for (let w = 0; w < mask.length; w++) n += bitCount(mask[w]!);
  return n;
}

/**
 * The smallest set bit ≥ from, or -1. Iterate without a closure:
 * `for (let id = nextSetBit(m, 0); id >= 0; id = nextSetBit(m, id + 1))`.
 */
export function nextSetBit(mask: Uint32Array, from: number): number {
  let w = from >>> 5;
  if (w >= mask.length) return -1;
  let v = mask[w]! & (~0 << (from & 31));
  while (v === 0) {
    if (++w >= mask.length) return -1;
    v = mask[w]!;
  }
  return (w << 5) + (31 - Math.clz32(v & -v));
}

/** All set bits, ascending (allocates: for tests and diagnostics, not hot paths). */
export function setBits(mask: Uint32Array): number[] {
  const out: number[] = [];
  for (let id = nextSetBit(mask, 0); id >= 0; id = nextSetBit(mask, id + 1)) out.push(id);
  return out;
}
