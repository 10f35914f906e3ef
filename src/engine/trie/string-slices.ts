import { Lexer } from '../lexer/lexer.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import type { Regex } from '../regex/ast.ts';
import type { Tokenizer } from '../tokenizer/types.ts';
import { tokenTrie, type TokenTrie } from './token-trie.ts';
import { subtreeDepth } from './subtree-depth.ts';
import { childIndex } from './child-index.ts';
import { NOT_PLAIN, SliceSet, subtreeMaxima, UNBOUNDED } from './slice-set.ts';
import { ExclusionCuts, NON_ASCII_CATEGORY } from './exclusion-cuts.ts';

/**
 * Precomputed token sets for the densest lexeme context there is: the inside of a string, where
 * almost every token is allowed (llguidance calls these "slices"). Walking a 128k-token trie there
 * costs milliseconds; with slices, a mask in such a state starts from a precomputed bitmap and the
 * walk visits only the trie subtrees that hold some other token (≈ 14k of 275k nodes for Llama-3).
 *
 * A token is *plain* when its bytes are a prefix of a string of plain characters: any Unicode scalar
 * value except `"`, `\` and U+0000–U+001F, in valid UTF-8 (a trailing incomplete character counts as
 * one character). Its plain length is its number of characters. The slice of bound k is the set of
 * plain tokens of at most k characters; a mask walker may take the whole slice without walking it in
 * a lexer state where every plain string of at most k characters stays inside the current lexeme
 * (matcher/slice-use.ts decides that), which holds for unconstrained strings (any k), strings with
 * a maxLength (k up to the characters left) and keys that must differ from a list of names.
 */

/**
 * Characters a JSON string holds without escaping (what plain tokens are made of), less U+2028 and
 * U+2029: a pattern's `.` refuses those two (line terminators in ECMA-262), so with them no plain
 * slice could be proven inside a `.`-pattern string (`^(.+)/(.+)$`), whose first walk then visited
 * the whole trie. The few tokens holding them are walked one by one instead.
 */
export const PLAIN_CHAR: Regex = {
  kind: 'chars',
  ranges: [
    [0x20, 0x21],
    [0x23, 0x5b],
    [0x5d, 0x2027],
    [0x202a, 0xd7ff],
    [0xe000, 0x10ffff],
  ],
};

export { NOT_PLAIN, UNBOUNDED };
/**
 * An exclusion's slices are cut (ExclusionCuts) from at most MAX_CUTS nodes holding at most
 * MAX_CUT_WORK trie nodes per node of the trie below them (nested cuts count again); past either
 * the trie is walked. With Llama-3 a cut costs ~0.3 ms and ~70 ns per node cut (`/`: 186 nodes,
 * 0.8 ms against a 3.7 ms walk; `aeiou`: 46k nodes, 3.5 ms against 1.9 ms).
 */
const MAX_CUTS = 10_000;
const MAX_CUT_WORK = 2;
let exclusionCutsOn = true;
/** Builds exclusions' slices by walking the trie (false) or cutting it (true, the default): for tests and A/B runs. */
export function setExclusionCuts(on: boolean): void {
  exclusionCutsOn = on;
}

/** The smallest bound worth a slice: below it the walk skips little. */
export const MIN_SLICE_BOUND = 8;

/**
 * Characters a family of slices leaves out (StringSlices.excluding): some plain ASCII characters,
 * and optionally every character outside ASCII. Inside a pattern like `[^/]+` or `\S+ \S+`, every
 * plain string stays inside the lexeme only while it avoids a few characters: the slice of the
 * tokens that avoid them is taken whole and only the tokens holding one are walked.
 */
export class Exclusion {
  /** Per byte: 1 when a token holding it is left out (every byte from 0x80 with nonAscii). */
  readonly bytes = new Uint8Array(256);
  /**
   * Names the exclusion: one slice family per key and tokenizer. Always a flag first (`+` with every
   * non-ASCII character, `-` without), then the ASCII characters: with the flag written only when
   * set, excluding the letter `u` and excluding every non-ASCII character had one key, and one family.
   */
  readonly key: string;

