/**
 * Interned parser states. Row r of an Earley parser is a list of items (dot, origin row); what the
 * parser can do from r on depends only on those items and, through completions, on the origin rows
 * — recursively. So a row's identity is (its prediction closure id, its kernel items with each
 * origin replaced by the ORIGIN ROW'S interned id). Two rows with the same interned id accept
 * exactly the same continuations and compute the same masks, whatever their depth in the stack:
 * the top level of a C file after each function, or the statement rows of every block at the same
 * nesting, are one state. The matcher keys its full-mask cache on it.
 *
 * Exact (contents are compared, not just hashed); shared-plans.ts interns its state vectors with it
 * too. Bounded by limits.internedStateBytes of stored
 * contents: past it, new rows get id -1 ("not interned"; callers then skip their caches).
 */
/** Initial hash-table size (power of two); doubles past half full. */
const INITIAL_SLOTS = 256;

export class RowInterner {
  /** Contents of row id k: pool[start[k] .. start[k+1]). */
  private pool = new Int32Array(1024);
  private poolLen = 0;
  private starts: number[] = [0];
  private slots = new Int32Array(INITIAL_SLOTS).fill(-1);
  private hashes = new Int32Array(INITIAL_SLOTS);
  private count = 0;
  /** Int32 contents the pool may hold (limits.internedStateBytes / 4). */
  private readonly maxInts: number;

  constructor(budgetBytes: number) {
    this.maxInts = Math.floor(budgetBytes / 4);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held (contents, their starts, the hash table). */
  get bytes(): number {
    return this.poolLen * 4 + this.starts.length * 8 + this.slots.length * 8;
  }

  /**
   * The id of the contents key[0..n), interning it if new (unless `add` is false); -1 when over
   * budget or (without `add`) not interned.
   */
  intern(key: Int32Array, n: number, add = true): number {
    let h = 0x811c9dc5 ^ n;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ key[i]!, 0x01000193);
    h ^= h >>> 15;
    let mask = this.slots.length - 1;
    let i = h & mask;
    for (;;) {
      const id = this.slots[i]!;
      if (id < 0) break;
      if (this.hashes[i] === h && this.same(id, key, n)) return id;
      i = (i + 1) & mask;
    }
    if (!add || this.poolLen + n > this.maxInts) return -1;
    while (this.poolLen + n > this.pool.length) {
      const g = new Int32Array(this.pool.length * 2);
      g.set(this.pool);
      this.pool = g;
    }
    const pool = this.pool;
    for (let k = 0; k < n; k++) pool[this.poolLen + k] = key[k]!;
    this.poolLen += n;
    const id = this.count++;
    this.starts.push(this.poolLen);
    this.slots[i] = id;
    this.hashes[i] = h;
    if (this.count * 2 > mask) {
      this.rehash();
      mask = this.slots.length - 1;
    }
    return id;
  }

  private same(id: number, key: Int32Array, n: number): boolean {
    const a = this.starts[id]!;
    if (this.starts[id + 1]! - a !== n) return false;
    const pool = this.pool;
    for (let k = 0; k < n; k++) if (pool[a + k] !== key[k]) return false;
    return true;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    this.slots = new Int32Array(size).fill(-1);
    this.hashes = new Int32Array(size);
    const mask = size - 1;
    for (let k = 0; k < oldSlots.length; k++) {
      const id = oldSlots[k]!;
      if (id < 0) continue;
      const h = oldHashes[k]!;
      let i = h & mask;
      while (this.slots[i]! >= 0) i = (i + 1) & mask;
      this.slots[i] = id;
      this.hashes[i] = h;
    }
  }
}
