import { Lexer } from '../lexer/lexer.ts';
import type { TokenTrie } from './token-trie.ts';

/** Categories of characters an exclusion names: 0–95 the plain ASCII characters 0x20–0x7F, 96 every character outside ASCII. */
export const NON_ASCII_CATEGORY = 96;
const CATEGORIES = 97;

/** The category of a byte on a plain path (-1 for a control byte, which no plain path holds). */
function categoryOf(b: number): number {
  return b >= 0x80 ? NON_ASCII_CATEGORY : b >= 0x20 ? b - 0x20 : -1;
}

/**
 * Where each character first appears on the trie's plain paths, so that the slices of an
 * exclusion (string-slices.ts, `excluding`) are cut from the trie instead of walking it: below a
 * plain-path node whose byte is excluded and appears nowhere above it, every token holds an
 * excluded character, and every plain token outside those subtrees holds none. A walk visits the
 * ~275k nodes of Llama-3's trie for an exclusion of one character (2–4 ms, in the mask that first
 * meets the pattern); the cuts of `/` and `#` are a few thousand subtrees, filled in bulk.
 *
 * Built once per tokenizer, on the first exclusion: one pass over the trie.
 */
export class ExclusionCuts {
  /** Per category: the plain-path nodes where it first appears on their path, in node order. */
  readonly first: Int32Array[];
  /** Per category: the summed subtree sizes of those nodes (what cutting them costs). */
  readonly work: Float64Array;
  /** Per node: its parent (the root, node 0, is its own). */
  readonly parent: Int32Array;
  /** Token ids in node order, and per node (nodeCount + 1 entries) where its subtree's ids begin. */
  readonly tokensInOrder: Int32Array;
  readonly tokenStart: Int32Array;

  /** `next`/`start`: the plain-string DFA over bytes (StringSlices). */
  constructor(trie: TokenTrie, next: Int32Array, start: number) {
    const n = trie.nodeCount;
    // Parents and the token ids in node order: every node, plain or not.
    this.parent = new Int32Array(n);
    this.tokenStart = new Int32Array(n + 1);
    const ids: number[] = [];
    const nodeAt = new Int32Array(trie.maxDepth + 1);
    for (let i = 0; i < n; i++) {
      const d = trie.depth[i]!;
      nodeAt[d] = i;
      this.parent[i] = d === 0 ? 0 : nodeAt[d - 1]!;
      this.tokenStart[i] = ids.length;
      for (let t = trie.tokenId[i]!; t >= 0; t = trie.nextSameBytes[t]!) ids.push(t);
    }
    this.tokenStart[n] = ids.length;
    this.tokensInOrder = Int32Array.from(ids);
    // First appearances along plain paths: per depth the category there, and how often each
    // category is on the current path.
    const lists: number[][] = Array.from({ length: CATEGORIES }, () => []);
    this.work = new Float64Array(CATEGORIES);
    const onPath = new Int32Array(CATEGORIES);
    const catAt = new Int32Array(trie.maxDepth + 1).fill(-1);
    const qAt = new Int32Array(trie.maxDepth + 1);
    qAt[0] = start;
    let top = 0;
    let i = 1;
    while (i < n) {
      const d = trie.depth[i]!;
      // Leave the nodes of the path at this depth and below.
      for (; top >= d; top--) if (catAt[top]! >= 0) onPath[catAt[top]!]--;
      const b = trie.byte[i]!;
      const q = next[qAt[d - 1]! * 256 + b]!;
      if (q === Lexer.DEAD) {
        i += trie.subtreeSize[i]!;
        continue;
      }
      qAt[d] = q;
      const k = categoryOf(b);
      if (k >= 0 && onPath[k] === 0) {
        lists[k]!.push(i);
        this.work[k] += trie.subtreeSize[i]!;
      }
      catAt[d] = k;
      if (k >= 0) onPath[k]++;
      top = d;
      i++;
    }
    this.first = lists.map((l) => Int32Array.from(l));
  }
}
