import { EngineError } from '../errors.ts';
import type { Limits } from '../limits.ts';
import { canonicalTerms, NO_CANONICAL } from './canonical-terms.ts';
import { grownToHold } from '../typed-array.ts';
import { bitCount } from '../bit-count.ts';
import { DerivativeClasses, derivativeClassesOn } from './derivative-classes.ts';

/**
 * Hash-consed byte-level regex terms with Brzozowski derivatives.
 *
 * A term is an integer id. Structurally equal terms get the same id, and the smart constructors
 * normalise (flatten, sort, dedupe, absorb never/any) so that the derivatives of any term form a
 * finite set: that is what makes the lazily built DFA finite. Nullability is computed once per term;
 * derivatives are memoised per (term, byte class), computed once per block of the term's derivative classes.
 *
 * Counted repetition stays a node: d(r{m,n}) = d(r)·r{m-1,n-1}, never unrolled.
 */

export const NEVER_T = 0;
export const EMPTY_T = 1;
/** Every byte string: ~never. */
export const TOP_T = 2;

/** Term kinds (kindOf): exported for the structural bounds of length-bounds.ts and piece-bound.ts. */
export const K_NEVER = 0;
export const K_EMPTY = 1;
export const K_SET = 2;
export const K_CONCAT = 3;
export const K_OR = 4;
export const K_AND = 5;
export const K_NOT = 6;
export const K_REPEAT = 7;

/** Terms allowed per lexer, as a multiple of maxLexerStates (with a floor): bounds memory. */
const TERMS_PER_STATE = 20;
const MIN_TERM_LIMIT = 1_000_000;
const MAX_TERM_ID = (1 << 23) - 1;
/** Nesting depth past which firstBytes answers "any byte" (a superset) instead of recursing. */
const FIRST_MAX_DEPTH = 256;
/** Pairs explored when deciding whether every character of an automaton is a word of a term (charsIn). */
const CHARS_IN_PAIRS = 256;
/** Derivatives explored when deciding whether an and/not term has an empty language. */
const EMPTINESS_BUDGET = 4096;

/**
 * A DFA over bytes whose words are characters (state 0 dead, `start` before and after each
 * whole character): next[q * 256 + b]. The plain-string DFA of trie/string-slices.ts is one.
 */
export interface CharDfa {
  readonly next: Int32Array;
  readonly start: number;
}

/**
 * byteClasses' working arrays, one set for every store (a call runs to its end before another
 * starts): allocating seven 1 KB arrays per grammar compile cost more than the refinement itself.
 * `count` and `moveTo` are left as found (0, -1); the others are reset by each call.
 */
const CLASS_SCRATCH = {
  cls: new Int32Array(256),
  size: new Int32Array(256),
  count: new Int32Array(256),
  moveTo: new Int32Array(256).fill(-1),
  side: new Int32Array(256),
  touched: new Int32Array(256),
  renumber: new Int32Array(256),
};

/** TermStore.plainBound: the characters that still fit, and whether a control byte kills the lexeme there. */
export interface PlainBound {
  chars: number;
  controlDies: boolean;
}

/** Terms a store has room for before it first grows (a small schema's grammar has a few hundred). */
const INITIAL_TERMS = 512;

export class TermStore {
  private kind = new Uint8Array(INITIAL_TERMS);
  private a = new Int32Array(INITIAL_TERMS);
  private b = new Int32Array(INITIAL_TERMS);
  private c = new Int32Array(INITIAL_TERMS);
  private lists: (Int32Array | null)[] = [];
  private nullableFlag = new Uint8Array(INITIAL_TERMS);
  /** 1 when the term contains an intersection or complement (only those can be empty yet not never). */
  private andNot = new Uint8Array(INITIAL_TERMS);
  /** -1 unknown, 0 non-empty language, 1 empty language. */
  private emptyLang = new Int8Array(INITIAL_TERMS).fill(-1);
  private count = 0;
  private readonly maxTerms: number;
  /** Per term: 8 words of first bytes (firstBytes), valid where firstKnown is 1. */
  private firstWords = new Uint32Array(0);
  private firstKnown = new Uint8Array(0);
  /** Per term: its canonical id (canonical-terms.ts), NO_CANONICAL, or -2 while not computed. */
  private canon = new Int32Array(0);
  /**
   * True once an emptiness check ran out of its budget and answered "not empty" without proof
   * (isEmptyLanguage): this store's states may then keep a lexeme another store would drop, so
   * their walks must not be shared with other grammars.
   */
  approximate = false;
  /** Derivatives computed (not taken from the memo or from another class of their block): for tests. */
  derivativesComputed = 0;

  /** Byte sets: 8 words each. */
  private setWords = new Uint32Array(8 * 64);
  private setCount = 0;
  /** Set ids by hash of their words: the newest with that hash (setNext chains the others). */
  private readonly setIds = new Map<number, number>();
  private setNext = new Int32Array(0);

  /** Term of each one-byte set, -1 until built (literals use them constantly). */
  private readonly singleByte = new Int32Array(256).fill(-1);

  private classOf: Uint8Array | null = null;
  /** Byte classes in the order the emptiness search tries them (the last to reach an end first). */
  private searchOrder = new Int32Array(0);
  private classRep: number[] = [];
  private classCount = 0;
  /** Per term: its derivative classes' partition id (derivative-classes.ts); -2 once derived by one class, -1 before. */
  private part = new Int32Array(0);
  private dclasses: DerivativeClasses | null = null;
  /**
   * Derivative memo: open addressing over (term << 8 | class) keys. A Map with number keys was the
   * hottest part of building states; this is about 3× faster and allocation-free.
   */
  private dKeys = new Int32Array(1 << 9).fill(-1);
  private dVals = new Int32Array(1 << 9);
  private dCount = 0;
  private dMask = (1 << 9) - 1;
  private dShift = 32 - 9;

  constructor(limits: Limits) {
    // Term ids must fit in 23 bits for the derivative memo's (term << 8 | class) keys.
    this.maxTerms = Math.min(MAX_TERM_ID, Math.max(MIN_TERM_LIMIT, limits.maxLexerStates * TERMS_PER_STATE));
    this.add(K_NEVER, 0, 0, 0, null);
    this.add(K_EMPTY, 0, 0, 0, null);
    this.add(K_NOT, NEVER_T, 0, 0, null);
  }

