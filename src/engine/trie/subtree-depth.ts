import type { TokenTrie } from './token-trie.ts';

const cache = new WeakMap<TokenTrie, Uint16Array>();

/**
 * Per trie node, the depth of the deepest node in its subtree (itself included): the bytes of the
 * longest token below it. A walk that only needs the tokens longer than L bytes skips every subtree
 * whose value is at most L (mask.ts, split walks). Computed once per trie, children before parents.
 */
export function subtreeDepth(trie: TokenTrie): Uint16Array {
  let out = cache.get(trie);
  if (out !== undefined) return out;
  const { depth, subtreeSize, nodeCount } = trie;
  out = new Uint16Array(nodeCount);
  for (let i = nodeCount - 1; i >= 0; i--) {
    let m = i === 0 ? 0 : depth[i]!;
    const end = i + subtreeSize[i]!;
    for (let c = i + 1; c < end; c += subtreeSize[c]!) if (out[c]! > m) m = out[c]!;
    out[i] = m;
  }
  cache.set(trie, out);
  return out;
}
