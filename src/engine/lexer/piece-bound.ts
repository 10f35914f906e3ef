import { TermStore, NEVER_T } from './terms.ts';

/**
 * How many pieces of a repeated term one token can hold (docs/engine-optimizations.md §24).
 *
 * A trie walk reads one token (at most the trie's depth in bytes) and one byte more (whether a
 * lexeme can extend). Widened canonical ids (canonical-terms.ts) name r{m,n} as r{min(m, p+1),}
 * for such walks when n ≥ p and no string they read can hold more than p non-empty pieces of r:
 * within p pieces both agree on everything a walk asks. §20 takes p = the depth in bytes; for
 * most repeated terms the vocabulary's tokens hold far fewer pieces (a word-count pattern
 * `(\S+\s+){0,49}`: a handful of words per token), so a counter of a few dozen is then named as
 * unbounded, and every position of a string with such a pattern shares one walk instead of one
 * per count.
 *
 * The count is exact for the vocabulary: one pass over the token trie, keeping per node the most
 * pieces each derivative of r can have begun in some substring of the node's bytes (a piece may
 * begin at any byte, since the walk may enter r{m,n} mid-token). Once per repeated term and
 * vocabulary in the process (`pieceBounds`, keyed by canonical id).
 */

/** The trie fields the count reads (trie/token-trie.ts). */
export interface TrieBytes {
  readonly nodeCount: number;
  readonly maxDepth: number;
  readonly byte: Uint8Array;
  readonly depth: Uint16Array;
}

/** Derivatives of one repeated term the count follows at most: past it, no bound (the cap). */
const MAX_PIECE_STATES = 256;
/**
 * Pair comparisons one count may make in all (per trie node, the adds times the pairs each looks
 * at): past it, no bound (the cap). The dev set's largest count needs about 1.6M; a term with many
 * derivatives alive at once could need 256² per node, and a grammar (a request to `ananke serve`)
 * chooses its terms.
 */
const MAX_PIECE_STEPS = 8_000_000;

/** How many counts the process took (tests). */
export let pieceCountsTaken = 0;

const byTrie = new WeakMap<TrieBytes, Map<number, number>>();

/**
 * The process-wide bounds for one vocabulary's walks: canonical id of r → the most pieces of r a
 * walk (one token and one byte) can read. Entries are only added (Lexer.notePieceBounds).
 */
export function pieceBounds(trie: TrieBytes): Map<number, number> {
  let m = byTrie.get(trie);
  if (m === undefined) byTrie.set(trie, (m = new Map()));
  return m;
}

/**
 * The most non-empty pieces of r (a term without intersection or complement) that begin in a
 * substring of one token of the trie, or `cap` when that is at least `cap` (or r has too many
 * derivatives to follow).
 */
export function piecesInTokens(store: TermStore, byteClass: Uint8Array, r: number, trie: TrieBytes, cap: number): number {
  pieceCountsTaken++;
  const width = MAX_PIECE_STATES;
  // The derivatives of r met so far (state 0 is r: a piece about to begin), whether each may end
  // a piece, and their transitions by byte: -2 not computed, -1 dead.
  const terms: number[] = [r];
  const index = new Map<number, number>([[r, 0]]);
  const ends = new Uint8Array(width);
  ends[0] = store.nullable(r) ? 1 : 0;
  const trans = new Int32Array(width * 256).fill(-2);
  let over = false;
  const fill = (q: number, b: number): number => {
    const d = store.derive(terms[q]!, byteClass[b]!);
    let v = d === NEVER_T ? -1 : (index.get(d) ?? -1);
    if (d !== NEVER_T && v < 0) {
      if (terms.length >= width) {
        // Too many to follow: the answer is `cap` (no -1 is kept, which would mean dead).
        over = true;
        return -1;
      }
      v = terms.length;
      terms.push(d);
      index.set(d, v);
      ends[v] = store.nullable(d) ? 1 : 0;
    }
    trans[q * 256 + b] = v;
    return v;
  };
  // Per depth of the walk: the (state, pieces begun) pairs after the node's bytes, few at a time.
  const stateAt = new Int32Array((trie.maxDepth + 1) * width);
  const countAt = new Int32Array((trie.maxDepth + 1) * width);
  const lenAt = new Int32Array(trie.maxDepth + 1);
  const { byte, depth, nodeCount } = trie;
  let best = 0;
  let steps = 0;
  for (let i = 1; i < nodeCount; i++) {
    const d = depth[i]!;
    const b = byte[i]!;
    const base = d * width;
    const from = base - width;
    let n = 0;
    let begin = trans[b]!;
    if (begin === -2) begin = fill(0, b);
    const parents = lenAt[d - 1]!;
    for (let j = 0; j < parents; j++) {
      const q = stateAt[from + j]!;
      const c = countAt[from + j]!;
      let q2 = trans[q * 256 + b]!;
      if (q2 === -2) q2 = fill(q, b);
      if (q2 >= 0) n = add(stateAt, countAt, base, n, q2, c);
      // The piece may end before b and the next begin with it.
      if (begin >= 0 && ends[q] === 1) n = add(stateAt, countAt, base, n, begin, c + 1);
    }
    // Or the first piece begins here.
    if (begin >= 0) n = add(stateAt, countAt, base, n, begin, 1);
    // At most 2 * parents + 1 adds, each looking at up to n pairs.
    steps += (2 * parents + 1) * (n + 1);
    if (steps > MAX_PIECE_STEPS) return cap;
    lenAt[d] = n;
    for (let k = 0; k < n; k++) if (countAt[base + k]! > best) best = countAt[base + k]!;
    if (best >= cap || over) return cap;
  }
  return best;
}

/** Adds (q, c) to the n pairs at `base` (keeping the larger count for a state already there); the new n. */
function add(stateAt: Int32Array, countAt: Int32Array, base: number, n: number, q: number, c: number): number {
  for (let k = base; k < base + n; k++) {
    if (stateAt[k] === q) {
      if (countAt[k]! < c) countAt[k] = c;
      return n;
    }
  }
  stateAt[base + n] = q;
  countAt[base + n] = c;
  return n + 1;
}