  constructor(ascii: readonly number[], readonly nonAscii: boolean) {
    for (const b of ascii) if (b >= 0x20 && b < 0x80) this.bytes[b] = 1;
    if (nonAscii) this.bytes.fill(1, 0x80);
    let key = nonAscii ? '+' : '-';
    for (let b = 0x20; b < 0x80; b++) if (this.bytes[b] === 1) key += String.fromCharCode(b);
    this.key = key;
  }
}

export class StringSlices extends SliceSet {
  /** Per token: its plain length (1..UNBOUNDED), or NOT_PLAIN. */
  readonly plainLength: Uint8Array;
  /**
   * The DFA of plain strings over bytes (state 0 dead, `start` the empty string): next[q * 256 + b],
   * so a bounded search can follow plain strings.
   */
  readonly next: Int32Array;
  /** States of that DFA (ids 0 .. states - 1). */
  readonly states: number;
  readonly start: number;
  /** Per byte: its class in the plain-string DFA (bytes of a class step alike from every state). */
  readonly byteClass: Uint8Array;
  private readonly trie: TokenTrie;
  private readonly words: number;
  /** The slice families of exclusions met so far, by Exclusion.key. */
  private readonly excluded = new Map<string, SliceSet>();
  /** Where each character first appears on the plain paths (exclusion-cuts.ts), built on the first exclusion. */
  private cuts: ExclusionCuts | null = null;

  constructor(tok: Tokenizer) {
    const trie = tokenTrie(tok);
    const words = (tok.vocabSize + 31) >>> 5;
    const dfa = plainDfa();
    const { plain, ctrlRoot } = plainLengths(trie, tok.vocabSize, dfa.next, dfa.start);
    // Plain tokens by plain length (index 1..UNBOUNDED), to build a slice from a smaller one (a
    // tight string walk meets every bound below its maxLength).
    const counts = new Int32Array(UNBOUNDED + 1);
    for (let t = 0; t < plain.length; t++) if (plain[t]! <= UNBOUNDED) counts[plain[t]!]++;
    const byLength = Array.from(counts, (c) => new Int32Array(c));
    counts.fill(0);
    for (let t = 0; t < plain.length; t++) if (plain[t]! <= UNBOUNDED) byLength[plain[t]!]![counts[plain[t]!]!++] = t;
    const build = (k: number, built: ReadonlyMap<number, Uint32Array>): Uint32Array => {
      let from = k - 1;
      while (from >= 0 && !built.has(from)) from--;
      const bits = from >= 0 ? built.get(from)!.slice() : new Uint32Array(words);
      for (let len = Math.max(from + 1, 1); len <= k; len++) {
        const ids = byLength[len]!;
        for (let j = 0; j < ids.length; j++) bits[ids[j]! >>> 5]! |= 1 << (ids[j]! & 31);
      }
      return bits;
    };
    super(subtreeMaxima(trie, plain, null), subtreeMaxima(trie, plain, ctrlRoot), build);
    this.plainLength = plain;
    this.trie = trie;
    this.words = words;
    this.next = dfa.next;
    this.states = dfa.states;
    this.start = dfa.start;
    this.byteClass = dfa.byteClass;
  }

  /**
   * The slices of the plain tokens that hold no character of `x`, built once per exclusion and
   * tokenizer: below each plain-path node where an excluded byte first meets a plain prefix every
   * token holds one, so its subtree and the nodes above it get NOT_PLAIN and its tokens leave every
   * slice. Those nodes come from the tokenizer's ExclusionCuts (exclusion-cuts.ts) unless cutting
   * them would cost more than walking the trie (an excluded letter); then the trie is walked (with
   * Llama-3, 0.8–1.3 ms for a class like `[a-z0-9_-]`, 2–4 ms for one character excluded).
   */
  excluding(x: Exclusion): SliceSet {
    let set = this.excluded.get(x.key);
    if (set !== undefined) return set;
    const max = this.subtreeMax.slice();
    const maxCtrl = this.subtreeMaxCtrl.slice();
    const cuts = this.exclusionCuts();
    const cut = exclusionCutsOn ? this.cutExcluded(x, cuts, max, maxCtrl) : null;
    // Cut: the tokens below the cuts leave; walked: the tokens of the nodes reached stay.
    const leave = cut !== null;
    const marked = cut ?? this.walkExcluded(x, cuts.parent, max, maxCtrl);
    const words = this.words;
    set = new SliceSet(max, maxCtrl, (k) => {
      const bits = this.tokens(k).slice();
      if (leave) for (let w = 0; w < words; w++) bits[w]! &= ~marked[w]!;
      else for (let w = 0; w < words; w++) bits[w]! &= marked[w]!;
      return bits;
    });
    this.excluded.set(x.key, set);
    return set;
  }