  get termCount(): number {
    return this.count;
  }

  // ---- construction -------------------------------------------------------------------------

  /** A set of bytes given as inclusive ranges. */
  byteRanges(ranges: ReadonlyArray<readonly [number, number]>): number {
    if (ranges.length === 1 && ranges[0]![0] === ranges[0]![1] && ranges[0]![0] >= 0 && ranges[0]![0] <= 255) {
      const b = ranges[0]![0];
      let t = this.singleByte[b]!;
      if (t < 0) {
        const w = new Uint32Array(8);
        w[b >> 5] = 1 << (b & 31);
        t = this.singleByte[b] = this.setTerm(w);
      }
      return t;
    }
    const w = new Uint32Array(8);
    for (const [lo, hi] of ranges) {
      for (let x = Math.max(0, lo); x <= Math.min(255, hi); x++) w[x >> 5]! |= 1 << (x & 31);
    }
    return this.setTerm(w);
  }

  private setTerm(w: Uint32Array): number {
    let any = 0;
    let h = 0x811c9dc5;
    for (let i = 0; i < 8; i++) {
      any |= w[i]!;
      h = Math.imul(h ^ w[i]!, 0x01000193);
    }
    if (any === 0) return NEVER_T;
    // Sets by hash of their words; sets sharing a hash are chained (setNext) and compared word by word.
    const head = this.setIds.get(h);
    let sid = head ?? -1;
    for (; sid >= 0; sid = this.setNext[sid]!) {
      const base = sid * 8;
      let same = true;
      for (let i = 0; i < 8 && same; i++) same = this.setWords[base + i] === w[i];
      if (same) break;
    }
    if (sid < 0) {
      if (this.classOf !== null) this.assertRespectsClasses(w);
      sid = this.setCount++;
      if (sid * 8 + 8 > this.setWords.length) {
        const nw = new Uint32Array(this.setWords.length * 2);
        nw.set(this.setWords);
        this.setWords = nw;
      }
      this.setWords.set(w, sid * 8);
      this.setNext = grownToHold(this.setNext, sid);
      this.setNext[sid] = head ?? -1;
      this.setIds.set(h, sid);
    }
    return this.add(K_SET, sid, 0, 0, null);
  }

  concat(x: number, y: number): number {
    if (x === NEVER_T || y === NEVER_T) return NEVER_T;
    if (x === EMPTY_T) return y;
    if (y === EMPTY_T) return x;
    if (this.kind[x] === K_CONCAT) {
      // Re-associate to the right, iteratively (left chains can be long).
      const heads: number[] = [];
      let cur = x;
      while (this.kind[cur] === K_CONCAT) {
        heads.push(this.a[cur]!);
        cur = this.b[cur]!;
      }
      heads.push(cur);
      let acc = y;
      for (let i = heads.length - 1; i >= 0; i--) acc = this.concatRaw(heads[i]!, acc);
      return acc;
    }
    return this.concatRaw(x, y);
  }

  private concatRaw(x: number, y: number): number {
    if (x === EMPTY_T) return y;
    if (y === EMPTY_T) return x;
    return this.add(K_CONCAT, x, y, 0, null);
  }

  or(items: readonly number[]): number {
    if (items.length === 2) {
      // The common case in derivatives: one side died.
      if (items[0] === NEVER_T) return items[1]!;
      if (items[1] === NEVER_T) return items[0]!;
    }
    const flat: number[] = [];
    this.setAccUsed = 0;
    for (let i = 0; i < items.length; i++) {
      const t = items[i]!;
      if (t === TOP_T) return TOP_T;
      if (this.kind[t] === K_OR) {
        // Lists are already flat: their items are never alternations.
        const l = this.lists[t]!;
        for (let j = 0; j < l.length; j++) this.collect(l[j]!, flat, true);
      } else this.collect(t, flat, true);
    }
    return this.finishSets(flat, K_OR);
  }

  and(items: readonly number[]): number {
    const flat: number[] = [];
    this.setAccUsed = 0;
    let hasEmpty = false;
    for (let i = 0; i < items.length; i++) {
      const t = items[i]!;
      if (t === NEVER_T) return NEVER_T;
      if (t === TOP_T) continue;
      if (t === EMPTY_T) {
        hasEmpty = true;
        continue;
      }
      if (this.kind[t] === K_AND) {
        const l = this.lists[t]!;
        for (let j = 0; j < l.length; j++) this.collect(l[j]!, flat, false);
      } else this.collect(t, flat, false);
    }
    if (hasEmpty) {
      // ε ∩ R is ε when R is nullable, else nothing.
      if (this.setAccUsed > 0) return NEVER_T;
      for (let i = 0; i < flat.length; i++) if (!this.nullable(flat[i]!)) return NEVER_T;
      return EMPTY_T;
    }
    if (flat.length === 0 && this.setAccUsed === 0) return TOP_T;
    return this.finishSets(flat, K_AND);
  }

  /** Scratch for merging the byte sets of one or/and: union (or) or intersection (and). */
  private readonly setAcc = new Uint32Array(8);
  private setAccUsed = 0;

  private collect(t: number, flat: number[], union: boolean): void {
    if (t === NEVER_T && union) return;
    if (this.kind[t] !== K_SET) {
      flat.push(t);
      return;
    }
    const base = this.a[t]! * 8;
    const acc = this.setAcc;
    if (this.setAccUsed === 0) {
      for (let i = 0; i < 8; i++) acc[i] = this.setWords[base + i]!;
    } else if (union) {
      for (let i = 0; i < 8; i++) acc[i]! |= this.setWords[base + i]!;
    } else {
      for (let i = 0; i < 8; i++) acc[i]! &= this.setWords[base + i]!;
    }
    this.setAccUsed++;
  }

  /** Add the merged byte set (if any) to `flat` and intern the n-ary node. */
  private finishSets(flat: number[], kind: number): number {
    if (this.setAccUsed > 0) {
      const merged = this.setTerm(this.setAcc.slice());
      if (merged === NEVER_T) {
        if (kind === K_AND) return NEVER_T;
      } else flat.push(merged);
    }
    return this.nary(kind, flat);
  }

