import type { GrammarBuilder } from '../grammar/builder.ts';
import { ruleSym } from '../grammar/builder.ts';
import type { Sym } from '../grammar/ir.ts';
import type { Punctuation } from './whitespace.ts';

/**
 * Distinct item values up to which `uniqueItems` is written into the grammar: one state per set of
 * values used (2^k), each with an alternative per value left. Past it the grammar cannot hold it.
 */
export const MAX_UNIQUE_VALUES = 10;

/**
 * An array whose items are distinct values from a finite list (`uniqueItems` over an enum of
 * scalars): the state is the set of values used so far, so each value appears at most once, and
 * its size is the item count (minItems/maxItems). `items[i]` matches exactly the spellings of
 * value i, and no two values share a spelling (the caller deduplicates by JSON equality).
 */
export function uniqueItemsArray(b: GrammarBuilder, p: Punctuation, items: Sym[], minItems: number, maxItems: number): Sym | null {
  const k = items.length;
  if (minItems > k) return null;
  const memo = new Map<number, Sym>();
  const state = (used: number, count: number): Sym => {
    const found = memo.get(used);
    if (found !== undefined) return found;
    const r = b.newRule('unique_items');
    memo.set(used, ruleSym(r));
    if (count >= minItems) b.addAlternative(r, []);
    if (count < maxItems) {
      for (let i = 0; i < k; i++) {
        if (used & (1 << i)) continue;
        b.addAlternative(r, [...(count > 0 ? [p.comma] : []), items[i]!, state(used | (1 << i), count + 1)]);
      }
    }
    return ruleSym(r);
  };
  return b.seq('array', [p.openArray, state(0, 0), p.closeArray]);
}
