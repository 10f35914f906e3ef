/**
 * Memo of Earley row pushes, shared by all parsers of one compiled grammar.
 *
 * Every row gets an id such that equal ids mean equal row stacks: the initial row is id 0, and the
 * row made by scanning `key` (an interned lexeme set, or a special token) on top of row `parent`
 * gets the id memoized for (parent, key). By induction the id determines the whole stack below, so
 * the pushed row's items (whose origins point into that stack) are the same every time, and a
 * repeat push is a copy of the stored items instead of a scan + closure. Mask walks push the same
 * rows over and over (the parser state does not change while a lexeme is being read), which is
 * where this pays.
 */

/** Items kept across all entries before the memo is cleared (two Int32 each: 16 MB at 2M). */
const MAX_MEMO_ITEMS = 2_000_000;
/** Keys are parentId * KEY_SPAN + scanKey; scan keys stay below this (special tokens are offset). */
export const KEY_SPAN = 2 ** 21;

export class PushMemo {
  private readonly map = new Map<number, number>();
  /** Per entry: where its items are in the pool, how many, its row id, and the row's flags. */
  entryStart = new Int32Array(1024);
  entryLen = new Int32Array(1024);
  entryId = new Int32Array(1024);
  entrySet = new Int32Array(1024);
  entryTok = new Uint8Array(1024);
  entryAcc = new Uint8Array(1024);
  poolDot = new Int32Array(16384);
  poolOrigin = new Int32Array(16384);
  private entries = 0;
  private poolUsed = 0;
  /** Row ids are never reused, so clearing the memo cannot make two different stacks look equal. */
  private nextId = 1;

  /** A new row id (for rows pushed without the memo). */
  freshId(): number {
    return this.nextId++;
  }

  /** The entry for (parent row id, scan key), or -1. */
  find(parentId: number, key: number): number {
    const e = this.map.get(parentId * KEY_SPAN + key);
    return e === undefined ? -1 : e;
  }

  /** Stores a computed row; returns its entry. */
  store(parentId: number, key: number, dots: Int32Array, origins: Int32Array, from: number, to: number, set: number, tok: number, acc: number): number {
    const n = to - from;
    if (this.poolUsed + n > MAX_MEMO_ITEMS) this.clear();
    if (this.entries === this.entryStart.length) this.growEntries();
    while (this.poolUsed + n > this.poolDot.length) this.growPool();
    const e = this.entries++;
    this.entryStart[e] = this.poolUsed;
    this.entryLen[e] = n;
    this.entryId[e] = this.nextId++;
    this.entrySet[e] = set;
    this.entryTok[e] = tok;
    this.entryAcc[e] = acc;
    this.poolDot.set(dots.subarray(from, to), this.poolUsed);
    this.poolOrigin.set(origins.subarray(from, to), this.poolUsed);
    this.poolUsed += n;
    this.map.set(parentId * KEY_SPAN + key, e);
    return e;
  }

  private clear(): void {
    this.map.clear();
    this.entries = 0;
    this.poolUsed = 0;
  }

  private growEntries(): void {
    const n = this.entryStart.length * 2;
    const grow32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const grow8 = (a: Uint8Array): Uint8Array => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    this.entryStart = grow32(this.entryStart);
    this.entryLen = grow32(this.entryLen);
    this.entryId = grow32(this.entryId);
    this.entrySet = grow32(this.entrySet);
    this.entryTok = grow8(this.entryTok);
    this.entryAcc = grow8(this.entryAcc);
  }

  private growPool(): void {
    const n = this.poolDot.length * 2;
    const d = new Int32Array(n);
    d.set(this.poolDot);
    this.poolDot = d;
    const o = new Int32Array(n);
    o.set(this.poolOrigin);
    this.poolOrigin = o;
  }
}