  private nary(kind: number, flat: number[]): number {
    if (flat.length === 0) return NEVER_T;
    // Most lists are short: an insertion sort in place (Array#sort copies into a work array).
    if (flat.length <= 16) {
      for (let i = 1; i < flat.length; i++) {
        const x = flat[i]!;
        let j = i - 1;
        while (j >= 0 && flat[j]! > x) {
          flat[j + 1] = flat[j]!;
          j--;
        }
        flat[j + 1] = x;
      }
    } else flat.sort((p, q) => p - q);
    let n = 0;
    for (let i = 0; i < flat.length; i++) if (i === 0 || flat[i] !== flat[i - 1]) flat[n++] = flat[i]!;
    flat.length = n;
    if (n === 1) return flat[0]!;
    return this.add(kind, 0, 0, 0, flat);
  }

  not(x: number): number {
    if (this.kind[x] === K_NOT) return this.a[x]!;
    if (x === TOP_T) return NEVER_T;
    return this.add(K_NOT, x, 0, 0, null);
  }

  /** r{min,max}; max = -1 for unbounded. */
  repeat(r: number, min: number, max: number): number {
    if (max === 0) return EMPTY_T;
    if (r === NEVER_T) return min === 0 ? EMPTY_T : NEVER_T;
    if (r === EMPTY_T) return EMPTY_T;
    if (min === 1 && max === 1) return r;
    // (s*){m,n} = s* for n ≥ 1.
    if (this.kind[r] === K_REPEAT && this.b[r] === 0 && this.c[r] === -1) return r;
    return this.add(K_REPEAT, r, min, max, null);
  }

  private static hashNode(kind: number, a: number, b: number, c: number, list: ArrayLike<number> | null): number {
    let h = Math.imul(kind + 1, 0x9e3779b1);
    h = Math.imul(h ^ a, 0x85ebca6b);
    h = Math.imul(h ^ b, 0xc2b2ae35);
    h = Math.imul(h ^ c, 0x27d4eb2f);
    if (list !== null) for (let i = 0; i < list.length; i++) h = Math.imul(h ^ list[i]!, 0x165667b1);
    return (h ^ (h >>> 15)) | 0;
  }

  private sameNode(id: number, kind: number, a: number, b: number, c: number, list: ArrayLike<number> | null): boolean {
    if (this.kind[id] !== kind || this.a[id] !== a || this.b[id] !== b || this.c[id] !== c) return false;
    if (list === null) return true;
    const l = this.lists[id]!;
    if (l.length !== list.length) return false;
    for (let i = 0; i < l.length; i++) if (l[i] !== list[i]) return false;
    return true;
  }

  /** Intern table: open addressing over term ids (-1 empty), keyed by the node's fields. */
  private hTable = new Int32Array(1 << 10).fill(-1);
  private hHashes = new Int32Array(1 << 10);

  /** The id of the node with these fields, creating it if new (hash-consing). */
  private add(kind: number, a: number, b: number, c: number, list: ArrayLike<number> | null): number {
    const h = TermStore.hashNode(kind, a, b, c, list);
    const mask = this.hTable.length - 1;
    let slot = h & mask;
    for (;;) {
      const e = this.hTable[slot]!;
      if (e < 0) break;
      if (this.hHashes[slot] === h && this.sameNode(e, kind, a, b, c, list)) return e;
      slot = (slot + 1) & mask;
    }
    const id = this.count;
    if (id >= this.maxTerms) {
      throw new EngineError('LIMIT', `lexer exceeded ${this.maxTerms} regex terms (${TERMS_PER_STATE} × maxLexerStates); simplify the grammar's terminals or raise maxLexerStates`);
    }
    this.hTable[slot] = id;
    this.hHashes[slot] = h;
    if ((id + 1) * 2 > this.hTable.length) this.rehash();
    if (id >= this.kind.length) this.grow();
    this.count++;
    this.kind[id] = kind;
    this.a[id] = a;
    this.b[id] = b;
    this.c[id] = c;
    this.lists[id] = list === null ? null : Int32Array.from(list);
    let nullable = 0;
    let andNot = 0;
    switch (kind) {
      case K_EMPTY:
        nullable = 1;
        break;
      case K_CONCAT:
        nullable = this.nullableFlag[a]! & this.nullableFlag[b]!;
        andNot = this.andNot[a]! | this.andNot[b]!;
        break;
      case K_OR:
        for (let i = 0; i < list!.length; i++) {
          nullable |= this.nullableFlag[list![i]!]!;
          andNot |= this.andNot[list![i]!]!;
        }
        break;
      case K_AND:
        nullable = 1;
        for (let i = 0; i < list!.length; i++) nullable &= this.nullableFlag[list![i]!]!;
        andNot = 1;
        break;
      case K_NOT:
        nullable = this.nullableFlag[a]! ^ 1;
        andNot = 1;
        break;
      case K_REPEAT:
        nullable = b === 0 ? 1 : this.nullableFlag[a]!;
        andNot = this.andNot[a]!;
        break;
    }
    this.nullableFlag[id] = nullable;
    this.andNot[id] = andNot;
    this.emptyLang[id] = kind === K_NEVER ? 1 : andNot === 0 || nullable === 1 ? 0 : -1;
    return id;
  }

  private rehash(): void {
    const cap = this.hTable.length * 2;
    const table = new Int32Array(cap).fill(-1);
    const hashes = new Int32Array(cap);
    const mask = cap - 1;
    for (let i = 0; i < this.hTable.length; i++) {
      const e = this.hTable[i]!;
      if (e < 0) continue;
      const h = this.hHashes[i]!;
      let slot = h & mask;
      while (table[slot]! >= 0) slot = (slot + 1) & mask;
      table[slot] = e;
      hashes[slot] = h;
    }
    this.hTable = table;
    this.hHashes = hashes;
  }

