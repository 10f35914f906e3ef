import { TermStore, NEVER_T, EMPTY_T, K_SET, K_CONCAT, K_OR, K_AND, K_REPEAT } from './terms.ts';
import { grownToHold } from '../typed-array.ts';

/**
 * Length bounds dropped from an intersection where a walk cannot tell (docs/engine-optimizations.md
 * §24). A JSON string with `maxLength` and a `pattern` is `and(c{m,n}, P)` (c: one spelled
 * character): the length counter makes every position a new lexer state, and each first mask
 * there walks the trie afresh, with an emptiness check per new state. For a walk that reads at
 * most `depth` bytes, the intersection answers like P alone when
 *  - every word of P is a string of characters (L(P) ⊆ c*, proven on the structure: `within`),
 *  - m ≤ 1 (m = 1 only for a P without the empty word), and
 *  - n ≥ depth + R, R a bound on the shortest completion of every derivative of P (`radius`, on the
 *    structure, no exploration),
 * since a prefix p of at most `depth` bytes that P can complete has a completion v of at most R
 * bytes, and pv, of at most n bytes hence at most n characters, is then in the intersection too
 * (the other way is immediate: the intersection's words are P's). That is exact for everything a
 * walk asks of a state (alive, accepting, can extend), and P has no intersection: no emptiness
 * check, and its states are shared between positions and grammars. Nothing below a complement or
 * another intersection is changed: those ask for common or absent completions.
 */

/**
 * Pairs `pieceOf` explores before answering no: one spelled character has up to a few hundred
 * (a `\uXXXX` escape split by the pattern's ranges).
 */
const PIECE_PAIRS = 1024;
/** Pairs all the `pieceOf` checks of one `within` explore together (a pattern that is not made of characters fails at every level of its structure). */
const WITHIN_PAIRS = 4 * PIECE_PAIRS;
/** Nesting depth past which a bound answers "unknown" instead of recursing. */
const MAX_NESTING = 256;
/** Lengths at or past this are kept as unknown (Infinity) in the memos. */
const FAR = 2 ** 30;

export class LengthBounds {
  private readonly store: TermStore;
  /** Per term: shortest word in bytes + 1 (0 unknown), and the radius + 1 (0 unknown). */
  private minMemo = new Int32Array(0);
  private radiusMemo = new Int32Array(0);
  /** Per (character term, term): 0 unknown, 1 no, 2 yes (within). */
  private readonly withinMemo = new Map<number, Int8Array>();
  private widenDepth = -1;
  /** Per term: its widened term + 1 for widenDepth, 0 unknown. */
  private widenMemo = new Int32Array(0);

  /** Per term: 0 unknown, 1 no, 2 yes (hasCounter). */
  private counterMemo = new Int8Array(0);

  constructor(store: TermStore) {
    this.store = store;
  }

  /**
   * Whether an intersection with a counted repetition of finite bound beside it is reached from t
   * through concatenations, alternations and repetitions: the only place `widened` can drop a
   * bound. A cheap test before trying depths (split walks); memoised per term.
   */
  hasCounter(t: number, nesting = 0): boolean {
    const s = this.store;
    if (!s.hasAndNot(t) || nesting > MAX_NESTING) return false;
    this.counterMemo = grownToHold(this.counterMemo, t);
    const known = this.counterMemo[t]!;
    if (known !== 0) return known === 2;
    let r = false;
    switch (s.kindOf(t)) {
      case K_CONCAT: {
        // Along the spine without recursing on it (a literal is a long chain).
        let cur = t;
        while (!r && s.kindOf(cur) === K_CONCAT) {
          r = this.hasCounter(s.first(cur), nesting + 1);
          cur = s.second(cur);
        }
        if (!r) r = this.hasCounter(cur, nesting + 1);
        break;
      }
      case K_OR:
        for (const x of s.items(t)) if (!r && this.hasCounter(x, nesting + 1)) r = true;
        break;
      case K_REPEAT:
        r = this.hasCounter(s.first(t), nesting + 1);
        break;
      case K_AND:
        for (const x of s.items(t)) if (s.kindOf(x) === K_REPEAT && s.third(x) !== -1) r = true;
        break;
    }
    this.counterMemo[t] = r ? 2 : 1;
    return r;
  }

