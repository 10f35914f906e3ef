import { Lexer } from '../lexer/lexer.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import type { Regex } from '../regex/ast.ts';
import type { Tokenizer } from '../tokenizer/types.ts';
import { tokenTrie, type TokenTrie } from './token-trie.ts';
import { subtreeDepth } from './subtree-depth.ts';
import { childIndex } from './child-index.ts';

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

/** Plain length of a token that is not plain (or special, or empty). */
export const NOT_PLAIN = 255;
/** The unbounded slice: every plain token, whatever its length (lengths are capped below it). */
export const UNBOUNDED = 254;
/** The smallest bound worth a slice: below it the walk skips little. */
export const MIN_SLICE_BOUND = 8;

export class StringSlices {
  /** Per token: its plain length (1..UNBOUNDED), or NOT_PLAIN. */
  readonly plainLength: Uint8Array;
  /**
   * Per trie node: the largest plain length of the tokens in its subtree (NOT_PLAIN if one is not
   * plain). A walk that may take slice k skips any subtree with subtreeMax ≤ k.
   */
  readonly subtreeMax: Uint8Array;
  /**
   * Per trie node: as subtreeMax, except that a token made of a plain prefix of p whole characters
   * and then a control byte (U+0000–U+001F, which no JSON string holds raw) counts as p. Where control
   * bytes kill the lexeme, such tokens are refused at that byte with no exit, so a walk may skip a
   * subtree of them too (slice-use.ts decides where). NOT_PLAIN for quotes, backslashes and others.
   */
  readonly subtreeMaxCtrl: Uint8Array;
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
  /** Slice bitmaps built so far, by bound. */
  private readonly bitmaps = new Map<number, Uint32Array>();
  /** Plain tokens by plain length (index 1..UNBOUNDED), to build a slice from a smaller one. */
  private readonly byLength: Int32Array[];
  private readonly words: number;

  constructor(tok: Tokenizer) {
    const trie = tokenTrie(tok);
    this.words = (tok.vocabSize + 31) >>> 5;
    // The plain-string DFA, built whole (a handful of states: one per UTF-8 continuation context).
    const lx = new Lexer([{ kind: 'repeat', item: PLAIN_CHAR, min: 0, max: Infinity }], DEFAULT_LIMITS);
    this.start = lx.startState([0]);
    const queue = [this.start];
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
    const nStates = lx.stateCount;
    // 256 wide here (the lexer's table is by byte class): every transition was computed above.
    this.next = new Int32Array(nStates * 256);
    for (let q = 0; q < nStates; q++) for (let b = 0; b < 256; b++) this.next[q * 256 + b] = lx.next(q, b);
    this.states = nStates;
    this.byteClass = new Uint8Array(256);
    const classes = new Map<string, number>();
    for (let b = 0; b < 256; b++) {
      const column: number[] = [];
      for (let q = 0; q < nStates; q++) column.push(this.next[q * 256 + b]!);
      const key = column.join(',');
      if (!classes.has(key)) classes.set(key, classes.size);
      this.byteClass[b] = classes.get(key)!;
    }

    // Plain lengths: walk the trie with the DFA, counting characters (bytes that are not 10xxxxxx).
    const plain = new Uint8Array(tok.vocabSize).fill(NOT_PLAIN);
    const n = trie.nodeCount;
    const qAt = new Int32Array(trie.maxDepth + 1);
    const charsAt = new Int32Array(trie.maxDepth + 1);
    // Nodes where a control byte ends a plain prefix: the prefix's characters (else NOT_PLAIN).
    const ctrlRoot = new Uint8Array(n).fill(NOT_PLAIN);
    qAt[0] = this.start;
    let i = 1;
    while (i < n) {
      const d = trie.depth[i]!;
      const b = trie.byte[i]!;
      const q = this.next[qAt[d - 1]! * 256 + b]!;
      if (q === Lexer.DEAD) {
        // Only after whole characters: the search checks control bytes at character boundaries.
        if (b < 0x20 && qAt[d - 1] === this.start) ctrlRoot[i] = Math.min(charsAt[d - 1]!, UNBOUNDED);
        i += trie.subtreeSize[i]!;
        continue;
      }
      qAt[d] = q;
      const chars = charsAt[d - 1]! + ((b & 0xc0) === 0x80 ? 0 : 1);
      charsAt[d] = chars;
      for (let t = trie.tokenId[i]!; t >= 0; t = trie.nextSameBytes[t]!) plain[t] = Math.min(chars, UNBOUNDED);
      i++;
    }
    this.plainLength = plain;
    const counts = new Int32Array(UNBOUNDED + 1);
    for (let t = 0; t < plain.length; t++) if (plain[t]! <= UNBOUNDED) counts[plain[t]!]++;
    this.byLength = Array.from(counts, (c) => new Int32Array(c));
    counts.fill(0);
    for (let t = 0; t < plain.length; t++) if (plain[t]! <= UNBOUNDED) this.byLength[plain[t]!]![counts[plain[t]!]!++] = t;
    this.bitmaps.set(0, new Uint32Array(this.words));

    this.subtreeMax = subtreeMaxima(trie, plain, null);
    this.subtreeMaxCtrl = subtreeMaxima(trie, plain, ctrlRoot);
  }

  /**
   * The slice of bound k (0..UNBOUNDED) as a vocabulary bitmap, built once per bound from the
   * largest smaller one already built (a tight string walk meets every bound below its maxLength).
   * Do not modify.
   */
  tokens(k: number): Uint32Array {
    let bits = this.bitmaps.get(k);
    if (bits === undefined) {
      let from = k - 1;
      while (!this.bitmaps.has(from)) from--;
      bits = this.bitmaps.get(from)!.slice();
      for (let len = from + 1; len <= k; len++) {
        const ids = this.byLength[len]!;
        for (let j = 0; j < ids.length; j++) bits[ids[j]! >>> 5]! |= 1 << (ids[j]! & 31);
      }
      this.bitmaps.set(k, bits);
    }
    return bits;
  }
}

/**
 * Per trie node, the largest plain length of the tokens in its subtree (NOT_PLAIN if one is not
 * plain); a node with a value in `fixed` (other than NOT_PLAIN) takes that value for its whole
 * subtree. Children before parents: a node's subtree follows it in preorder.
 */
function subtreeMaxima(trie: TokenTrie, plain: Uint8Array, fixed: Uint8Array | null): Uint8Array {
  const n = trie.nodeCount;
  const max = new Uint8Array(n);
  for (let j = n - 1; j >= 1; j--) {
    if (fixed !== null && fixed[j] !== NOT_PLAIN) {
      max[j] = fixed[j]!;
      continue;
    }
    let m = 0;
    for (let t = trie.tokenId[j]!; t >= 0; t = trie.nextSameBytes[t]!) if (plain[t]! > m) m = plain[t]!;
    const end = j + trie.subtreeSize[j]!;
    for (let c = j + 1; c < end && m < NOT_PLAIN; c += trie.subtreeSize[c]!) if (max[c]! > m) m = max[c]!;
    max[j] = m;
  }
  max[0] = NOT_PLAIN;
  return max;
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
  stringSlices(tok);
}