  private grow(): void {
    const cap = this.kind.length * 2;
    const g8 = (x: Uint8Array) => {
      const y = new Uint8Array(cap);
      y.set(x);
      return y;
    };
    const g32 = (x: Int32Array) => {
      const y = new Int32Array(cap);
      y.set(x);
      return y;
    };
    this.kind = g8(this.kind);
    this.nullableFlag = g8(this.nullableFlag);
    this.andNot = g8(this.andNot);
    this.a = g32(this.a);
    this.b = g32(this.b);
    this.c = g32(this.c);
    const e = new Int8Array(cap).fill(-1);
    e.set(this.emptyLang);
    this.emptyLang = e;
  }

  // ---- byte classes -------------------------------------------------------------------------

  /**
   * Partition of the 256 byte values into classes no byte set built so far can tell apart. Call
   * after all lexemes are built; unions and intersections made later respect the partition.
   */
  byteClasses(): { byteClass: Uint8Array; classBytes: Uint8Array[] } {
    // Each set splits the classes it cuts. It is read on its smaller side (its bytes, or the others:
    // the same split), so a one-byte set or a negated class costs a few bytes, not 256.
    const { cls, size, count, moveTo, side, touched, renumber } = CLASS_SCRATCH;
    cls.fill(0);
    size.fill(0);
    size[0] = 256;
    let n = 1;
    for (let s = 0; s < this.setCount && n < 256; s++) {
      const base = s * 8;
      let pop = 0;
      for (let i = 0; i < 8; i++) pop += bitCount(this.setWords[base + i]!);
      const flip = pop > 128 ? -1 : 0;
      let m = 0;
      for (let i = 0; i < 8; i++) {
        let w = (this.setWords[base + i]! ^ flip) >>> 0;
        while (w !== 0) {
          const bit = 31 - Math.clz32(w & -w);
          side[m++] = i * 32 + bit;
          w = (w & (w - 1)) >>> 0;
        }
      }
      let t = 0;
      for (let j = 0; j < m; j++) {
        const c = cls[side[j]!]!;
        if (count[c]++ === 0) touched[t++] = c;
      }
      for (let j = 0; j < t; j++) {
        const c = touched[j]!;
        if (count[c]! < size[c]!) moveTo[c] = n++;
      }
      for (let j = 0; j < m; j++) {
        const x = side[j]!;
        const to = moveTo[cls[x]!]!;
        if (to >= 0) {
          size[cls[x]!]--;
          size[to]++;
          cls[x] = to;
        }
      }
      for (let j = 0; j < t; j++) {
        count[touched[j]!] = 0;
        moveTo[touched[j]!] = -1;
      }
    }
    // Numbered by first byte, as callers expect.
    renumber.fill(-1);
    const byteClass = new Uint8Array(256);
    const members: number[][] = [];
    for (let x = 0; x < 256; x++) {
      let id = renumber[cls[x]!]!;
      if (id < 0) {
        id = renumber[cls[x]!] = members.length;
        members.push([]);
      }
      byteClass[x] = id;
      members[id]!.push(x);
    }
    return { byteClass, classBytes: members.map((m) => Uint8Array.from(m)) };
  }

  setByteClasses(byteClass: Uint8Array, representatives: number[]): void {
    this.classOf = byteClass;
    this.classRep = representatives;
    this.classCount = representatives.length;
    this.searchOrder = Int32Array.from(representatives, (_, i) => i);
    this.dclasses = new DerivativeClasses(this.classCount);
    this.part = new Int32Array(0);
  }

  /** The derivative classes of this store's byte classes (null before setByteClasses). */
  get derivativeClasses(): DerivativeClasses | null {
    return this.dclasses;
  }

  /**
   * The partition of byte classes that t's derivatives respect (DerivativeClasses): computed from
   * its parts, as derive reads them, and memoized.
   */
  partitionOf(t: number): number {
    if (t < this.part.length && this.part[t]! >= 0) return this.part[t]!;
    const dc = this.dclasses!;
    let p = 0;
    switch (this.kind[t]) {
      case K_SET: {
        p = dc.ofSet(this.setWords, this.a[t]! * 8, this.classRep);
        break;
      }
      case K_CONCAT: {
        // As derive: a head that is not nullable hides everything after it.
        let cur = t;
        for (;;) {
          if (this.kind[cur] !== K_CONCAT) {
            p = dc.refine(p, this.partitionOf(cur));
            break;
          }
          const head = this.a[cur]!;
          p = dc.refine(p, this.partitionOf(head));
          if (this.nullableFlag[head] === 0) break;
          cur = this.b[cur]!;
        }
        break;
      }
      case K_OR:
      case K_AND: {
        const l = this.lists[t]!;
        for (let i = 0; i < l.length; i++) p = dc.refine(p, this.partitionOf(l[i]!));
        break;
      }
      case K_NOT:
      case K_REPEAT:
        p = this.partitionOf(this.a[t]!);
        break;
      default:
        p = 0;
    }
    this.part = grownToHold(this.part, t, -1);
    this.part[t] = p;
    return p;
  }

  private assertRespectsClasses(w: Uint32Array): void {
    const classOf = this.classOf!;
    const seen = new Int8Array(this.classCount).fill(-1);
    for (let x = 0; x < 256; x++) {
      const bit = (w[x >> 5]! >>> (x & 31)) & 1;
      const c = classOf[x]!;
      if (seen[c] === -1) seen[c] = bit;
      else if (seen[c] !== bit) throw new Error('internal: byte set created after byte classes splits a class');
    }
  }

  // ---- literals -----------------------------------------------------------------------------

  /**
   * The bytes of t when t matches exactly one byte string spelled as a chain of one-byte sets (a
   * literal, or what is left of one after some of its bytes), else null. Past `max` bytes the rest
   * is not read: the list then ends with -1 (the string goes on).
   */
  literalBytes(t: number, max: number): number[] | null {
    const out: number[] = [];
    for (;;) {
      if (t === EMPTY_T) return out;
      if (out.length >= max) {
        out.push(-1);
        return out;
      }
      const k = this.kind[t]!;
      const head = k === K_CONCAT ? this.a[t]! : t;
      if (this.kind[head] !== K_SET) return null;
      const b = this.singleByteOf(this.a[head]!);
      if (b < 0) return null;
      out.push(b);
      if (k !== K_CONCAT) return out;
      t = this.b[t]!;
    }
  }

