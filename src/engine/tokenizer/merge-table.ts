/**
 * A BPE merge table: (left id, right id) → (rank, merged id), open addressing in typed arrays.
 *
 * Why not a Map: a Llama-3 table has ~280k merges, and a Map keyed by a packed pair (past the
 * small-integer range) holds every key and value as a boxed heap number, ~450k objects that every
 * major garbage collection marks again for the life of the process. Typed arrays hold none.
 */
export class MergeTable {
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  /** Rank of the merge in each slot (its position in the merge list). */
  readonly rank: Int32Array;
  /** The id the pair merges into, per slot. */
  readonly merged: Int32Array;
  private readonly mask: number;

  /** A table with room for `count` merges (at most half full, so probes stay short). */
  constructor(count: number) {
    let size = 16;
    while (size < count * 2) size *= 2;
    this.mask = size - 1;
    this.left = new Int32Array(size).fill(-1);
    this.right = new Int32Array(size);
    this.rank = new Int32Array(size);
    this.merged = new Int32Array(size);
  }

  /** The slot holding the pair (a, b), or -1. Ids are non-negative. */
  find(a: number, b: number): number {
    for (let i = slotOf(a, b) & this.mask; ; i = (i + 1) & this.mask) {
      const l = this.left[i]!;
      if (l === -1) return -1;
      if (l === a && this.right[i] === b) return i;
    }
  }

  /** Adds the pair unless present (the first, lowest-ranked merge of a pair wins); false if it was. */
  add(a: number, b: number, rank: number, merged: number): boolean {
    for (let i = slotOf(a, b) & this.mask; ; i = (i + 1) & this.mask) {
      const l = this.left[i]!;
      if (l === a && this.right[i] === b) return false;
      if (l !== -1) continue;
      this.left[i] = a;
      this.right[i] = b;
      this.rank[i] = rank;
      this.merged[i] = merged;
      return true;
    }
  }
}

/** A 32-bit mix of the pair, so that neighbouring ids spread over the table. */
function slotOf(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}
