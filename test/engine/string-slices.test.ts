/**
 * String slices (trie/string-slices.ts) and the search that decides where one may be taken whole
 * (matcher/slice-use.ts). A wrong slice would put tokens in a mask that consume refuses, so the
 * end-to-end checks compare whole masks with consume, token by token, inside constrained strings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { withLimits } from '../../src/engine/limits.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { GrammarCore } from '../../src/engine/matcher/core.ts';
import { controlSearchBytes, setBoundedSlices, sliceSearchBytes, sliceUse, type Proven, type SliceUse, plainLeadBytes } from '../../src/engine/matcher/slice-use.ts';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import { NOT_PLAIN, prepareTokenizer, stringSlices, UNBOUNDED } from '../../src/engine/trie/string-slices.ts';
import { tokenTrie } from '../../src/engine/trie/token-trie.ts';
import { loadTokenizer } from '../../src/engine/tokenizer/load.ts';
import type { Tokenizer } from '../../src/engine/tokenizer/types.ts';
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
  for (const k of [0, 8, 9, 3, UNBOUNDED]) {
    const bits = slices.tokens(k);
    for (let t = 0; t < tok.vocabSize; t += 7) assert.equal(hasBit(bits, t), slices.plainLength[t]! <= k, `token ${t}, k ${k}`);
  }
});

/** The slice use in the lexer state reached by reading `prefix` from the start of lexeme 0. */
/** A use of the plain family (every plain token), as its bounds. */
function bounds(use: SliceUse | null): Omit<SliceUse, 'set'> | null {
  if (use === null) return null;
  assert.equal(use.set, slices, 'the plain family');
  return { take: use.take, skip: use.skip, ctrl: use.ctrl };
}

function useAfter(lark: string, prefix: string, then?: { more: string; limits: Map<number, Proven> }): Omit<SliceUse, 'set'> | null {
  const core = new GrammarCore(parseLark(lark), tok, withLimits());
  let s = core.lexer.startState([0]);
  for (const b of enc.encode(prefix)) s = core.lexer.next(s, b);
  assert.notEqual(s, 0, `${JSON.stringify(prefix)} keeps the lexeme alive`);
  const limits = then?.limits ?? new Map<number, Proven>();
  const first = sliceUse(core, slices, sliceSearchBytes(core, slices), controlSearchBytes(core), plainLeadBytes(slices), s, limits);
  if (!then) return bounds(first);
  for (const b of enc.encode(then.more)) s = core.lexer.next(s, b);
  return bounds(sliceUse(core, slices, sliceSearchBytes(core, slices), controlSearchBytes(core), plainLeadBytes(slices), s, limits));
}