  /** The byte of a one-byte set (by set id), else -1. */
  private singleByteOf(sid: number): number {
    let byte = -1;
    for (let w = 0; w < 8; w++) {
      const x = this.setWords[sid * 8 + w]!;
      if (x === 0) continue;
      if (byte >= 0 || (x & (x - 1)) !== 0) return -1;
      byte = w * 32 + (31 - Math.clz32(x));
    }
    return byte;
  }

  // ---- first bytes --------------------------------------------------------------------------

  /**
   * ORs into `out` (8 words) every byte whose derivative of t may be non-empty: exactly those for
   * terms without intersection or complement (their derivative is never only when the byte is not
   * in this set), a superset otherwise. A byte outside it leads nowhere, so a lexer state can mark
   * all such bytes dead at once instead of deriving each byte class (most classes, in a state
   * inside a literal). Memoised per term.
   */
  firstBytes(t: number, out: Uint32Array): void {
    const w = this.firstOf(t, 0);
    for (let i = 0; i < 8; i++) out[i]! |= this.firstWords[w + i]!;
  }

  /** Offset of t's first-byte words in firstWords (computed if needed). */
  private firstOf(t: number, depth: number): number {
    if (this.firstKnown.length < this.count) {
      const n = Math.max(256, this.kind.length);
      const k = new Uint8Array(n);
      k.set(this.firstKnown);
      this.firstKnown = k;
      const w = new Uint32Array(n * 8);
      w.set(this.firstWords);
      this.firstWords = w;
    }
    const off = t * 8;
    if (this.firstKnown[t] === 1) return off;
    // Terms form a DAG and no term is added meanwhile, so the words are filled in place.
    const fw = this.firstWords;
    const kind = this.kind[t]!;
    fw.fill(0, off, off + 8);
    // Past this depth (long chains of nullable heads) answer "any byte": a superset is always safe.
    if (depth > FIRST_MAX_DEPTH || kind === K_NOT) fw.fill(0xffffffff, off, off + 8);
    else if (kind === K_SET) fw.set(this.setWords.subarray(this.a[t]! * 8, this.a[t]! * 8 + 8), off);
    else if (kind === K_CONCAT) {
      this.orFirst(off, this.a[t]!, depth);
      if (this.nullableFlag[this.a[t]!] === 1) this.orFirst(off, this.b[t]!, depth);
    } else if (kind === K_OR) {
      const l = this.lists[t]!;
      for (let i = 0; i < l.length; i++) this.orFirst(off, l[i]!, depth);
    } else if (kind === K_AND) {
      // A superset: the bytes every item may start with.
      const l = this.lists[t]!;
      fw.fill(0xffffffff, off, off + 8);
      for (let i = 0; i < l.length; i++) {
        const o = this.firstOf(l[i]!, depth + 1);
        for (let j = 0; j < 8; j++) fw[off + j]! &= fw[o + j]!;
      }
    } else if (kind === K_REPEAT) this.orFirst(off, this.a[t]!, depth);
    this.firstKnown[t] = 1;
    return off;
  }

  private orFirst(off: number, t: number, depth: number): void {
    const o = this.firstOf(t, depth + 1);
    const fw = this.firstWords;
    for (let j = 0; j < 8; j++) fw[off + j]! |= fw[o + j]!;
  }

  /** Whether t contains an intersection or a complement. */
  hasAndNot(t: number): boolean {
    return this.andNot[t] === 1;
  }

  // ---- endless terms ------------------------------------------------------------------------

  /**
   * Whether every prefix w of a string of `chars`' characters leaves t with infinitely many
   * completions: {v : wv ∈ L(t)} is infinite, so t is alive after w and can always extend. Decided
   * on the structure, exactly where it answers true, conservatively (false) elsewhere:
   *  - r{m,} (any m) when every character is a word of r (each w then extends by whole
   *    characters, as many as wanted);
   *  - ¬F for a finite F (a co-finite language);
   *  - s·u when s is endless and u non-empty, or s nullable and u endless;
   *  - an alternation with an endless item;
   *  - an intersection of co-finite items and at most one other, which is endless (removing
   *    finitely many completions from infinitely many leaves infinitely many).
   * This is what lets a string slice be taken whole in a key that must differ from a list of
   * names (`"` (char* ∧ ¬(name₁|…)) `"`) without searching the state of each name's prefix
   * (docs/engine-optimizations.md §23). Memoised per term for one `chars` automaton at a time.
   */
  endless(t: number, chars: CharDfa): boolean {
    this.useChars(chars);
    return this.endlessOf(t, 0);
  }

  /** Makes `chars` the automaton charsIn and the endless memo answer for. */
  private useChars(chars: CharDfa): void {
    if (this.endlessDfa === chars) return;
    this.endlessDfa = chars;
    this.endlessMemo = new Int8Array(0);
    this.charsInMemo = new Int8Array(0);
  }

  private endlessDfa: CharDfa | null = null;
  /** Per term: 0 unknown, 1 no, 2 yes (also charsInMemo). */
  private endlessMemo = new Int8Array(0);
  private charsInMemo = new Int8Array(0);
  /** Per term: 0 unknown, 1 infinite or undecided, 2 finite. */
  private finiteMemo = new Int8Array(0);