  /**
   * A term that answers like t for every byte string of at most `depth` bytes: each intersection
   * reached from t through concatenations, alternations and repetitions only is replaced by its
   * pattern side where the conditions above prove it exact. t itself when nothing changes.
   */
  widened(t: number, depth: number, pieces: ReadonlyMap<number, number> | null = null): number {
    if (!this.store.hasAndNot(t)) return t;
    if (this.widenDepth !== depth || this.widenPieces !== pieces) {
      this.widenDepth = depth;
      this.widenMemo = new Int32Array(0);
    }
    // unboundedCounters reads the piece bounds, not the depth (split walks try many depths per state).
    if (this.widenPieces !== pieces) {
      this.widenPieces = pieces;
      this.countersMemo = new Int32Array(0);
    }
    return this.widenPositive(t, 0);
  }

  /** Piece bounds of the walks (piece-bound.ts), by canonical id of the repeated term; null: none. */
  private widenPieces: ReadonlyMap<number, number> | null = null;
  /** Per term: unboundedCounters + 1 for widenPieces, 0 unknown. */
  private countersMemo = new Int32Array(0);

  /**
   * A concatenation or alternation with `f` applied to its items (a concatenation along its spine,
   * without recursing on it: a literal is a long chain), rebuilt when one changed; t itself else.
   */
  private mapItems(t: number, nesting: number, f: (x: number, nesting: number) => number): number {
    const s = this.store;
    if (s.kindOf(t) === K_OR) {
      const l = s.items(t);
      const items = Array.from(l, (x) => f(x, nesting + 1));
      return items.some((x, i) => x !== l[i]) ? s.or(items) : t;
    }
    const heads: number[] = [];
    let cur = t;
    while (s.kindOf(cur) === K_CONCAT) {
      heads.push(s.first(cur));
      cur = s.second(cur);
    }
    let acc = f(cur, nesting + 1);
    let same = acc === cur;
    for (let i = heads.length - 1; i >= 0; i--) {
      const h = f(heads[i]!, nesting + 1);
      if (h !== heads[i]) same = false;
      acc = s.concat(h, acc);
    }
    return same ? t : acc;
  }

  private widenPositive(t: number, nesting: number): number {
    const s = this.store;
    if (!s.hasAndNot(t) || nesting > MAX_NESTING) return t;
    this.widenMemo = grownToHold(this.widenMemo, t);
    const known = this.widenMemo[t]!;
    if (known !== 0) return known - 1;
    let r = t;
    switch (s.kindOf(t)) {
      case K_CONCAT:
      case K_OR:
        r = this.mapItems(t, nesting, (x, n) => this.widenPositive(x, n));
        break;
      case K_REPEAT: {
        const item = this.widenPositive(s.first(t), nesting + 1);
        if (item !== s.first(t)) r = s.repeat(item, s.second(t), s.third(t));
        break;
      }
      case K_AND:
        r = this.patternSide(t);
        break;
    }
    this.widenMemo[t] = r + 1;
    return r;
  }

  /** P for and(c{m,n}, P) when the conditions of this file hold, else t. */
  private patternSide(t: number): number {
    const s = this.store;
    const l = s.items(t);
    if (l.length !== 2) return t;
    for (let k = 0; k < 2; k++) {
      const counter = l[k]!;
      const p = l[1 - k]!;
      if (s.kindOf(counter) !== K_REPEAT || s.hasAndNot(p)) continue;
      const c = s.first(counter);
      const min = s.second(counter);
      const max = s.third(counter);
      if (s.hasAndNot(c) || min > 1 || (min === 1 && s.nullable(p))) continue;
      if (max !== -1 && max < this.widenDepth + this.radius(p, 0)) {
        // The bound stays; the pattern's own counters may still go (bound left below the depth).
        if (min === 0 && this.widenPieces !== null && this.within(p, c)) {
          const wide = this.unboundedCounters(p, 0);
          if (wide !== p) return s.and([counter, wide]);
        }
        continue;
      }
      if (this.within(p, c)) return p;
    }
    return t;
  }

