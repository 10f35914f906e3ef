/**
 * The trie walk of mask.ts for a lexer state whose every alive lexeme has one way to go on, spelled
 * byte by byte: the inside of a property name or an enum value, after its first distinguishing
 * bytes. Such states are most of the first visits in function-calling schemas (every position of a
 * property name is a new lexer state), and the general walk pays for them in lexer states: each
 * node it keeps is one derivative and one interned state (a few µs), although nothing is left to
 * decide. Here the walk follows the remaining strings through the trie by comparing bytes, builds
 * no lexer state, and yields exactly what the general walk would: the tokens that stay inside or end
 * with a lexeme, and the exits (where a lexeme ends and the next one starts) with the lexemes they
 * complete.
 */
import type { TokenTrie } from '../trie/token-trie.ts';
import { childIndex, childWithByte, type ChildIndex } from '../trie/child-index.ts';

/**
 * What a literal walk found, appended to by each call: token ids, and per exit the lexemes it
 * completes (sorted ids; the same array object for every exit of one node, so callers can key
 * groups by identity), its trie range [first, end) and the depth of the node whose children start
 * the next lexeme.
 */
/** walkRanges indexes ranges by byte from this many ranges (fewer are looked at one by one). */
const INDEX_MIN_RANGES = 16;

/**
 * Walk ranges by byte: the ranges that are one trie subtree, grouped by the subtree's byte
 * (order[start[b]], …, order[start[b + 1] - 1], ascending), and the other ranges (`others`).
 */
interface RangeIndex {
  start: Int32Array;
  order: Int32Array;
  others: Int32Array;
}

/**
 * Per ranges' first-node array (never modified, and the same object for every grammar that takes
 * the ranges from the shared store, matcher/shared-plans.ts): its RangeIndex.
 */
const rangeIndexes = new WeakMap<Int32Array, RangeIndex>();

function rangeIndex(trie: TokenTrie, firsts: Int32Array, ends: Int32Array): RangeIndex {
  let ix = rangeIndexes.get(firsts);
  if (ix !== undefined) return ix;
  const size = trie.subtreeSize;
  const start = new Int32Array(257);
  const others: number[] = [];
  for (let r = 0; r < firsts.length; r++) {
    const first = firsts[r]!;
    if (ends[r] === first + size[first]!) start[trie.byte[first]! + 1]!++;
    else others.push(r);
  }
  for (let b = 0; b < 256; b++) start[b + 1]! += start[b]!;
  const at = start.slice(0, 256);
  const order = new Int32Array(firsts.length - others.length);
  for (let r = 0; r < firsts.length; r++) {
    const first = firsts[r]!;
    if (ends[r] === first + size[first]!) order[at[trie.byte[first]!]!++] = r;
  }
  ix = { start, order, others: Int32Array.from(others) };
  rangeIndexes.set(firsts, ix);
  return ix;
}

let singlePath = true;
/** Turns the one-string walk (LiteralWalk.path) off or on: for tests and A/B benchmarks. */
export function setSinglePath(on: boolean): void {
  singlePath = on;
}

export class LiteralWalk {
  tokens: number[] = [];
  exitLexemes: number[][] = [];
  exitFirst: number[] = [];
  exitEnd: number[] = [];
  exitDepth: number[] = [];
  /** Trie nodes looked at (statistics). */
  visited = 0;
  private index: ChildIndex | null = null;
  private readonly firstBytes = new Uint8Array(256);
  /** Scratch of walkRanges: the ranges to walk (at most 256 one-subtree ranges and the others). */
  private picked = new Int32Array(0);

  /**
   * Empties what was found (one walk object serves every walk of a MaskWalker). New arrays, not
   * `length = 0`: truncating an array is a runtime call in V8, dearer than a small allocation.
   */
  reset(): void {
    if (this.tokens.length > 0) this.tokens = [];
    if (this.exitFirst.length > 0) {
      this.exitLexemes = [];
      this.exitFirst = [];
      this.exitEnd = [];
      this.exitDepth = [];
    }
    this.visited = 0;
  }

  private exit(lexemes: number[], first: number, end: number, depth: number): void {
    this.exitLexemes.push(lexemes);
    this.exitFirst.push(first);
    this.exitEnd.push(end);
    this.exitDepth.push(depth);
  }