  private endlessOf(t: number, depth: number): boolean {
    this.endlessMemo = grownToHold(this.endlessMemo, t);
    const known = this.endlessMemo[t]!;
    if (known !== 0) return known === 2;
    let r = false;
    if (depth <= FIRST_MAX_DEPTH) {
      switch (this.kind[t]) {
        case K_REPEAT:
          r = this.c[t] === -1 && this.charsIn(this.a[t]!);
          break;
        case K_NOT:
          r = this.finite(this.a[t]!, depth + 1);
          break;
        case K_CONCAT: {
          const head = this.a[t]!;
          const rest = this.b[t]!;
          // u is non-empty when nullable or free of intersection and complement (smart constructors).
          const restNonEmpty = this.nullableFlag[rest] === 1 || this.andNot[rest] === 0;
          r = (restNonEmpty && this.endlessOf(head, depth + 1)) || (this.nullableFlag[head] === 1 && this.endlessOf(rest, depth + 1));
          break;
        }
        case K_OR: {
          const l = this.lists[t]!;
          for (let i = 0; i < l.length && !r; i++) r = this.endlessOf(l[i]!, depth + 1);
          break;
        }
        case K_AND: {
          const l = this.lists[t]!;
          let other = -1;
          let ok = true;
          for (let i = 0; i < l.length && ok; i++) {
            const x = l[i]!;
            if (this.kind[x] === K_NOT && this.finite(this.a[x]!, depth + 1)) continue;
            if (other >= 0) ok = false;
            else other = x;
          }
          r = ok && (other < 0 || this.endlessOf(other, depth + 1));
          break;
        }
      }
    }
    this.endlessMemo[t] = r ? 2 : 1;
    return r;
  }

  /** Whether L(t) is finite: no unbounded repetition and no complement outside an intersection with a finite item. */
  private finite(t: number, depth: number): boolean {
    this.finiteMemo = grownToHold(this.finiteMemo, t);
    const known = this.finiteMemo[t]!;
    if (known !== 0) return known === 2;
    let r = false;
    if (depth <= FIRST_MAX_DEPTH) {
      switch (this.kind[t]) {
        case K_NEVER:
        case K_EMPTY:
        case K_SET:
          r = true;
          break;
        case K_CONCAT: {
          // A literal is a long right-leaning chain: walk it without recursing on the rest.
          let cur = t;
          r = true;
          while (r && this.kind[cur] === K_CONCAT) {
            r = this.finite(this.a[cur]!, depth + 1);
            cur = this.b[cur]!;
          }
          r = r && this.finite(cur, depth + 1);
          break;
        }
        case K_OR: {
          const l = this.lists[t]!;
          r = true;
          for (let i = 0; i < l.length && r; i++) r = this.finite(l[i]!, depth + 1);
          break;
        }
        case K_AND: {
          const l = this.lists[t]!;
          for (let i = 0; i < l.length && !r; i++) r = this.finite(l[i]!, depth + 1);
          break;
        }
        case K_REPEAT:
          r = this.c[t] !== -1 && this.finite(this.a[t]!, depth + 1);
          break;
      }
    }
    this.finiteMemo[t] = r ? 2 : 1;
    return r;
  }

  /**
   * Whether every character of `endlessDfa` is a word of r: a search over pairs (automaton state,
   * derivative of r), where each path back to the automaton's start (a whole character) must end
   * in a nullable derivative. Gives up (false) past CHARS_IN_PAIRS pairs.
   */
  private charsIn(r: number): boolean {
    this.charsInMemo = grownToHold(this.charsInMemo, r);
    const known = this.charsInMemo[r]!;
    if (known !== 0) return known === 2;
    const ok = this.everyChar(r, (x) => this.nullableFlag[x] === 1, false);
    this.charsInMemo[r] = ok ? 2 : 1;
    return ok;
  }

  /**
   * Follows every character of `endlessDfa` from r byte by byte, over pairs (automaton state,
   * derivative of r): true when `whole` holds of the derivative after each whole character, and no
   * path dies inside a character unless `diesInside` allows it. Gives up (false) past
   * CHARS_IN_PAIRS pairs.
   */
  private everyChar(r: number, whole: (x: number) => boolean, diesInside: boolean): boolean {
    const { next, start } = this.endlessDfa!;
    const classOf = this.classOf!;
    const seen = new Set<number>();
    const stack = [start, r];
    while (stack.length > 0) {
      const x = stack.pop()!;
      const q = stack.pop()!;
      for (let b = 0; b < 256; b++) {
        const q2 = next[q * 256 + b]!;
        if (q2 === 0) continue;
        const x2 = this.derive(x, classOf[b]!);
        if (q2 === start) {
          if (!whole(x2)) return false;
          continue;
        }
        if (x2 === NEVER_T) {
          if (diesInside) continue;
          return false;
        }
        const key = x2 * 64 + q2;
        if (seen.has(key)) continue;
        if (q2 >= 64 || seen.size >= CHARS_IN_PAIRS) return false;
        seen.add(key);
        stack.push(q2, x2);
      }
    }
    return true;
  }

  // ---- length-bounded terms ------------------------------------------------------------------

  /**
   * n (`chars`) when every string of at most n of `chars`' characters leaves t alive and every one
   * of n + 1 kills it, with t never nullable on the way; null where this is not proven. Decided on
   * one shape, a JSON string with a maxLength (and a pattern that accepts anything from here on):
   * h·u, where u is not nullable and cannot start with a character, and h is r{m,n} (m ≤ n) or an
   * intersection of one r{m,n} with items that accept every string of characters (allPlain: the
   * rest of `\d+\.\d+.*`), where every character is a word of r, and r reads one character at
   * most when it starts with one. Then each character is one repetition of r, so the n + 1st has
   * none left, and u cannot take it. Spares the slice search one lexer state per character and
   * UTF-8 position up to the bound (docs/engine-optimizations.md §45).
   */
  plainBound(t: number, chars: CharDfa): PlainBound | null {
    this.useChars(chars);
    if (this.kind[t] !== K_CONCAT) return null;
    const head = this.a[t]!;
    const rest = this.b[t]!;
    if (this.nullableFlag[rest] === 1) return null;
    const restFirst = new Uint32Array(8);
    this.firstBytes(rest, restFirst);
    const { next, start } = chars;
    for (let b = 0; b < 256; b++) if (next[start * 256 + b] !== 0 && ((restFirst[b >>> 5]! >>> (b & 31)) & 1) === 1) return null;
    let counter = head;
    if (this.kind[head] === K_AND) {
      counter = -1;
      const l = this.lists[head]!;
      for (let i = 0; i < l.length; i++) {
        const x = l[i]!;
        if (this.kind[x] === K_REPEAT && this.c[x] !== -1) {
          if (counter >= 0) return null;
          counter = x;
        } else if (!this.allPlain(x, 0)) return null;
      }
      if (counter < 0) return null;
    }
    if (this.kind[counter] !== K_REPEAT || this.c[counter] === -1 || this.b[counter]! > this.c[counter]!) return null;
    const item = this.a[counter]!;
    if (!this.charsIn(item) || !this.oneChar(item)) return null;
    // A control byte starts neither a repetition nor u: it kills t after any plain string (the
    // counter's derivative by it is nothing, so the intersection's is; and u's is nothing too).
    const itemFirst = new Uint32Array(8);
    this.firstBytes(item, itemFirst);
    const controlDies = (itemFirst[0]! | restFirst[0]!) === 0;
    return { chars: this.c[counter]!, controlDies };
  }

