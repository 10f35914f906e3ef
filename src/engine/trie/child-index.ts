/**
 * The children of every trie node, found by byte. The trie (token-trie.ts) lists a node's children
 * only implicitly (they follow it in byte order, each subtree skipped by its size), so reaching the
 * child with byte b means stepping over every smaller sibling: up to ~200 under the root of a
 * 128k-token vocabulary. Walks that follow given strings through the trie (literal-walk.ts: the
 * rest of a property name) want one child per byte and used to spend most of their time stepping
 * over siblings; here each node's children are a sorted run of a flat array, binary-searched.
 * Built once per trie (9 bytes per node: 2.5 MB and ~40 ms for Llama-3), ahead of the first mask
 * by prepareTokenizer.
 */
import type { TokenTrie } from './token-trie.ts';

export interface ChildIndex {
  /** Children of node p: nodes[start[p] … start[p + 1]), ascending in byte (and node number). */
  readonly start: Int32Array;
  readonly nodes: Int32Array;
  /** The byte of nodes[k]. */
  readonly bytes: Uint8Array;
}

const cache = new WeakMap<TokenTrie, ChildIndex>();

/** The child index of a trie, built on first use. */
export function childIndex(trie: TokenTrie): ChildIndex {
  let ix = cache.get(trie);
  if (ix === undefined) {
    ix = buildChildIndex(trie);
    cache.set(trie, ix);
  }
  return ix;
}

function buildChildIndex(trie: TokenTrie): ChildIndex {
  const n = trie.nodeCount;
  const depth = trie.depth;
  // The parent of node i is the last node met at depth(i) - 1 (pre-order).
  const atDepth = new Int32Array(trie.maxDepth + 2);
  const parent = new Int32Array(n);
  const start = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) {
    const d = depth[i]!;
    atDepth[d] = i;
    const p = d === 1 ? 0 : atDepth[d - 1]!;
    parent[i] = p;
    start[p + 1]!++;
  }
  for (let p = 0; p < n; p++) start[p + 1]! += start[p]!;
  const nodes = new Int32Array(Math.max(0, n - 1));
  const bytes = new Uint8Array(nodes.length);
  const fill = start.slice(0, n);
  // Nodes in increasing order: each parent's run comes out in byte order.
  for (let i = 1; i < n; i++) {
    const k = fill[parent[i]!]!++;
    nodes[k] = i;
    bytes[k] = trie.byte[i]!;
  }
  return { start, nodes, bytes };
}

/** The child of node p whose byte is b, or -1. */
export function childWithByte(ix: ChildIndex, p: number, b: number): number {
  let lo = ix.start[p]!;
  let hi = ix.start[p + 1]! - 1;
  const bytes = ix.bytes;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const m = bytes[mid]!;
    if (m === b) return ix.nodes[mid]!;
    if (m < b) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
