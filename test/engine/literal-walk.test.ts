/**
 * The literal walk (matcher/literal-walk.ts) finds children by byte (trie/child-index.ts) and skips
 * the ranges of an exit group that no string can enter; both must find exactly what stepping over
 * every sibling finds. The masks these walks make are checked against consume, token by token, in
 * shared-plans.test.ts; here the walk's own output is compared between its paths.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiteralWalk, setSinglePath } from '../../src/engine/matcher/literal-walk.ts';
import { childIndex, childWithByte } from '../../src/engine/trie/child-index.ts';
import { tokenTrie } from '../../src/engine/trie/token-trie.ts';
import { llama3 } from './matcher-helpers.ts';

test('child index: every child of every Llama-3 trie node is found by its byte, absent bytes are not', () => {
  const trie = tokenTrie(llama3());
  const ix = childIndex(trie);
  const size = trie.subtreeSize;
  for (let p = 0; p < trie.nodeCount; p++) {
    const seen = new Uint8Array(256);
    for (let c = p + 1; c < p + size[p]!; c += size[c]!) {
      seen[trie.byte[c]!] = 1;
      if (childWithByte(ix, p, trie.byte[c]!) !== c) assert.fail(`node ${p}: child ${c} (byte ${trie.byte[c]}) not found`);
    }
    // A few absent bytes per node (all of them for the root).
    for (let b = 0; b < 256; b += p === 0 ? 1 : 37) if (!seen[b] && childWithByte(ix, p, b) !== -1) assert.fail(`node ${p}: byte ${b} found`);
  }
});

/** What a walk found, in order (tokens; exits as lexemes, range and depth). */
function found(w: LiteralWalk): string {
  const exits = w.exitFirst.map((f, k) => `${w.exitLexemes[k]!.join('+')}@${f}-${w.exitEnd[k]}/${w.exitDepth[k]}`);
  return `${w.tokens.join(',')} | ${exits.join(' ')}`;
}

const enc = (s: string): number[] => [...new TextEncoder().encode(s)];

test('literal walk: by-byte children and skipped ranges find what the sibling-by-sibling walk finds', () => {
  const trie = tokenTrie(llama3());
  const size = trie.subtreeSize;
  // The root's children as one range each (an exit group's "before" ranges): walked through the
  // ranges' index by byte (walkRanges, from 16 ranges), one start byte or several (sorted back to
  // range order), the index built once and reused; with a complete string, range by range.
  const firsts: number[] = [];
  for (let c = 1; c < trie.nodeCount; c += size[c]!) firsts.push(c);
  const f = Int32Array.from(firsts);
  const e = Int32Array.from(firsts, (c) => c + size[c]!);
  const d = new Int32Array(firsts.length);
  const cases: { words: string[]; fresh: boolean; lazy?: number[] }[] = [
    { words: ['"location"', '"unit"', '"units"', '"locale"'], fresh: true },
    { words: ['ation"'], fresh: false },
    { words: ['"'], fresh: false },
    { words: ['true', 'false', 'null'], fresh: true },
    // A complete string (non-fresh, accepting before any byte): every byte no string takes is an exit.
    { words: ['', 'nd', 'ndless'], fresh: false },
    { words: ['', 'd'], fresh: false, lazy: [1] },
  ];
  for (const c of cases) {
    const words = c.words.map(enc);
    const lexemes = Int32Array.from(words, (_, k) => k);
    const lazy = new Uint8Array(words.length);
    for (const l of c.lazy ?? []) lazy[l] = 1;
    const whole = new LiteralWalk();
    whole.walk(trie, 1, trie.nodeCount, 0, c.fresh, words, lexemes, lazy);
    const ranges = new LiteralWalk();
    ranges.walkRanges(trie, f, e, d, c.fresh, words, lexemes, lazy);
    assert.equal(found(ranges), found(whole), JSON.stringify(c));
    // Reused after reset: the same again.
    ranges.reset();
    ranges.walkRanges(trie, f, e, d, c.fresh, words, lexemes, lazy);
    assert.equal(found(ranges), found(whole), `${JSON.stringify(c)} after reset`);
    assert.ok(whole.tokens.length > 0, `${JSON.stringify(c)} finds tokens`);
  }
});

test('literal walk: one string (LiteralWalk.path) finds what the walk over several strings finds', () => {
  const trie = tokenTrie(llama3());
  const size = trie.subtreeSize;
  // From the root (all its children), from one subtree (a range before a byte), and below a node.
  const quote = (() => {
    for (let c = 1; c < trie.nodeCount; c += size[c]!) if (trie.byte[c] === 0x22) return c;
    throw new Error('no " child');
  })();
  const ranges: [number, number, number][] = [
    [1, trie.nodeCount, 0],
    [quote, quote + size[quote]!, 0],
    [quote + 1, quote + size[quote]!, 1],
  ];
  const strings = ['"location"', 'ation"', 'ion', '"', 'x', 'celsius"', 'ZZZqq', '\u00e9t\u00e9"', 'Fahrenheit"', '"unit": '];
  const words = strings.map(enc);
  // A string that goes on past the trie's depth (Lexer.literalsOf ends it with -1).
  words.push([...enc('"a'), -1]);
  const lazy = new Uint8Array(2);
  for (const [first, end, depth] of ranges) {
    for (const w of words) {
      for (const fresh of [true, false]) {
        for (const lz of [0, 1]) {
          lazy[0] = lz;
          const one = new LiteralWalk();
          one.walk(trie, first, end, depth, fresh, [w], Int32Array.of(0), lazy);
          setSinglePath(false);
          const general = new LiteralWalk();
          general.walk(trie, first, end, depth, fresh, [w], Int32Array.of(0), lazy);
          setSinglePath(true);
          const what = `${JSON.stringify(w)} from ${first}-${end}/${depth} fresh ${fresh} lazy ${lz}`;
          assert.equal(found(one), found(general), what);
          assert.equal(one.visited, general.visited, `${what}: nodes looked at`);
        }
      }
    }
  }
});
