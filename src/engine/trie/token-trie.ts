import type { Tokenizer } from '../tokenizer/types.ts';

/**
 * A byte trie over every non-special token of a vocabulary, in flat typed arrays laid out for a
 * depth-first walk with pruning (the inner loop of mask computation).
 *
 * Layout. Nodes are numbered in DFS preorder; node 0 is the root (the empty prefix, no byte).
 * Children of a node follow it in ascending byte order, so a node's subtree is the contiguous range
 * [i, i + subtreeSize[i]). For node i > 0:
 * - `byte[i]`        the byte on the edge into i;
 * - `depth[i]`       the length of the prefix that i spells (1 for children of the root);
 * - `tokenId[i]`     the smallest token id whose bytes are exactly that prefix, or -1;
 * - `subtreeSize[i]` nodes in i's subtree including i: skip the subtree with `i += subtreeSize[i]`.
 * Several ids can have identical bytes (e.g. an added token equal to a vocabulary entry): they are
 * chained through `nextSameBytes[id]` (the next larger id with the same bytes, or -1).
 *
 * Walking protocol (reference: `walkTrie` below). Keep one state per depth in a stack indexed by
 * depth; stack[0] is the state before any byte. Visit nodes i = 1, 2, … in order:
 *   s = step(stack[depth[i] - 1], byte[i])
 *   if s rejects: i += subtreeSize[i]      (no token with this prefix can be allowed)
 *   else: stack[depth[i]] = s; report tokenId[i] and its nextSameBytes chain; i += 1
 * Preorder guarantees stack[depth[i] - 1] holds the state of i's parent when i is visited, so no
 * explicit pops are needed. The walk visits each surviving node once and each pruned subtree root
 * once. Special tokens are not in the trie: the caller decides about them (EOS, `<|…|>` symbols).
 */
export interface TokenTrie {
  readonly vocabSize: number;
  readonly nodeCount: number;
  /** Longest token in bytes = the largest depth; a walk stack needs maxDepth + 1 entries. */
  readonly maxDepth: number;
  readonly byte: Uint8Array;
  readonly depth: Uint16Array;
  readonly tokenId: Int32Array;
  readonly subtreeSize: Uint32Array;
  /** Indexed by token id: the next id with identical bytes, or -1. */
  readonly nextSameBytes: Int32Array;
  /** Non-special tokens with zero bytes (never in the trie: they match anywhere). */
  readonly emptyTokens: readonly number[];
}

const trieCache = new WeakMap<Tokenizer, TokenTrie>();

/** The trie of a tokenizer's non-special tokens, built once per tokenizer. */
export function tokenTrie(tok: Tokenizer): TokenTrie {
  let t = trieCache.get(tok);
  if (!t) {
    t = buildTokenTrie(tok.bytes, tok.offsets, tok.isSpecial);
    trieCache.set(tok, t);
  }
  return t;
}

/** Compares the byte strings of tokens a and b (lexicographic, shorter first on a tie). */
function compareTokens(bytes: Uint8Array, offsets: Uint32Array, a: number, b: number): number {
  let i = offsets[a]!;
  let j = offsets[b]!;
  const ea = offsets[a + 1]!;
  const eb = offsets[b + 1]!;
  while (i < ea && j < eb) {
    const d = bytes[i]! - bytes[j]!;
    if (d !== 0) return d;
    i++;
    j++;
  }
  return ea - i - (eb - j) || a - b;
}

/** Below this many ids a bucket is finished with insertion sort. */
const RADIX_CUTOFF = 24;

/**
 * Sorts token ids by their bytes (then by id): MSD radix sort on the byte at each depth, which is
 * ~5× faster than a comparison sort over 150k tokens. Bucket 0 holds tokens that end at the depth.
 */
function sortByBytes(ids: Int32Array, bytes: Uint8Array, offsets: Uint32Array): void {
  const tmp = new Int32Array(ids.length);
  const count = new Int32Array(258);
  // Explicit stack of [lo, hi, depth] ranges (no recursion: depth can reach the longest token).
  const stack: number[] = [0, ids.length, 0];
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (hi - lo <= RADIX_CUTOFF) {
      for (let i = lo + 1; i < hi; i++) {
        const v = ids[i]!;
        let j = i - 1;
        while (j >= lo && compareTokens(bytes, offsets, ids[j]!, v) > 0) {
          ids[j + 1] = ids[j]!;
          j--;
        }
        ids[j + 1] = v;
      }
      continue;
    }
    count.fill(0);
    for (let i = lo; i < hi; i++) {
      const id = ids[i]!;
      const p = offsets[id]! + depth;
      count[(p < offsets[id + 1]! ? bytes[p]! + 1 : 0) + 1]++;
    }
    for (let k = 1; k < 258; k++) count[k] = count[k]! + count[k - 1]!;
    const bucketStart = Int32Array.from(count.subarray(0, 257));
    for (let i = lo; i < hi; i++) {
      const id = ids[i]!;
      const p = offsets[id]! + depth;
      tmp[lo + count[p < offsets[id + 1]! ? bytes[p]! + 1 : 0]!++] = id;
    }
    ids.set(tmp.subarray(lo, hi), lo);
    // Tokens ending here (bucket 0) are identical up to this depth: ids are already ascending
    // within it because the scan is stable and the input started in id order.
    for (let k = 1; k < 257; k++) {
      const a = lo + bucketStart[k]!;
      const b = lo + count[k]!;
      if (b - a > 1) stack.push(a, b, depth + 1);
    }
  }
}

