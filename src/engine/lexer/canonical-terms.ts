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

/** Term kinds, as numbered in terms.ts (the table stores them as given): widening reads them. */
const K_CONCAT = 3;
const K_OR = 4;
const K_REPEAT = 7;
/** Not in a widened id: the memo's "not computed yet". */
const UNKNOWN = -2;

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

  /** Widened ids (widened()) per depth bound or piece bounds, UNKNOWN where not computed yet. */
  private readonly widenMemo = new Map<number | ReadonlyMap<number, number>, Int32Array>();

  get size(): number {
    return this.count;
  }

  /**
   * The id of node `id` as seen by a walk that reads at most `depth` bytes from it: every counted
   * repetition r{m,n} reached through concatenations, alternations and repetitions only, with
   * n > depth, becomes r{min(m, depth + 1),} (unbounded). Within `depth` bytes the two agree on
   * everything a lexer state is asked: a prefix p of at most `depth` bytes uses at most `depth`
   * non-empty pieces of r, so some continuation of p completes the term with at most max(m, depth)
   * pieces, within n, whenever one completes it at all; a minimum above depth + 1 is out of reach
   * either way. Under an intersection or a complement this fails (the other operand may need a long
   * continuation, or its absence), so those nodes keep their exact ids. A string of maxLength 8,192
   * is then, for the trie walks of matcher/shared-plans.ts, the same state at every position, and
   * the same as a string without maxLength. NO_CANONICAL when the table is full.
   *
   * With `pieces` (piece-bound.ts: item's canonical id → p, the most pieces of it a walk can read,
   * always for the same depth), a repetition of such an item is widened when n > p, to
   * r{min(m, p + 1),}: the same argument with p pieces in place of `depth`. A word-count pattern's
   * counter of a few dozen is then unbounded for walks (§24).
   */
  widened(id: number, depth: number, pieces: ReadonlyMap<number, number> | null = null): number {
    if (id < 0) return id;
    const key = pieces ?? depth;
    let memo = this.widenMemo.get(key);
    if (memo === undefined || memo.length < this.count) {
      const g = new Int32Array(Math.max(INITIAL, this.kind.length)).fill(UNKNOWN);
      if (memo !== undefined) g.set(memo);
      memo = g;
      this.widenMemo.set(key, memo);
    }
    if (memo[id]! !== UNKNOWN) return memo[id]!;
    // Bottom up without recursion (literals are long chains of concatenations).
    const stack = [id];
    while (stack.length > 0) {
      const x = stack[stack.length - 1]!;
      if (memo[x]! !== UNKNOWN) {
        stack.pop();
        continue;
      }
      const k = this.kind[x]!;
      let pending = false;
      if (k === K_CONCAT || k === K_REPEAT) {
        if (memo[this.a[x]!] === UNKNOWN) {
          stack.push(this.a[x]!);
          pending = true;
        }
        if (k === K_CONCAT && memo[this.b[x]!] === UNKNOWN) {
          stack.push(this.b[x]!);
          pending = true;
        }
      } else if (k === K_OR) {
        const l = this.lists[x]!;
        for (let i = 0; i < l.length; i++) {
          if (memo[l[i]!] === UNKNOWN) {
            stack.push(l[i]!);
            pending = true;
          }
        }
      }
      if (pending) continue;
      stack.pop();
      const w = this.widenNode(x, k, memo, depth, pieces);
      // Interning may have grown the table past the memo: grow it (new nodes are UNKNOWN).
      if (memo.length < this.count) {
        const g = new Int32Array(Math.max(this.kind.length, memo.length * 2)).fill(UNKNOWN);
        g.set(memo);
        memo = g;
        this.widenMemo.set(key, memo);
      }
      memo[x] = w;
    }
    return memo[id]!;
  }

  /** widened() of node x (kind k) whose children's widened ids are in memo. */
  private widenNode(x: number, k: number, memo: Int32Array, depth: number, pieces: ReadonlyMap<number, number> | null): number {
    if (k === K_CONCAT) {
      const a = memo[this.a[x]!]!;
      const b = memo[this.b[x]!]!;
      if (a === NO_CANONICAL || b === NO_CANONICAL) return NO_CANONICAL;
      return a === this.a[x] && b === this.b[x] ? x : this.intern(K_CONCAT, a, b, 0, null);
    }
    if (k === K_REPEAT) {
      const a = memo[this.a[x]!]!;
      if (a === NO_CANONICAL) return NO_CANONICAL;
      const min = this.b[x]!;
      const max = this.c[x]!;
      // The most pieces a walk's string holds: one per byte, or the vocabulary's count.
      // (A negative entry is a count only known to be at least as large as this counter.)
      const p = pieces?.get(this.a[x]!);
      const most = p !== undefined && p >= 0 && p < depth ? p : depth;
      const wide = max === -1 || max > most;
      const m = wide ? Math.min(min, most + 1) : min;
      const n = wide ? -1 : max;
      if (a === this.a[x] && m === min && n === max) return x;
      // (s*){0,} is s*, as TermStore.repeat builds it.
      if (m === 0 && n === -1 && this.kind[a] === K_REPEAT && this.b[a] === 0 && this.c[a] === -1) return a;
      return this.intern(K_REPEAT, a, m, n, null);
    }
    if (k === K_OR) {
      const l = this.lists[x]!;
      const ids = new Int32Array(l.length);
      let same = true;
      for (let i = 0; i < l.length; i++) {
        const c = memo[l[i]!]!;
        if (c === NO_CANONICAL) return NO_CANONICAL;
        if (c !== l[i]) same = false;
        ids[i] = c;
      }
      if (same) return x;
      ids.sort();
      let n = 0;
      for (let i = 0; i < ids.length; i++) if (n === 0 || ids[i] !== ids[n - 1]) ids[n++] = ids[i]!;
      return n === 1 ? ids[0]! : this.intern(K_OR, 0, 0, 0, ids.subarray(0, n));
    }
    // Sets, the empty string, intersections and complements: exact.
    return x;
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