  /** Where each character first appears on the plain paths, built once (~20 ms with Llama-3; prepareTokenizer builds it). */
  exclusionCuts(): ExclusionCuts {
    return (this.cuts ??= new ExclusionCuts(this.trie, this.next, this.start));
  }

  /** Marks NOT_PLAIN at node i's subtree (up to `end`) and at the ancestors above it that are not yet. */
  private markCut(i: number, end: number, max: Uint8Array, maxCtrl: Uint8Array, parent: Int32Array): void {
    max.fill(NOT_PLAIN, i, end);
    maxCtrl.fill(NOT_PLAIN, i, end);
    // Maxima grow toward the root (no control root lies on a plain path): past an ancestor that is
    // NOT_PLAIN in both, every one above it is too.
    for (let p = parent[i]!; p !== 0; p = parent[p]!) {
      if (max[p] === NOT_PLAIN && maxCtrl[p] === NOT_PLAIN) break;
      max[p] = NOT_PLAIN;
      maxCtrl[p] = NOT_PLAIN;
    }
  }

  /**
   * The cut form of `excluding`: marks the subtrees below the first excluded byte of each plain
   * path (a cut nested in another is marked again, harmlessly), and returns the tokens below them;
   * null when that would cost more than a walk.
   */
  private cutExcluded(x: Exclusion, cuts: ExclusionCuts, max: Uint8Array, maxCtrl: Uint8Array): Uint32Array | null {
    const trie = this.trie;
    const categories: number[] = [];
    for (let b = 0x20; b < 0x80; b++) if (x.bytes[b] === 1) categories.push(b - 0x20);
    if (x.nonAscii) categories.push(NON_ASCII_CATEGORY);
    let work = 0;
    let count = 0;
    for (const k of categories) {
      work += cuts.work[k]!;
      count += cuts.first[k]!.length;
    }
    if (count > MAX_CUTS || work > MAX_CUT_WORK * trie.nodeCount) return null;
    const below = new Uint32Array(this.words);
    const ids = cuts.tokensInOrder;
    for (const k of categories) {
      const first = cuts.first[k]!;
      for (let j = 0; j < first.length; j++) {
        const i = first[j]!;
        const end = i + trie.subtreeSize[i]!;
        this.markCut(i, end, max, maxCtrl, cuts.parent);
        for (let t = cuts.tokenStart[i]!, e = cuts.tokenStart[end]!; t < e; t++) below[ids[t]! >>> 5]! |= 1 << (ids[t]! & 31);
      }
    }
    return below;
  }

  /** The walked form of `excluding`: marks as it goes, and returns the tokens of the nodes a plain string avoiding x reaches. */
  private walkExcluded(x: Exclusion, parent: Int32Array, max: Uint8Array, maxCtrl: Uint8Array): Uint32Array {
    const trie = this.trie;
    const kept = new Uint32Array(this.words);
    const next = this.next;
    const n = trie.nodeCount;
    const qAt = new Int32Array(trie.maxDepth + 1);
    qAt[0] = this.start;
    let i = 1;
    while (i < n) {
      const d = trie.depth[i]!;
      const b = trie.byte[i]!;
      const q = next[qAt[d - 1]! * 256 + b]!;
      const end = i + trie.subtreeSize[i]!;
      // Below a byte no plain string holds, every token was already not plain.
      if (q === Lexer.DEAD) {
        i = end;
        continue;
      }
      if (x.bytes[b] === 0) {
        qAt[d] = q;
        for (let t = trie.tokenId[i]!; t >= 0; t = trie.nextSameBytes[t]!) kept[t >>> 5]! |= 1 << (t & 31);
        i++;
        continue;
      }
      // Every token at or below i holds an excluded byte.
      this.markCut(i, end, max, maxCtrl, parent);
      i = end;
    }
    return kept;
  }
}

