import type { TokenTrie } from './token-trie.ts';

/** Plain length of a token that is not plain (or special, or empty). */
export const NOT_PLAIN = 255;
/** The unbounded slice: every plain token, whatever its length (lengths are capped below it). */
export const UNBOUNDED = 254;

/**
 * One family of string slices (trie/string-slices.ts): per trie node the largest plain length
 * below it, and a bitmap per bound k of the plain tokens of at most k characters. The plain tokens
 * are those of every plain character (StringSlices itself) or those that also avoid an exclusion
 * (StringSlices.excluding: the tokens a pattern like `[^/]+` keeps whole).
 */
export class SliceSet {
  /** Slice bitmaps built so far, by bound. */
  private readonly bitmaps = new Map<number, Uint32Array>();

  constructor(
    /**
     * Per trie node: the largest plain length of the tokens in its subtree (NOT_PLAIN if one is not
     * plain). A walk that may take slice k skips any subtree with subtreeMax ≤ k.
     */
    readonly subtreeMax: Uint8Array,
    /**
     * Per trie node: as subtreeMax, except that a token made of a plain prefix of p whole characters
     * and then a control byte (U+0000–U+001F, which no JSON string holds raw) counts as p. Where
     * control bytes kill the lexeme, such tokens are refused at that byte with no exit, so a walk
     * may skip a subtree of them too (slice-use.ts decides where). NOT_PLAIN for quotes, backslashes
     * and others.
     */
    readonly subtreeMaxCtrl: Uint8Array,
    /** Builds the slice of bound k, given the bitmaps built so far (by bound). */
    private readonly build: (k: number, built: ReadonlyMap<number, Uint32Array>) => Uint32Array,
  ) {}

  /** The slice of bound k (0..UNBOUNDED) as a vocabulary bitmap, built once per bound. Do not modify. */
  tokens(k: number): Uint32Array {
    let bits = this.bitmaps.get(k);
    if (bits === undefined) {
      bits = this.build(k, this.bitmaps);
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
export function subtreeMaxima(trie: TokenTrie, plain: Uint8Array, fixed: Uint8Array | null): Uint8Array {
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