  /**
   * P with each counted repetition r{m,n} reached through concatenations, alternations and
   * repetitions, where a walk begins at most p pieces of r (widenPieces) and p < n, m ≤ p + 1, as
   * r{m,}. Beside a length bound c{0,k} with P's words strings of c, that is exact for a walk: the
   * words the walk can tell apart begin at most p pieces of each such repetition, and a completion
   * that uses more can drop whole pieces it began itself (never below m, since the walk's string
   * begins at most p of them), which only makes it shorter, so within k whenever the longer one is.
   * A string with maxLength below the trie's depth then has one lexer state per position and
   * place in the pattern instead of one per position, place and word count.
   */
  private unboundedCounters(t: number, nesting: number): number {
    const s = this.store;
    if (nesting > MAX_NESTING) return t;
    this.countersMemo = grownToHold(this.countersMemo, t);
    const known = this.countersMemo[t]!;
    if (known !== 0) return known - 1;
    let r = t;
    switch (s.kindOf(t)) {
      case K_CONCAT:
      case K_OR:
        r = this.mapItems(t, nesting, (x, n) => this.unboundedCounters(x, n));
        break;
      case K_REPEAT: {
        const item = s.first(t);
        const inner = this.unboundedCounters(item, nesting + 1);
        const min = s.second(t);
        const max = s.third(t);
        const p = this.widenPieces!.get(s.canonical(item));
        if (p !== undefined && p >= 0 && max > p && min <= p + 1) r = s.repeat(inner, min, -1);
        else if (inner !== item) r = s.repeat(inner, min, max);
        break;
      }
    }
    this.countersMemo[t] = r + 1;
    return r;
  }

  /** The fewest bytes of a word of t (Infinity when unknown: intersections, complements, nesting). */
  minLength(t: number, nesting: number): number {
    const s = this.store;
    if (t === EMPTY_T) return 0;
    this.minMemo = grownToHold(this.minMemo, t);
    const known = this.minMemo[t]!;
    if (known !== 0) return known > FAR ? Infinity : known - 1;
    let r = Infinity;
    if (nesting <= MAX_NESTING) {
      switch (s.kindOf(t)) {
        case K_SET:
          r = 1;
          break;
        case K_CONCAT: {
          r = 0;
          let cur = t;
          while (s.kindOf(cur) === K_CONCAT) {
            r += this.minLength(s.first(cur), nesting + 1);
            cur = s.second(cur);
          }
          r += this.minLength(cur, nesting + 1);
          break;
        }
        case K_OR:
          for (const x of s.items(t)) r = Math.min(r, this.minLength(x, nesting + 1));
          break;
        case K_REPEAT:
          r = s.second(t) === 0 ? 0 : s.second(t) * this.minLength(s.first(t), nesting + 1);
          break;
      }
    }
    this.minMemo[t] = Math.min(r, FAR) + 1;
    return r;
  }

  /**
   * A bound (bytes) on the shortest completion of every derivative of t that has one, from the
   * structure: a·b: max(R(a) + min(b), R(b)) (a derivative is d(a)·b or one of b's); an
   * alternation: its items' largest; r{m,n}: max(m·min(r), R(r) + (m-1)·min(r)) (a piece begun,
   * then the pieces still owed). Infinity under an intersection or complement.
   */
  radius(t: number, nesting: number): number {
    const s = this.store;
    if (t === EMPTY_T || t === NEVER_T) return 0;
    this.radiusMemo = grownToHold(this.radiusMemo, t);
    const known = this.radiusMemo[t]!;
    if (known !== 0) return known > FAR ? Infinity : known - 1;
    let r = Infinity;
    if (nesting <= MAX_NESTING) {
      switch (s.kindOf(t)) {
        case K_SET:
          r = 1;
          break;
        case K_CONCAT: {
          const heads: number[] = [];
          let cur = t;
          while (s.kindOf(cur) === K_CONCAT) {
            heads.push(s.first(cur));
            cur = s.second(cur);
          }
          r = this.radius(cur, nesting + 1);
          let rest = this.minLength(cur, nesting + 1);
          for (let i = heads.length - 1; i >= 0; i--) {
            r = Math.max(r, this.radius(heads[i]!, nesting + 1) + rest);
            rest += this.minLength(heads[i]!, nesting + 1);
          }
          break;
        }
        case K_OR:
          r = 0;
          for (const x of s.items(t)) r = Math.max(r, this.radius(x, nesting + 1));
          break;
        case K_REPEAT: {
          const item = s.first(t);
          const m = s.second(t);
          const one = this.minLength(item, nesting + 1);
          r = Math.max(m * one, this.radius(item, nesting + 1) + Math.max(0, m - 1) * one);
          break;
        }
      }
    }
    this.radiusMemo[t] = Math.min(r, FAR) + 1;
    return r;
  }

