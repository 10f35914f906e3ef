/**
 * String slices (trie/string-slices.ts) and the search that decides where one may be taken whole
 * (matcher/slice-bound.ts). A wrong slice would put tokens in a mask that consume refuses, so the
 * end-to-end checks compare whole masks with consume, token by token, inside constrained strings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { withLimits } from '../../src/engine/limits.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { GrammarCore } from '../../src/engine/matcher/core.ts';
import { sliceBound } from '../../src/engine/matcher/slice-bound.ts';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import { NOT_PLAIN, SLICE_BOUNDS, stringSlices, UNBOUNDED } from '../../src/engine/trie/string-slices.ts';
import { tokenTrie } from '../../src/engine/trie/token-trie.ts';
import { assertMaskAgrees, hasBit, llama3, rng, tokenSample } from './matcher-helpers.ts';

const tok = llama3();
const slices = stringSlices(tok);
const enc = new TextEncoder();

function idOf(text: string): number {
  const ids = tok.encode(text);
  assert.equal(ids.length, 1, `${JSON.stringify(text)} is one Llama-3 token`);
  return ids[0]!;
}

test('plain lengths: characters of tokens without quote, backslash or control bytes', () => {
  assert.equal(slices.plainLength[idOf('hello')], 5);
  assert.equal(slices.plainLength[idOf(' world')], 6);
  assert.equal(slices.plainLength[idOf('é')], 1);
  assert.equal(slices.plainLength[idOf('"')], NOT_PLAIN);
  assert.equal(slices.plainLength[idOf('\\')], NOT_PLAIN);
  assert.equal(slices.plainLength[idOf('\n')], NOT_PLAIN);
  assert.equal(slices.plainLength[idOf('",')], NOT_PLAIN);
  for (const e of tok.eosTokens) assert.equal(slices.plainLength[e], NOT_PLAIN);
  // Byte-level tokens: a lone continuation byte is not plain; a lone lead byte is one (unfinished) character.
  const trie = tokenTrie(tok);
  const single = new Map<number, number>();
  for (let i = 1; i < trie.nodeCount; i += trie.subtreeSize[i]!) if (trie.tokenId[i]! >= 0) single.set(trie.byte[i]!, trie.tokenId[i]!);
  assert.equal(slices.plainLength[single.get(0x80)!], NOT_PLAIN);
  assert.equal(slices.plainLength[single.get(0xe2)!], 1);
  assert.equal(slices.plainLength[single.get(0xff)!], NOT_PLAIN);
});

test('subtree maxima and slice bitmaps agree with the plain lengths', () => {
  const trie = tokenTrie(tok);
  const r = rng(3);
  for (let n = 0; n < 300; n++) {
    const i = 1 + Math.floor(r() * (trie.nodeCount - 1));
    let m = 0;
    for (let j = i; j < i + trie.subtreeSize[i]!; j++) {
      for (let t = trie.tokenId[j]!; t >= 0; t = trie.nextSameBytes[t]!) m = Math.max(m, slices.plainLength[t]!);
    }
    assert.equal(slices.subtreeMax[i], m, `node ${i}`);
  }
  for (const k of [8, UNBOUNDED]) {
    const bits = slices.tokens(k);
    for (let t = 0; t < tok.vocabSize; t += 7) assert.equal(hasBit(bits, t), slices.plainLength[t]! <= k, `token ${t}, k ${k}`);
  }
});

/** The slice bound in the lexer state reached by reading `prefix` from the start of `lexeme`. */
function boundAfter(lark: string, prefix: string): number {
  const core = new GrammarCore(parseLark(lark), tok, withLimits());
  let s = core.lexer.startState([0]);
  for (const b of enc.encode(prefix)) s = core.lexer.next(s, b);
  assert.notEqual(s, 0, `${JSON.stringify(prefix)} keeps the lexeme alive`);
  return sliceBound(core, slices, s);
}

test('slice bounds: unbounded strings, length-bounded strings, character classes, lazy lexemes', () => {
  const free = String.raw`start: S
S: /"[^"\\\x00-\x1f]*"/`;
  assert.equal(boundAfter(free, '"'), UNBOUNDED);
  assert.equal(boundAfter(free, '"abc é'), UNBOUNDED);
  // Mid-character: the search starts inside a UTF-8 sequence and still proves the whole slice.
  assert.equal(boundAfter(free, '"a\u00e9'.slice(0, 2)), UNBOUNDED);
  const upTo40 = String.raw`start: S
S: /"[^"\\\x00-\x1f]{0,40}"/`;
  assert.equal(boundAfter(upTo40, '"'), 32);
  assert.equal(boundAfter(upTo40, '"' + 'x'.repeat(20)), 16);
  assert.equal(boundAfter(upTo40, '"' + 'x'.repeat(30)), 8);
  assert.equal(boundAfter(upTo40, '"' + 'x'.repeat(35)), 0);
  // Every bound is one of SLICE_BOUNDS and bounded strings never get the unbounded slice.
  assert.ok(SLICE_BOUNDS.includes(32) && SLICE_BOUNDS.includes(8));
  // Letters only: a space kills the lexeme, so no plain slice applies.
  assert.equal(boundAfter(String.raw`start: S
S: /"[a-z]*"/`, '"'), 0);
  // A lazy lexeme ends at its first match: inside `"` … `end`, the plain string "end" ends it, so
  // no slice of more than three characters holds there.
  assert.equal(boundAfter(String.raw`start: s
s[lazy]: /"[^"\\]*end/`, '"'), 0);
});

test('masks inside constrained strings agree with consume for every allowed token', () => {
  const schema = {
    type: 'object',
    properties: {
      free: { type: 'string' },
      short: { type: 'string', maxLength: 12 },
      words: { type: 'string', maxLength: 60, pattern: '^(?:\\S+\\s+){0,4}\\S+$' },
    },
    required: ['free', 'short', 'words'],
    additionalProperties: false,
  };
  const cg = compile(compileJsonSchema(schema, {}), tok);
  const doc = '{"free": "naïve café ☃ text", "short": "twelve chars", "words": "two or three"}';
  assert.ok(cg.matches(doc));
  const ids = tok.encode(doc);
  const bits = new Uint32Array(cg.maskWords);
  const sample = tokenSample(tok, 2000, 5);
  const m = cg.matcher();
  for (let i = 0; i <= ids.length; i++) {
    // Every allowed token is checked (slices are all-or-nothing, a wrong one shows here).
    assertMaskAgrees(m, tok, bits, sample, Infinity, `${JSON.stringify(doc)} after ${i} tokens`);
    if (i < ids.length) assert.ok(m.consume(ids[i]!));
  }
  assert.ok(cg.stats().slicedPlans > 0, 'some masks took a slice');
});