  /**
   * Whether t accepts every string of `endlessDfa`'s characters, decided on the structure where it
   * answers true (false elsewhere): r{0,} when every character is a word of r; s·u when one is
   * nullable and the other accepts them all; an alternation with such an item.
   */
  private allPlain(t: number, depth: number): boolean {
    if (depth > FIRST_MAX_DEPTH) return false;
    switch (this.kind[t]) {
      case K_REPEAT:
        return this.b[t] === 0 && this.c[t] === -1 && this.charsIn(this.a[t]!);
      case K_CONCAT: {
        const a = this.a[t]!;
        const b = this.b[t]!;
        return (this.nullableFlag[a] === 1 && this.allPlain(b, depth + 1)) || (this.nullableFlag[b] === 1 && this.allPlain(a, depth + 1));
      }
      case K_OR: {
        const l = this.lists[t]!;
        for (let i = 0; i < l.length; i++) if (this.allPlain(l[i]!, depth + 1)) return true;
        return false;
      }
      default:
        return false;
    }
  }

  /**
   * Whether every word of r that starts with a character of `endlessDfa` ends with it: after each
   * whole character the derivative is ε or nothing.
   */
  private oneChar(r: number): boolean {
    return this.everyChar(r, (x) => x === EMPTY_T || x === NEVER_T, true);
  }

  // ---- canonical ids ------------------------------------------------------------------------

  /**
   * The process-wide canonical id of term t (canonical-terms.ts): equal for structurally equal terms
   * of any store, NO_CANONICAL once that table is full. Computed bottom up once per term, without
   * recursion (a long literal is a deep chain of concatenations).
   */
  canonical(t: number): number {
    if (this.canon.length < this.count) {
      const g = new Int32Array(Math.max(256, this.kind.length)).fill(-2);
      g.set(this.canon);
      this.canon = g;
    }
    const canon = this.canon;
    if (canon[t]! !== -2) return canon[t]!;
    const stack = [t];
    while (stack.length > 0) {
      const x = stack[stack.length - 1]!;
      if (canon[x]! !== -2) {
        stack.pop();
        continue;
      }
      const k = this.kind[x]!;
      let pending = false;
      if (k === K_CONCAT || k === K_NOT || k === K_REPEAT) {
        const a = this.a[x]!;
        if (canon[a] === -2) {
          stack.push(a);
          pending = true;
        }
        if (k === K_CONCAT && canon[this.b[x]!] === -2) {
          stack.push(this.b[x]!);
          pending = true;
        }
      } else if (k === K_OR || k === K_AND) {
        const l = this.lists[x]!;
        for (let i = 0; i < l.length; i++) {
          if (canon[l[i]!] === -2) {
            stack.push(l[i]!);
            pending = true;
          }
        }
      }
      if (pending) continue;
      stack.pop();
      canon[x] = this.canonicalNode(x);
    }
    return canon[t]!;
  }

  /** Interns node x whose children already have canonical ids. */
  private canonicalNode(x: number): number {
    const canon = this.canon;
    const k = this.kind[x]!;
    switch (k) {
      case K_SET:
        return canonicalTerms.intern(k, 0, 0, 0, new Int32Array(this.setWords.subarray(this.a[x]! * 8, this.a[x]! * 8 + 8)));
      case K_CONCAT: {
        const a = canon[this.a[x]!]!;
        const b = canon[this.b[x]!]!;
        return a === NO_CANONICAL || b === NO_CANONICAL ? NO_CANONICAL : canonicalTerms.intern(k, a, b, 0, null);
      }
      case K_NOT:
      case K_REPEAT: {
        const a = canon[this.a[x]!]!;
        return a === NO_CANONICAL ? NO_CANONICAL : canonicalTerms.intern(k, a, this.b[x]!, this.c[x]!, null);
      }
      case K_OR:
      case K_AND: {
        const l = this.lists[x]!;
        const ids = new Int32Array(l.length);
        for (let i = 0; i < l.length; i++) {
          const c = canon[l[i]!]!;
          if (c === NO_CANONICAL) return NO_CANONICAL;
          ids[i] = c;
        }
        // Each store sorts alternatives by its own ids: the canonical node is the sorted set.
        ids.sort();
        return canonicalTerms.intern(k, 0, 0, 0, ids);
      }
      default:
        return canonicalTerms.intern(k, 0, 0, 0, null);
    }
  }

  // ---- structure, read only ------------------------------------------------------------------

  /** The kind of t (K_SET, K_CONCAT, …). */
  kindOf(t: number): number {
    return this.kind[t]!;
  }

  /** The head of a concatenation, the item of a repetition or complement. */
  first(t: number): number {
    return this.a[t]!;
  }

  /** The rest of a concatenation, the minimum of a repetition. */
  second(t: number): number {
    return this.b[t]!;
  }

  /** The maximum of a repetition (-1 unbounded). */
  third(t: number): number {
    return this.c[t]!;
  }

  /** The items of an alternation or intersection. Do not modify. */
  items(t: number): Int32Array {
    return this.lists[t]!;
  }

  /** Byte classes of this store (setByteClasses); derive takes a class. */
  get byteClassCount(): number {
    return this.classCount;
  }

  // ---- queries ------------------------------------------------------------------------------

  nullable(t: number): boolean {
    return this.nullableFlag[t] === 1;
  }

