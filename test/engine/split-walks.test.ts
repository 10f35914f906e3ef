/**
 * Split walks (matcher/mask.ts, splitPlan): inside a string whose length bound a whole-trie walk
 * must keep, a plan is the widened state's plan cut to tokens and exits at most L bytes deep, plus
 * a walk from the exact state of the subtrees that reach deeper than L. Checked against the same
 * grammar with split walks off (widened walks on, so only the split differs), at every token of
 * documents that end words and strings near both bounds, and with runs of spaces that are longer
 * than what is left of the bound (Llama-3 has tokens of up to 128 spaces: the widened state allows
 * them, the exact one must not).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Grammar } from '../../src/engine/grammar/ir.ts';
import { setSplitWalks } from '../../src/engine/matcher/mask.ts';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { subtreeDepth } from '../../src/engine/trie/subtree-depth.ts';
import { tokenTrie } from '../../src/engine/trie/token-trie.ts';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import type { Tokenizer } from '../../src/engine/tokenizer/types.ts';
import { llama3, settingKeepsMasks } from './matcher-helpers.ts';

/**
 * The 256 bytes, then `long` (ids 256…), then an end-of-sequence id. Documents are encoded byte by
 * byte; the long tokens are what the masks at each byte must get right.
 */
function withLongTokens(long: string[]): Tokenizer {
  const enc = new TextEncoder();
  const extra = long.map((t) => enc.encode(t));
  const vocabSize = 256 + extra.length + 1;
  const bytes = new Uint8Array(256 + extra.reduce((n, b) => n + b.length, 0));
  const offsets = new Uint32Array(vocabSize + 1);
  for (let b = 0; b < 256; b++) {
    bytes[b] = b;
    offsets[b + 1] = b + 1;
  }
  let at = 256;
  extra.forEach((b, k) => {
    bytes.set(b, at);
    at += b.length;
    offsets[256 + k + 1] = at;
  });
  offsets[vocabSize] = at;
  const isSpecial = new Uint8Array(vocabSize);
  isSpecial[vocabSize - 1] = 1;
  const dec = new TextDecoder();
  return {
    name: 'bytes+long',
    vocabSize,
    bytes,
    offsets,
    isSpecial,
    eosTokens: [vocabSize - 1],
    tokenBytes: (id) => bytes.subarray(offsets[id]!, offsets[id + 1]!),
    specialId: () => undefined,
    encode: (text) => [...enc.encode(text)],
    decode: (ids) => dec.decode(Uint8Array.from(ids.flatMap((i) => [...bytes.subarray(offsets[i]!, offsets[i + 1]!)]))),
  };
}

/** Masks with split walks equal masks without them at every token of every text, and the texts meet split walks. */
function splitsEqualWholeWalks(g: Grammar, tok: Tokenizer, texts: readonly string[]): void {
  const { on, off } = settingKeepsMasks(g, tok, texts, setSplitWalks);
  assert.ok(on.stats().splitPlans > 0, 'the texts meet split walks');
  assert.equal(off.stats().splitPlans, 0);
}

test('subtree depth: the deepest node below each trie node', () => {
  const tok = byteTokenizer();
  const trie = tokenTrie(tok);
  const below = subtreeDepth(trie);
  // The byte vocabulary: 256 one-byte tokens under the root.
  assert.equal(below[0], 1);
  for (let i = 1; i < trie.nodeCount; i++) assert.equal(below[i], trie.depth[i]);
  const l3 = tokenTrie(llama3());
  const deep = subtreeDepth(l3);
  assert.equal(deep[0], l3.maxDepth);
  for (let i = 1; i < l3.nodeCount; i += 997) {
    let m = l3.depth[i]!;
    for (let j = i; j < i + l3.subtreeSize[i]!; j++) m = Math.max(m, l3.depth[j]!);
    assert.equal(deep[i], m, `node ${i}`);
  }
});

test('Llama-3: maxLength 60–100 ∩ word counts: split plans equal whole walks at every token, near both bounds and with long runs of spaces', () => {
  const tok = llama3();
  const schema = {
    type: 'object',
    properties: {
      benefits: { type: 'array', items: { type: 'string', maxLength: 100, pattern: '^(?:\\S+\\s+){0,9}\\S+$' } },
      few: { type: 'string', maxLength: 60, pattern: '^(?:\\S+\\s+){0,2}\\S+$' },
      spaced: { type: 'string', maxLength: 90, pattern: '^(?:\\S+\\s+){0,5}\\S+$' },
    },
  };
  const ten = 'Highly skilled team with over 100 years of combined experience';
  const docs = [
    `{"benefits": ["${ten}", "a b c d e f g h i j", "${'x'.repeat(100)}"], "few": "three short words"}`,
    `{"benefits": ["${'w '.repeat(9)}w", "${'abcdefghi '.repeat(9)}abcdefghi"], "few": "${'y'.repeat(30)} ${'z'.repeat(29)}"}`,
    `{"spaced": "one${' '.repeat(40)}two${' '.repeat(30)}three"}`,
    `{"spaced": "${'q'.repeat(20)}${' '.repeat(69)}r"}`,
  ];
  splitsEqualWholeWalks(compileJsonSchema(schema), tok, docs);
});

test('long tokens that end the string or overrun its bound: split plans equal whole walks at every byte', () => {
  // Tokens longer than what is left of a 50-character bound, some of them closing the string (a
  // token of the string) or closing it and going on (an exit deeper than the cut).
  const long = [
    ' '.repeat(40), ' '.repeat(60), 'word '.repeat(8), `${'a'.repeat(30)}"`, `${'a'.repeat(48)}"`, `${'a'.repeat(48)}",`,
    `${'b'.repeat(20)} ${'c'.repeat(20)}",`, `${' '.repeat(35)}x",`, `"${'d'.repeat(40)}`, 'x'.repeat(17), `${'e'.repeat(44)}"}`,
  ];
  const tok = withLongTokens(long);
  const schema = {
    type: 'object',
    properties: {
      s: { type: 'string', maxLength: 50, pattern: '^(?:\\S+\\s+){0,5}\\S+$' },
      t: { type: 'string', maxLength: 64, pattern: '^(?:\\S+\\s+){0,2}\\S+$' },
    },
  };
  const docs = [
    '{"s": "ab cd", "t": "x"}',
    `{"s": "${'a'.repeat(48)}", "t": "${'b'.repeat(20)} ${'c'.repeat(20)}"}`,
    '{"s": "one two three four five six", "t": "a  b"}',
    `{"t": "${'e'.repeat(44)}"}`,
  ];
  splitsEqualWholeWalks(compileJsonSchema(schema), tok, docs);
});

test('a bounded terminal that ends without a delimiter (exits where the next byte kills it): split plans equal whole walks', () => {
  const long = [`${'a'.repeat(40)};`, `${'a'.repeat(56)};b`, `${'ab '.repeat(15)}c;`, ' '.repeat(44), `${'z'.repeat(30)};${'y'.repeat(20)}`];
  const tok = withLongTokens(long);
  const g = parseLark(String.raw`start: WORDS ";" WORDS ";"
WORDS: /[a-z ]{0,60}/ & /(?:[a-z]+ +){0,5}[a-z]+/
`);
  splitsEqualWholeWalks(g, tok, ['abc def;x;', `${'a'.repeat(40)};b;`, 'ab ab ab ab;ab ab ab;', `${'q'.repeat(58)};r;`]);
});