/** The plain-string DFA over bytes, built whole (a handful of states: one per UTF-8 continuation context). */
function plainDfa(): { next: Int32Array; states: number; start: number; byteClass: Uint8Array } {
  const lx = new Lexer([{ kind: 'repeat', item: PLAIN_CHAR, min: 0, max: Infinity }], DEFAULT_LIMITS);
  const start = lx.startState([0]);
  const queue = [start];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const q = queue.pop()!;
    for (let b = 0; b < 256; b++) {
      const q2 = lx.next(q, b);
      if (q2 !== Lexer.DEAD && !seen.has(q2)) {
        seen.add(q2);
        queue.push(q2);
      }
    }
  }
  const states = lx.stateCount;
  // 256 wide here (the lexer's table is by byte class): every transition was computed above.
  const next = new Int32Array(states * 256);
  for (let q = 0; q < states; q++) for (let b = 0; b < 256; b++) next[q * 256 + b] = lx.next(q, b);
  const byteClass = new Uint8Array(256);
  const classes = new Map<string, number>();
  for (let b = 0; b < 256; b++) {
    const column: number[] = [];
    for (let q = 0; q < states; q++) column.push(next[q * 256 + b]!);
    const key = column.join(',');
    if (!classes.has(key)) classes.set(key, classes.size);
    byteClass[b] = classes.get(key)!;
  }
  return { next, states, start, byteClass };
}

/**
 * Plain lengths: the trie walked with the plain DFA, counting characters (bytes that are not
 * 10xxxxxx); and the nodes where a control byte ends a plain prefix, with that prefix's characters.
 */
function plainLengths(trie: TokenTrie, vocabSize: number, next: Int32Array, start: number): { plain: Uint8Array; ctrlRoot: Uint8Array } {
  const plain = new Uint8Array(vocabSize).fill(NOT_PLAIN);
  const n = trie.nodeCount;
  const qAt = new Int32Array(trie.maxDepth + 1);
  const charsAt = new Int32Array(trie.maxDepth + 1);
  const ctrlRoot = new Uint8Array(n).fill(NOT_PLAIN);
  qAt[0] = start;
  let i = 1;
  while (i < n) {
    const d = trie.depth[i]!;
    const b = trie.byte[i]!;
    const q = next[qAt[d - 1]! * 256 + b]!;
    if (q === Lexer.DEAD) {
      // Only after whole characters: the search checks control bytes at character boundaries.
      if (b < 0x20 && qAt[d - 1] === start) ctrlRoot[i] = Math.min(charsAt[d - 1]!, UNBOUNDED);
      i += trie.subtreeSize[i]!;
      continue;
    }
    qAt[d] = q;
    const chars = charsAt[d - 1]! + ((b & 0xc0) === 0x80 ? 0 : 1);
    charsAt[d] = chars;
    for (let t = trie.tokenId[i]!; t >= 0; t = trie.nextSameBytes[t]!) plain[t] = Math.min(chars, UNBOUNDED);
    i++;
  }
  return { plain, ctrlRoot };
}

const cache = new WeakMap<Tokenizer, StringSlices>();

/** The string slices of a tokenizer, computed once (tens of milliseconds for 128k tokens). */
export function stringSlices(tok: Tokenizer): StringSlices {
  let s = cache.get(tok);
  if (s === undefined) {
    s = new StringSlices(tok);
    cache.set(tok, s);
  }
  return s;
}

/**
 * Builds a tokenizer's vocabulary trie and string slices now (the first mask would otherwise):
 * what a server does once at startup, so no request pays for it. Idempotent.
 */
export function prepareTokenizer(tok: Tokenizer): void {
  const trie = tokenTrie(tok);
  childIndex(trie);
  subtreeDepth(trie);
  stringSlices(tok).exclusionCuts();
}