  /** Derivative of t by any byte of byte class `cls`. */
  derive(t: number, cls: number): number {
    if (t <= EMPTY_T) return NEVER_T;
    if (t === TOP_T) return TOP_T;
    const key = (t << 8) | cls;
    const keys = this.dKeys;
    let h = Math.imul(key, 0x9e3779b1) >>> this.dShift;
    for (;;) {
      const k = keys[h]!;
      if (k === key) return this.dVals[h]!;
      if (k === -1) break;
      h = (h + 1) & this.dMask;
    }
    let r: number;
    const dc = this.dclasses;
    if (dc !== null && derivativeClassesOn) {
      if (t >= this.part.length || this.part[t] === -1) {
        // The first class a term is derived by: most terms meet one (a literal's next byte), and
        // never pay for a partition.
        this.part = grownToHold(this.part, t, -1);
        this.part[t] = -2;
      } else {
        const rep = dc.rep(this.partitionOf(t), cls);
        if (rep !== cls) {
          // Another class of the same block: its derivative (memoized under this class too).
          r = this.derive(t, rep);
          this.memoDerivative(key, r);
          return r;
        }
      }
    }
    this.derivativesComputed++;
    switch (this.kind[t]) {
      case K_SET: {
        const x = this.classRep[cls]!;
        r = (this.setWords[this.a[t]! * 8 + (x >> 5)]! >>> (x & 31)) & 1 ? EMPTY_T : NEVER_T;
        break;
      }
      case K_CONCAT: {
        // d(h1·h2·…·rest) = d(h1)·(h2·…) | [ν(h1)] d(h2)·(…) | …, walked iteratively. A head that
        // is not nullable (the usual case) ends it at once: no list is allocated for it.
        if (this.nullableFlag[this.a[t]!] === 0) {
          r = this.concat(this.derive(this.a[t]!, cls), this.b[t]!);
          break;
        }
        const parts: number[] = [];
        let cur = t;
        let done = false;
        while (this.kind[cur] === K_CONCAT) {
          const head = this.a[cur]!;
          const rest = this.b[cur]!;
          parts.push(this.concat(this.derive(head, cls), rest));
          if (this.nullableFlag[head] === 0) {
            done = true;
            break;
          }
          cur = rest;
        }
        if (!done) parts.push(this.derive(cur, cls));
        r = parts.length === 1 ? parts[0]! : this.or(parts);
        break;
      }
      case K_OR:
      case K_AND: {
        const l = this.lists[t]!;
        const ds: number[] = new Array(l.length);
        for (let i = 0; i < l.length; i++) ds[i] = this.derive(l[i]!, cls);
        r = this.kind[t] === K_OR ? this.or(ds) : this.and(ds);
        break;
      }
      case K_NOT:
        r = this.not(this.derive(this.a[t]!, cls));
        break;
      case K_REPEAT: {
        const item = this.a[t]!;
        const min = this.b[t]!;
        const max = this.c[t]!;
        r = this.concat(this.derive(item, cls), this.repeat(item, min > 0 ? min - 1 : 0, max < 0 ? -1 : max - 1));
        break;
      }
      default:
        r = NEVER_T;
    }
    this.memoDerivative(key, r);
    return r;
  }

  private memoDerivative(key: number, value: number): void {
    if ((this.dCount + 1) * 2 > this.dKeys.length) {
      const oldKeys = this.dKeys;
      const oldVals = this.dVals;
      const cap = oldKeys.length * 2;
      this.dKeys = new Int32Array(cap).fill(-1);
      this.dVals = new Int32Array(cap);
      this.dMask = cap - 1;
      this.dShift--;
      this.dCount = 0;
      for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i]! >= 0) this.memoDerivative(oldKeys[i]!, oldVals[i]!);
    }
    let h = Math.imul(key, 0x9e3779b1) >>> this.dShift;
    while (this.dKeys[h] !== -1) h = (h + 1) & this.dMask;
    this.dKeys[h] = key;
    this.dVals[h] = value;
    this.dCount++;
  }

  /**
   * True when t matches some non-empty byte string. Without and/not, every term other than
   * never/empty does (the smart constructors guarantee it); otherwise check each byte class.
   */
  canExtend(t: number): boolean {
    if (t <= EMPTY_T) return false;
    if (this.andNot[t] === 0) return true;
    for (let cls = 0; cls < this.classCount; cls++) {
      const d = this.derive(t, cls);
      if (d !== NEVER_T && !this.isEmptyLanguage(d)) return true;
    }
    return false;
  }

  /**
   * True when t matches no byte string at all. Exact for terms without and/not (the smart
   * constructors reduce those to never); for and/not terms, searches derivatives depth first for a
   * nullable one, up to a budget, and answers "not empty" when the budget runs out (the safe side
   * for the DFA: a state may then keep a lexeme that can never complete, it never loses one that
   * can). Depth first, with the byte class that last reached an end tried first (the closing quote
   * of a string, say), a completion is usually found in a few derivatives; every term on the path
   * to it is then known to be non-empty too. Exhausting the search proves every term seen empty.
   */
  isEmptyLanguage(t: number): boolean {
    const known = this.emptyLang[t]!;
    if (known >= 0) return known === 1;
    const order = this.searchOrder;
    const n = this.classCount;
    const seen = new Set<number>([t]);
    const path: number[] = [t];
    const next: number[] = [0];
    while (path.length > 0) {
      const top = path.length - 1;
      const k = next[top]!;
      if (k >= n) {
        path.pop();
        next.pop();
        continue;
      }
      next[top] = k + 1;
      const cls = order[k]!;
      const d = this.derive(path[top]!, cls);
      if (d === NEVER_T || seen.has(d)) continue;
      const e = this.emptyLang[d]!;
      if (e === 1) continue;
      if (seen.size >= EMPTINESS_BUDGET) {
        this.emptyLang[t] = 0;
        this.approximate = true;
        return false;
      }
      if (e === 0 || this.nullableFlag[d] === 1) {
        for (const u of path) this.emptyLang[u] = 0;
        // Move the class that reached an end to the front of the order.
        if (k > 0) {
          order.copyWithin(1, 0, k);
          order[0] = cls;
        }
        return false;
      }
      seen.add(d);
      path.push(d);
      next.push(0);
    }
    // No nullable term is reachable from any term explored: all of them are empty.
    for (const u of seen) this.emptyLang[u] = 1;
    return true;
  }
}