  /**
   * walk() over each range [firsts[r], ends[r]) (an exit group's ranges, mask.ts). A range that is
   * one subtree whose byte no string starts with yields nothing unless some string is already
   * complete (the byte then ends it: an exit), so it is not walked: below a lexeme that ends before
   * any byte (a comma, then a property name), a group's ranges are one such subtree per byte.
   */
  walkRanges(trie: TokenTrie, firsts: Int32Array, ends: Int32Array, depths: Int32Array, fresh: boolean, words: readonly (readonly number[])[], lexemes: Int32Array, lazy: Uint8Array): void {
    const starts = this.firstBytes;
    starts.fill(0);
    if (this.picked.length < firsts.length) this.picked = new Int32Array(firsts.length);
    let complete = false;
    for (const w of words) {
      if (w.length === 0) complete = true;
      else if (w[0]! >= 0) starts[w[0]!] = 1;
    }
    const size = trie.subtreeSize;
    if (complete || firsts.length < INDEX_MIN_RANGES) {
      for (let r = 0; r < firsts.length; r++) {
        const first = firsts[r]!;
        if (!complete && ends[r] === first + size[first]! && starts[trie.byte[first]!] === 0) continue;
        this.walk(trie, first, ends[r]!, depths[r]!, fresh, words, lexemes, lazy);
      }
      return;
    }
    // Many ranges (one subtree per byte below a comma): only those a string starts in are walked,
    // found through the ranges' index by byte, in range order as above.
    const ix = rangeIndex(trie, firsts, ends);
    const pick = this.picked;
    let n = 0;
    for (let k = 0; k < ix.others.length; k++) pick[n++] = ix.others[k]!;
    let sources = ix.others.length > 0 ? 1 : 0;
    for (let b = 0; b < 256; b++) {
      if (starts[b] === 0 || ix.start[b] === ix.start[b + 1]) continue;
      for (let k = ix.start[b]!; k < ix.start[b + 1]!; k++) pick[n++] = ix.order[k]!;
      sources++;
    }
    if (sources > 1) pick.subarray(0, n).sort();
    for (let k = 0; k < n; k++) {
      const r = pick[k]!;
      this.walk(trie, firsts[r]!, ends[r]!, depths[r]!, fresh, words, lexemes, lazy);
    }
  }

  /**
   * Walks the trie nodes [first, end) (siblings and their subtrees; their parent at depth `depth`)
   * from a state whose alive lexemes are `lexemes` (ascending) and still need the bytes `words[k]`
   * each (Lexer.literalsOf: a list ending with -1 goes on past the trie's depth). `fresh`: the state
   * is at a lexeme boundary (no exit before the first byte). `lazy[id]`: lexeme id ends at its
   * first match.
   */
  walk(trie: TokenTrie, first: number, end: number, depth: number, fresh: boolean, words: readonly (readonly number[])[], lexemes: Int32Array, lazy: Uint8Array): void {
    if (singlePath && words.length === 1 && words[0]!.length > 0) {
      this.path(trie, first, end, depth, words[0]!, lexemes[0]!);
      return;
    }
    const live: number[] = [];
    for (let k = 0; k < words.length; k++) live.push(k);
    this.index ??= childIndex(trie);
    // [first, end) is either one subtree (an exit before a byte) or all the children of first - 1.
    const parent = end === first + trie.subtreeSize[first]! ? -1 : first - 1;
    this.level(trie, first, end, depth, 0, live, fresh, words, lexemes, lazy, parent);
  }

  /**
   * walk() for one string that is not complete yet (the rest of a property name or an enum value,
   * most literal states): what level() and child() find then, with no array per node. The string
   * takes one child per level (the child with its next byte), whose tokens stay inside the lexeme;
   * where it ends, the child's subtree is an exit (lazy or not, nothing goes on). No exit before a
   * byte: the state accepts only once the string is spelled.
   */
  private path(trie: TokenTrie, first: number, end: number, depth: number, word: readonly number[], lexeme: number): void {
    const size = trie.subtreeSize;
    const byteOf = trie.byte;
    const ix = (this.index ??= childIndex(trie));
    // [first, end) is either one subtree (an exit before a byte) or all the children of first - 1.
    let parent = end === first + size[first]! ? -1 : first - 1;
    for (let j = 0; ; j++) {
      const b = word[j]!;
      let i = -1;
      if (parent >= 0) {
        i = childWithByte(ix, parent, b);
        if (i >= 0) this.visited++;
      } else {
        // Siblings in ascending byte order, looked at (and counted) up to the string's byte.
        for (let c = first; c < end; c += size[c]!) {
          const cb = byteOf[c]!;
          if (cb > b) break;
          this.visited++;
          if (cb === b) {
            i = c;
            break;
          }
        }
      }
      if (i < 0) return;
      for (let t = trie.tokenId[i]!; t >= 0; t = trie.nextSameBytes[t]!) this.tokens.push(t);
      if (j + 1 === word.length) {
        if (size[i]! > 1) this.exit([lexeme], i + 1, i + size[i]!, depth + j + 1);
        return;
      }
      parent = i;
    }
  }

