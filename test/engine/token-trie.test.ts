import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTokenizer } from '../../src/engine/tokenizer/load.ts';
import { buildTokenTrie, tokenTrie, walkTrie, type TokenTrie } from '../../src/engine/trie/token-trie.ts';
import { clearBit, hasBit, newMask, nextSetBit, popCount, setBit, setBits } from '../../src/engine/trie/token-mask.ts';
import type { Tokenizer } from '../../src/engine/tokenizer/types.ts';
import { rng } from '../helpers/rng.ts';

/**
 * A random prefix-closed byte predicate as a small DFA: `states` states, each byte either goes to a
 * random state or rejects. Common bytes (ASCII letters, space) are allowed more often so walks go deep.
 */
function randomDfa(seed: number, states: number, density: number): Int32Array {
  const r = rng(seed);
  const t = new Int32Array(states * 256);
  for (let s = 0; s < states; s++) {
    for (let b = 0; b < 256; b++) {
      const common = (b >= 0x61 && b <= 0x7a) || b === 0x20;
      t[s * 256 + b] = r() < (common ? Math.min(1, density * 3) : density) ? Math.floor(r() * states) : -1;
    }
  }
  return t;
}

/** Brute force over the vocabulary: token id → final DFA state, for every token the DFA accepts. */
function bruteForce(tok: Tokenizer, dfa: Int32Array, init: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let id = 0; id < tok.vocabSize; id++) {
    if (tok.isSpecial[id]) continue;
    let s = init;
    for (let i = tok.offsets[id]!; i < tok.offsets[id + 1]! && s >= 0; i++) s = dfa[s * 256 + tok.bytes[i]!]!;
    if (s >= 0 && tok.offsets[id + 1]! > tok.offsets[id]!) out.set(id, s);
  }
  return out;
}

function walked(trie: TokenTrie, dfa: Int32Array, init: number): Map<number, number> {
  const out = new Map<number, number>();
  walkTrie(
    trie,
    init,
    (s, b) => dfa[s * 256 + b]!,
    (id, s) => {
      assert.equal(out.has(id), false, `token ${id} reported once`);
      out.set(id, s);
    },
  );
  return out;
}

for (const name of ['llama3', 'qwen3'] as const) {
  test(`token trie (${name}): the walk reports exactly the tokens a random byte predicate accepts, with their states`, () => {
    const tok = loadTokenizer(name);
    const trie = tokenTrie(tok);
    assert.equal(tokenTrie(tok), trie, 'cached per tokenizer');
    assert.equal(trie.vocabSize, tok.vocabSize);
    assert.equal(trie.subtreeSize[0], trie.nodeCount);
    for (let seed = 1; seed <= 6; seed++) {
      const dfa = randomDfa(seed, 1 + (seed % 4), [0.02, 0.2, 0.6, 0.95][seed % 4]!);
      const expected = bruteForce(tok, dfa, 0);
      const got = walked(trie, dfa, 0);
      assert.equal(got.size, expected.size, `seed ${seed}: same number of tokens`);
      for (const [id, s] of expected) assert.equal(got.get(id), s, `seed ${seed}: token ${id}`);
    }
    // Everything accepted: every non-special token is reported.
    let nonSpecial = 0;
    for (let id = 0; id < tok.vocabSize; id++) nonSpecial += tok.isSpecial[id] ? 0 : 1;
    assert.equal(walked(trie, new Int32Array(256).fill(0), 0).size, nonSpecial - trie.emptyTokens.length);
  });
}

test('token trie: node layout is DFS preorder with subtree sizes, depths and bytes spelling each token', () => {
  const tok = loadTokenizer('llama3');
  const trie = tokenTrie(tok);
  const prefix: number[] = [];
  for (let i = 1; i < trie.nodeCount; i++) {
    const d = trie.depth[i]!;
    prefix.length = d - 1;
    prefix.push(trie.byte[i]!);
    // Children follow in ascending byte order: the next sibling has a larger byte.
    const next = i + trie.subtreeSize[i]!;
    if (next < trie.nodeCount && trie.depth[next] === d) assert.ok(trie.byte[next]! > trie.byte[i]!);
    assert.ok(next <= trie.nodeCount);
    const id = trie.tokenId[i]!;
    if (id >= 0 && i % 97 === 0) assert.deepEqual([...tok.tokenBytes(id)], prefix);
  }
});

test('token trie: tokens with identical bytes are all reported; specials and empty tokens stay out', () => {
  const words = ['ab', 'a', 'abc', 'ab', 'b', '', '<|x|>', 'ab', 'ba'];
  const enc = new TextEncoder();
  const parts = words.map((w) => enc.encode(w));
  const offsets = new Uint32Array(words.length + 1);
  for (let i = 0; i < words.length; i++) offsets[i + 1] = offsets[i]! + parts[i]!.length;
  const bytes = new Uint8Array(offsets[words.length]!);
  parts.forEach((p, i) => bytes.set(p, offsets[i]!));
  const isSpecial = new Uint8Array(words.length);
  isSpecial[6] = 1;
  const trie = buildTokenTrie(bytes, offsets, isSpecial);
  // root, a, ab, abc, b, ba
  assert.equal(trie.nodeCount, 6);
  assert.deepEqual([...trie.byte.subarray(1)], [...enc.encode('abcba')]);
  assert.deepEqual([...trie.depth.subarray(1)], [1, 2, 3, 1, 2]);
  assert.deepEqual([...trie.subtreeSize], [6, 3, 2, 1, 2, 1]);
  assert.deepEqual(trie.emptyTokens, [5]);
  const all: number[] = [];
  walkTrie(trie, 0, () => 0, (id) => all.push(id));
  assert.deepEqual(all.sort((x, y) => x - y), [0, 1, 2, 3, 4, 7, 8]);
  // Pruning at 'b' under 'a' drops ab (0, 3, 7) and abc (2) but keeps b and ba at the root level.
  const seen: number[] = [];
  walkTrie(trie, 0, (s, b) => (s === 1 && b === 0x62 ? -1 : 1), (id) => seen.push(id));
  assert.deepEqual(seen.sort((x, y) => x - y), [1, 4, 8]);
});

test('token masks: set, clear, test, count and iterate bits in the shared layout', () => {
  const n = 128_256;
  const m = newMask(n);
  assert.equal(m.length, 4008);
  const r = rng(7);
  const ids = new Set<number>();
  for (let k = 0; k < 5000; k++) ids.add(Math.floor(r() * n));
  ids.add(0);
  ids.add(31);
  ids.add(32);
  ids.add(n - 1);
  for (const id of ids) setBit(m, id);
  assert.equal(popCount(m), ids.size);
  assert.deepEqual(setBits(m), [...ids].sort((a, b) => a - b));
  assert.equal((m[0]! >>> 31) & 1, 1, 'bit 31 of word 0 is token 31');
  assert.equal(nextSetBit(m, n), -1);
  clearBit(m, 31);
  assert.equal(hasBit(m, 31), false);
  assert.equal(nextSetBit(m, 1), ids.has(1) ? 1 : Math.min(...[...ids].filter((x) => x > 1 && x !== 31)));
});