test('slice use: unbounded strings, length-bounded strings (tight), character classes, lazy lexemes', (t) => {
  t.after(() => setBoundedSlices(true));
  const all = { take: UNBOUNDED, skip: UNBOUNDED, ctrl: UNBOUNDED };
  const free = String.raw`start: S
S: /"[^"\\\x00-\x1f]*"/`;
  assert.deepEqual(useAfter(free, '"'), all);
  assert.deepEqual(useAfter(free, '"abc é'), all);
  // Raw control characters allowed: their tokens must be walked (no control skip).
  assert.deepEqual(useAfter(String.raw`start: S
S: /"[^"\\]*"/`, '"'), { take: UNBOUNDED, skip: UNBOUNDED, ctrl: -1 });
  // Mid-character: the search starts inside a UTF-8 sequence and still proves the whole slice.
  assert.deepEqual(useAfter(free, '"a\u00e9'.slice(0, 2)), all);
  // maxLength 40: the search looks 32 characters ahead, then the characters left are exact: allowed
  // up to them, every longer plain token refused. (The search's own answers: the bound read off the
  // terms, bounded-slices.test.ts, is off here; what it gives is checked at the end.)
  const upTo40 = String.raw`start: S
S: /"[^"\\\x00-\x1f]{0,40}"/`;
  setBoundedSlices(false);
  assert.deepEqual(useAfter(upTo40, '"'), { take: 32, skip: 32, ctrl: 32 });
  assert.deepEqual(useAfter(upTo40, '"' + 'x'.repeat(10)), { take: 30, skip: UNBOUNDED, ctrl: UNBOUNDED });
  assert.deepEqual(useAfter(upTo40, '"' + 'x'.repeat(35)), { take: 5, skip: UNBOUNDED, ctrl: UNBOUNDED });
  assert.deepEqual(useAfter(upTo40, '"' + 'x'.repeat(40)), { take: 0, skip: UNBOUNDED, ctrl: UNBOUNDED });
  // Not tight: past 20 characters lower-case letters still go on, so only the slice of 20 holds.
  assert.deepEqual(useAfter(String.raw`start: S
S: /"([^"\\\x00-\x1f]{0,20}|[a-z]*)"/`, '"'), { take: 20, skip: 20, ctrl: 20 });
  // Not tight either: one character, then any number of `a` (the state after "b" comes back after
  // "ba"), so some two-character strings live on although no new state appears at two characters.
  assert.equal(useAfter(String.raw`start: S
S: /"[^"\\\x00-\x1f]a*"/`, '"'), null);
  // A long bound: the search stops 32 characters ahead; the states it met inherit the proof (5
  // characters later, 28 are left proven) and are not searched again.
  const long = String.raw`start: S
S: /"[^"\\\x00-\x1f]{0,500}"/`;
  assert.deepEqual(useAfter(long, '"'), { take: 32, skip: 32, ctrl: 32 });
  const limits = new Map<number, Proven>();
  assert.deepEqual(useAfter(long, '"', { more: 'abcde', limits }), { take: 27, skip: 27, ctrl: 27 });
  assert.ok(limits.size >= 32, `limits recorded for the states met: ${limits.size}`);
  // Letters only: a space kills the lexeme while letters go on, so no plain slice applies.
  assert.equal(useAfter(String.raw`start: S
S: /"[a-z]*"/`, '"'), null);
  // A lazy lexeme ends at its first match: inside `"` … `end`, the plain string "end" ends it, so
  // no slice of more than three characters holds there (and an accepting state is never tight).
  assert.equal(useAfter(String.raw`start: s
s[lazy]: /"[^"\\]*end/`, '"'), null);
  // Inside a literal, one plain character goes on and the others die: decided on the state's first
  // bytes (Lexer.liveBytes), before any search, without building the literal's states.
  const core = new GrammarCore(parseLark('start: K\nK: "\\"configuration_identifier\\""\n'), tok, withLimits());
  let s = core.lexer.startState([0]);
  for (const b of enc.encode('"conf')) s = core.lexer.next(s, b);
  const before = core.lexer.stateCount;
  assert.equal(sliceUse(core, slices, sliceSearchBytes(core, slices), controlSearchBytes(core), plainLeadBytes(slices), s, new Map()), null);
  assert.equal(core.lexer.stateCount, before, 'no state built');
  // No plain character lives (only the closing quote): still searched, the tight case with none left.
  assert.deepEqual(useAfter(String.raw`start: S
S: /"ab"/`, '"ab'), { take: 0, skip: UNBOUNDED, ctrl: UNBOUNDED });
  // The bound read off the terms: exact at once, also past the search's 32 characters.
  setBoundedSlices(true);
  assert.deepEqual(useAfter(upTo40, '"'), { take: 40, skip: UNBOUNDED, ctrl: UNBOUNDED });
  assert.deepEqual(useAfter(upTo40, '"' + 'x'.repeat(35)), { take: 5, skip: UNBOUNDED, ctrl: UNBOUNDED });
  assert.deepEqual(useAfter(long, '"'), { take: UNBOUNDED - 1, skip: UNBOUNDED - 1, ctrl: UNBOUNDED - 1 });
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

test('a `.` pattern takes string slices: U+2028 and U+2029, which `.` refuses, are not plain characters', () => {
  // The plain-string DFA stops at U+2028 (E2 80 A8) and U+2029, and goes on after U+2027 and U+202A.
  const after = (bytes: number[]): number => bytes.reduce((q, b) => (q === 0 ? 0 : slices.next[q * 256 + b]!), slices.start);
  assert.equal(after([0xe2, 0x80, 0xa8]), 0);
  assert.equal(after([0xe2, 0x80, 0xa9]), 0);
  assert.notEqual(after([0xe2, 0x80, 0xa7]), 0);
  assert.notEqual(after([0xe2, 0x80, 0xaa]), 0);
  const cg = compile(compileJsonSchema({ type: 'object', properties: { mediatype: { type: 'string', pattern: '^(.+)/(.+)$' } } }), tok, withLimits({ sharedPlanBytes: 0 }));
  const doc = '{"mediatype": "text/csv"}';
  const ids = tok.encode(doc);
  const bits = new Uint32Array(cg.maskWords);
  const sample = tokenSample(tok, 2000, 11);
  const m = cg.matcher();
  for (let i = 0; i <= ids.length; i++) {
    assertMaskAgrees(m, tok, bits, sample, Infinity, `${doc} after ${i} tokens`);
    if (i < ids.length) assert.ok(m.consume(ids[i]!));
  }
  // A count of work, not a time: with U+2028 plain, no slice is proven in the string and its first
  // walks visit the whole trie (564k nodes over this document; 37k with the slices).
  assert.ok(cg.stats().walkedNodes < 150_000, `walked ${cg.stats().walkedNodes} trie nodes`);
});

test('law on random string-like lexemes: masks with slices agree with consume', () => {
  lawOnRandomLexemes(tok, 24, 17);
});

test('the same law with Qwen3 (151k tokens, another byte-level vocabulary)', () => {
  lawOnRandomLexemes(loadTokenizer('qwen3'), 8, 23);
});

function lawOnRandomLexemes(tok: Tokenizer, grammars: number, seed: number): void {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const classes = [String.raw`[^"\\\x00-\x1f]`, '[a-z ]', String.raw`[^"\\\x00-\x1f ]`, '[a-zé☃ ]', String.raw`[^"\\]`];
  const bounds = ['*', '+', '{0,3}', '{2,9}', '{0,40}', '{5}'];
  let checked = 0;
  for (let g = 0; g < grammars; g++) {
    const body = `${pick(classes)}${pick(bounds)}`;
    const alt = r() < 0.3 ? `|${pick(['key', 'name', 'a b'])}` : '';
    const lazy = r() < 0.2 ? '[lazy]' : '';
    const lark = `start: s ("," s)*\ns${lazy}: /"(${body}${alt})"/`;
    const cg = compile(parseLark(lark), tok);
    const m = cg.matcher();
    const bits = new Uint32Array(cg.maskWords);
    // Walk a few random allowed tokens from the start, checking the law at each position.
    for (let step = 0; step < 6; step++) {
      m.computeMask(bits);
      const allowed: number[] = [];
      for (let w = 0; w < bits.length; w++) for (let v = bits[w]!; v !== 0; v &= v - 1) allowed.push((w << 5) + (31 - Math.clz32(v & -v)));
      const sample = Array.from({ length: 1500 }, () => Math.floor(r() * tok.vocabSize));
      for (let k = 0; k < 1500 && allowed.length > 0; k++) sample.push(pick(allowed));
      assertMaskAgrees(m, tok, bits, sample, 0, `${lark} after ${step} tokens`);
      checked++;
      const next = allowed.filter((t) => !tok.eosTokens.includes(t));
      if (next.length === 0) break;
      assert.ok(m.consume(pick(next)));
    }
  }
  assert.ok(checked > grammars * 2, `positions checked: ${checked}`);
}

test('prepareTokenizer builds the trie and slices once (the same objects afterwards)', () => {
  prepareTokenizer(tok);
  assert.equal(stringSlices(tok), slices);
  assert.equal(tokenTrie(tok), tokenTrie(tok));
});