export function buildTokenTrie(bytes: Uint8Array, offsets: Uint32Array, isSpecial: Uint8Array): TokenTrie {
  const vocabSize = isSpecial.length;
  const emptyTokens: number[] = [];
  const ids: number[] = [];
  let totalBytes = 0;
  for (let id = 0; id < vocabSize; id++) {
    if (isSpecial[id]) continue;
    const len = offsets[id + 1]! - offsets[id]!;
    if (len === 0) emptyTokens.push(id);
    else {
      ids.push(id);
      totalBytes += len;
    }
  }
  // Sorted by bytes, each token shares a prefix with the one before it; the part after that
  // prefix adds new nodes in preorder.
  const order = Int32Array.from(ids);
  sortByBytes(order, bytes, offsets);

  // Upper bound on nodes: the root plus one per token byte.
  const cap = totalBytes + 1;
  const byteArr = new Uint8Array(cap);
  const depthArr = new Uint16Array(cap);
  const tokenArr = new Int32Array(cap).fill(-1);
  const subtree = new Uint32Array(cap);
  const nextSame = new Int32Array(vocabSize).fill(-1);

  // path[d] = node at depth d on the current path; lastTok[n] = last id chained at node n.
  let maxLen = 0;
  for (let k = 0; k < order.length; k++) maxLen = Math.max(maxLen, offsets[order[k]! + 1]! - offsets[order[k]!]!);
  const path = new Int32Array(maxLen + 1);
  let pathLen = 0; // depth of the deepest node on the path
  let n = 1; // next free node
  let prev = -1;
  let lastChained = -1;
  for (let k = 0; k < order.length; k++) {
    const id = order[k]!;
    const s = offsets[id]!;
    const len = offsets[id + 1]! - s;
    // Common prefix with the previous token.
    let common = 0;
    if (prev >= 0) {
      const ps = offsets[prev]!;
      const plen = offsets[prev + 1]! - ps;
      const lim = Math.min(len, plen);
      while (common < lim && bytes[s + common] === bytes[ps + common]) common++;
    }
    // Close nodes deeper than the common prefix.
    while (pathLen > common) {
      const node = path[pathLen]!;
      subtree[node] = n - node;
      pathLen--;
    }
    for (let d = common; d < len; d++) {
      const node = n++;
      byteArr[node] = bytes[s + d]!;
      depthArr[node] = d + 1;
      path[++pathLen] = node;
    }
    const end = path[len]!;
    if (tokenArr[end]! < 0) tokenArr[end] = id;
    else nextSame[lastChained] = id; // identical bytes: sorted by id, so chain in increasing order
    lastChained = id;
    prev = id;
  }
  while (pathLen > 0) {
    const node = path[pathLen]!;
    subtree[node] = n - node;
    pathLen--;
  }
  subtree[0] = n;

  return {
    vocabSize,
    nodeCount: n,
    maxDepth: maxLen,
    byte: byteArr.slice(0, n),
    depth: depthArr.slice(0, n),
    tokenId: tokenArr.slice(0, n),
    subtreeSize: subtree.slice(0, n),
    nextSameBytes: nextSame,
    emptyTokens,
  };
}

/**
 * Reference walk (see the protocol above). `step(state, byte)` returns the next state (≥ 0) or -1
 * to reject; `onToken(id, state)` is called for every token whose bytes all step successfully,
 * with the state after its last byte. States are small integers (e.g. lexer DFA states).
 * The matcher inlines this loop; this version exists to document and test the protocol.
 */
export function walkTrie(
  trie: TokenTrie,
  init: number,
  step: (state: number, byte: number) => number,
  onToken: (id: number, state: number) => void,
  stack: Int32Array = new Int32Array(trie.maxDepth + 1),
): void {
  const { byte, depth, tokenId, subtreeSize, nextSameBytes, nodeCount } = trie;
  stack[0] = init;
  let i = 1;
  while (i < nodeCount) {
    const d = depth[i]!;
    const s = step(stack[d - 1]!, byte[i]!);
    if (s < 0) {
      i += subtreeSize[i]!;
      continue;
    }
    stack[d] = s;
    for (let t = tokenId[i]!; t >= 0; t = nextSameBytes[t]!) onToken(t, s);
    i++;
  }
}
