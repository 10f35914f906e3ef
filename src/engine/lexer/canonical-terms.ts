/**
 * Canonical term ids shared by every lexer of the process.
 *
 * Each lexer hash-conses its regex terms in its own TermStore, so the same regex compiled for two
 * grammars gets two unrelated term ids. What a trie walk from a lexer state yields (matcher/mask.ts)
 * depends only on the languages of the lexemes alive in it, so two grammars whose states hold the
 * same terms (every JSON Schema has the JSON string body, numbers, `", "` and `": "`) could share
 * that work if their terms could be compared. This table gives structurally equal terms of any
 * store one id: a node is interned by its kind, its fields and the canonical ids of its children
 * (alternations and intersections as sorted sets, since each store orders them by its own ids).
 * Equal ids mean equal structure, hence equal languages; different ids say nothing (a missed share).
 *
 * The table is exact (fields are compared, not only hashed) and grows for the life of the process
 * up to MAX_CANONICAL_TERMS nodes; past it, new terms get no id and their states are not shared.
 */

/**
 * Nodes the table holds at most (about 40 bytes each plus their lists): maskbench-dev's 2,035
 * schemas need ~2×10⁵; the bound keeps a server fed arbitrary schemas from growing without end.
 */
export const MAX_CANONICAL_TERMS = 1 << 21;
/** No canonical id (the table is full, or the term cannot be shared). */
export const NO_CANONICAL = -1;

const INITIAL = 1 << 12;

class CanonicalTable {
  private kind = new Uint8Array(INITIAL);
  private a = new Int32Array(INITIAL);
  private b = new Int32Array(INITIAL);
  private c = new Int32Array(INITIAL);
  private readonly lists: (Int32Array | null)[] = [];
  private count = 0;
  /** Open addressing over ids (-1 empty), with each slot's hash. */
  private table = new Int32Array(INITIAL * 2).fill(-1);
  private hashes = new Int32Array(INITIAL * 2);

  get size(): number {
    return this.count;
  }

  /** The id of the node (kind, a, b, c, list), created if new; NO_CANONICAL once the table is full. */
  intern(kind: number, a: number, b: number, c: number, list: Int32Array | null): number {
    let h = Math.imul(kind + 1, 0x9e3779b1);
    h = Math.imul(h ^ a, 0x85ebca6b);
    h = Math.imul(h ^ b, 0xc2b2ae35);
    h = Math.imul(h ^ c, 0x27d4eb2f);
    if (list !== null) for (let i = 0; i < list.length; i++) h = Math.imul(h ^ list[i]!, 0x165667b1);
    h = (h ^ (h >>> 15)) | 0;
    const mask = this.table.length - 1;
    let slot = h & mask;
    for (;;) {
      const e = this.table[slot]!;
      if (e < 0) break;
      if (this.hashes[slot] === h && this.same(e, kind, a, b, c, list)) return e;
      slot = (slot + 1) & mask;
    }
    if (this.count >= MAX_CANONICAL_TERMS) return NO_CANONICAL;
    const id = this.count++;
    if (id >= this.kind.length) this.grow();
    this.kind[id] = kind;
    this.a[id] = a;
    this.b[id] = b;
    this.c[id] = c;
    this.lists[id] = list === null ? null : list.slice();
    this.table[slot] = id;
    this.hashes[slot] = h;
    if (this.count * 2 > this.table.length) this.rehash();
    return id;
  }

  private same(id: number, kind: number, a: number, b: number, c: number, list: Int32Array | null): boolean {
    if (this.kind[id] !== kind || this.a[id] !== a || this.b[id] !== b || this.c[id] !== c) return false;
    const l = this.lists[id]!;
    if (list === null || l === null) return list === l;
    if (l.length !== list.length) return false;
    for (let i = 0; i < l.length; i++) if (l[i] !== list[i]) return false;
    return true;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const k = new Uint8Array(n);
    k.set(this.kind);
    this.kind = k;
    for (const f of ['a', 'b', 'c'] as const) {
      const x = new Int32Array(n);
      x.set(this[f]);
      this[f] = x;
    }
  }

  private rehash(): void {
    const n = this.table.length * 2;
    const table = new Int32Array(n).fill(-1);
    const hashes = new Int32Array(n);
    const mask = n - 1;
    for (let i = 0; i < this.table.length; i++) {
      const e = this.table[i]!;
      if (e < 0) continue;
      let slot = this.hashes[i]! & mask;
      while (table[slot]! >= 0) slot = (slot + 1) & mask;
      table[slot] = e;
      hashes[slot] = this.hashes[i]!;
    }
    this.table = table;
    this.hashes = hashes;
  }
}

/** The process-wide table (terms do not depend on the tokenizer). */
export const canonicalTerms = new CanonicalTable();