  /**
   * The children [first, end) of a node reached after j bytes of the strings `live` (indices into
   * words), at trie depth base + j; `parent` is that node when [first, end) are all its children,
   * else -1.
   */
  private level(
    trie: TokenTrie,
    first: number,
    end: number,
    base: number,
    j: number,
    live: readonly number[],
    fresh: boolean,
    words: readonly (readonly number[])[],
    lexemes: Int32Array,
    lazy: Uint8Array,
    parent: number,
  ): void {
    const size = trie.subtreeSize;
    const byteOf = trie.byte;
    // The node's own state: the lexemes complete here, and the next byte of each that goes on.
    let accepting: number[] | null = null;
    let last = -1;
    for (const k of live) {
      const w = words[k]!;
      if (w.length === j) (accepting ??= []).push(lexemes[k]!);
      else if (w[j]! > last) last = w[j]!;
    }
    // A byte that no string takes ends the lexeme before it, where the state accepts (not at a
    // lexeme boundary: lexemes are not empty).
    const exitsOnDeath = accepting !== null && !(j === 0 && fresh);
    if (!exitsOnDeath && parent >= 0) {
      // Only the children taking a string's next byte matter: found by byte (child-index.ts), not
      // by stepping over their smaller siblings. Bytes ascending, as the loop below meets them.
      const ix = this.index!;
      let b = -1;
      for (;;) {
        let nb = 256;
        for (const k of live) {
          const w = words[k]!;
          if (w.length > j && w[j]! > b && w[j]! < nb) nb = w[j]!;
        }
        if (nb === 256) return;
        b = nb;
        const i = childWithByte(ix, parent, b);
        if (i < 0) continue;
        this.visited++;
        this.child(trie, i, b, base, j, live, fresh, words, lexemes, lazy);
      }
    }
    for (let i = first; i < end; i += size[i]!) {
      const b = byteOf[i]!;
      // Children come in ascending byte order: past the largest byte a string takes, only exits remain.
      if (b > last && !exitsOnDeath) break;
      this.visited++;
      if (!this.child(trie, i, b, base, j, live, fresh, words, lexemes, lazy) && exitsOnDeath) this.exit(accepting!, i, i + size[i]!, base + j);
    }
  }

  /** Child i (byte b) of a node at level j: false when no string takes b there. */
  private child(
    trie: TokenTrie,
    i: number,
    b: number,
    base: number,
    j: number,
    live: readonly number[],
    fresh: boolean,
    words: readonly (readonly number[])[],
    lexemes: Int32Array,
    lazy: Uint8Array,
  ): boolean {
    let next: number[] | null = null;
    for (const k of live) {
      const w = words[k]!;
      if (w.length > j && w[j] === b) (next ??= []).push(k);
    }
    if (next === null) return false;
    for (let t = trie.tokenId[i]!; t >= 0; t = trie.nextSameBytes[t]!) this.tokens.push(t);
    // The child ends its lexeme when nothing goes on or a lazy lexeme is complete (core.ts F_ENDS).
    let done: number[] | null = null;
    let goesOn = false;
    let lazyDone = false;
    for (const k of next) {
      if (words[k]!.length === j + 1) {
        (done ??= []).push(lexemes[k]!);
        if (lazy[lexemes[k]!]) lazyDone = true;
      } else goesOn = true;
    }
    const size = trie.subtreeSize[i]!;
    if (!goesOn || lazyDone) {
      if (size > 1) this.exit(done!, i + 1, i + size, base + j + 1);
      return true;
    }
    this.level(trie, i + 1, i + size, base, j + 1, next, fresh, words, lexemes, lazy, i);
    return true;
  }
}