  /**
   * Whether every word of t is a string of words of c (L(t) ⊆ c*), for t and c without
   * intersection or complement: on the structure (concatenations, alternations and repetitions of
   * such pieces are), and a piece that is not built so is checked as one word of c (pieceOf).
   */
  within(t: number, c: number): boolean {
    if (!this.withinMemo.has(c)) this.withinMemo.set(c, new Int8Array(0));
    this.pairsLeft = WITHIN_PAIRS;
    return this.withinOf(t, c, 0);
  }

  /** What is left of WITHIN_PAIRS in the current `within`. */
  private pairsLeft = 0;

  private withinOf(t: number, c: number, nesting: number): boolean {
    const s = this.store;
    if (t === EMPTY_T || t === NEVER_T) return true;
    const known = this.withinMemo.get(c)![t] ?? 0;
    if (known !== 0) return known === 2;
    let r = false;
    if (nesting <= MAX_NESTING) {
      switch (s.kindOf(t)) {
        case K_CONCAT: {
          r = true;
          let cur = t;
          while (r && s.kindOf(cur) === K_CONCAT) {
            r = this.withinOf(s.first(cur), c, nesting + 1);
            cur = s.second(cur);
          }
          r = r && this.withinOf(cur, c, nesting + 1);
          break;
        }
        case K_OR:
          r = s.items(t).every((x) => this.withinOf(x, c, nesting + 1));
          break;
        case K_REPEAT:
          r = this.withinOf(s.first(t), c, nesting + 1);
          break;
      }
      // A spelled character (`\S`: a set of bytes, multi-byte sequences, escapes) is no
      // concatenation of characters, but is one.
      if (!r) r = this.pieceOf(t, c);
    }
    // The recursion may have grown the memo: read it again.
    const memo = grownToHold(this.withinMemo.get(c)!, t);
    memo[t] = r ? 2 : 1;
    this.withinMemo.set(c, memo);
    return r;
  }

  /**
   * Whether L(t) ⊆ L(c), both without intersection or complement (so a derivative other than never
   * has words): a search over pairs (derivative of t, derivative of c) by the same bytes, where c
   * must stay alive while t is and accept where t accepts. No, past PIECE_PAIRS pairs.
   */
  private pieceOf(t: number, c: number): boolean {
    const s = this.store;
    const classes = s.byteClassCount;
    const seen = new Set<number>();
    const stack = [t, c];
    while (stack.length > 0) {
      const y = stack.pop()!;
      const x = stack.pop()!;
      if (s.nullable(x) && !s.nullable(y)) return false;
      for (let cls = 0; cls < classes; cls++) {
        const dx = s.derive(x, cls);
        if (dx === NEVER_T) continue;
        const dy = s.derive(y, cls);
        if (dy === NEVER_T) return false;
        // Term ids fit in 23 bits: a pair is one exact number.
        const key = dx * 2 ** 23 + dy;
        if (seen.has(key)) continue;
        if (seen.size >= PIECE_PAIRS || this.pairsLeft <= 0) return false;
        this.pairsLeft--;
        seen.add(key);
        stack.push(dx, dy);
      }
    }
    return true;
  }
}
