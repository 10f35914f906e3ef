/**
 * Per-vocabulary piece counts (lexer/piece-bound.ts) and the widened ids that use them
 * (canonical-terms.ts `widened` with `pieces`, matcher/mask.ts canonicalState): a counted
 * repetition r{m,n} is named as unbounded for walks when no token holds n pieces of r. Checked:
 * the counts (Llama-3's pre-tokenizer keeps one word per token), which ids widen, and masks equal
 * to masks without the counts and to masks with every cache off at every position of documents
 * whose strings have word-count patterns, with and without maxLength; the mask/consume law with
 * the byte vocabulary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { setVocabularyPieces } from '../../src/engine/matcher/mask.ts';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import { canonicalTerms } from '../../src/engine/lexer/canonical-terms.ts';
import { Lexer } from '../../src/engine/lexer/lexer.ts';
import * as pieceBound from '../../src/engine/lexer/piece-bound.ts';
import { piecesInTokens, type TrieBytes } from '../../src/engine/lexer/piece-bound.ts';
import { parseLark } from '../../src/engine/index.ts';
import { withLimits } from '../../src/engine/limits.ts';
import { parseRegex } from '../../src/engine/regex/parse.ts';
import { spellContent } from '../../src/engine/schema/json-string.ts';
import { tokenTrie } from '../../src/engine/trie/token-trie.ts';
import { lawHolds, llama3, sameMasks } from './matcher-helpers.ts';

const OFF = { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 };

/** The pieces of the spelled regex `src` that one Llama-3 token holds at most. */
function pieces(src: string, trie: TrieBytes, cap = 128): number {
  const lx = new Lexer([spellContent(parseRegex(src))], withLimits());
  const internal = lx as unknown as { store: Parameters<typeof piecesInTokens>[0]; byteClass: Uint8Array };
  return piecesInTokens(internal.store, internal.byteClass, lx.aliveTerms(lx.startState([0]))[0]!, trie, cap);
}

test('piece counts: a word per Llama-3 token, three digits, and the cap', () => {
  const trie = tokenTrie(llama3());
  assert.equal(pieces('\\S+\\s+', trie), 1, 'no token holds a word, a space and the start of another');
  assert.equal(pieces('[0-9]', trie), 3);
  assert.equal(pieces('[a-z]', trie, 10), 10, 'stops at the cap');
  // The byte vocabulary: one byte per token, one piece.
  assert.equal(pieces('[0-9]', tokenTrie(byteTokenizer())), 1);
});

test('widened ids with piece bounds: a counter past the bound is unbounded, one within it is exact', () => {
  const lx = new Lexer([parseRegex('(?:[a-z]+ +){0,49}[a-z]+'), parseRegex('(?:[a-z]+ +){0,2}[a-z]+'), parseRegex('(?:[a-z]+ +)*[a-z]+')], withLimits());
  const id = (lexeme: number) => lx.canonicalTerm(lx.aliveTerms(lx.startState([lexeme]))[0]!);
  const item = canonicalTerms.widened(id(2), 128) === id(2) ? id(2) : -1;
  assert.notEqual(item, -1, 'the unbounded one is its own widened id');
  // A made-up bound of 2 pieces per walk for the repeated item: {0,49} widens, {0,2} does not.
  const internal = lx as unknown as { store: { canonical(t: number): number; first(t: number): number; items(t: number): Int32Array; kindOf(t: number): number; second(t: number): number } };
  const store = internal.store;
  const t49 = lx.aliveTerms(lx.startState([0]))[0]!;
  // (item){0,49}·rest: the repetition is the head of the concatenation.
  const rep = store.first(t49);
  const bounds = new Map<number, number>([[store.canonical(store.first(rep)), 2]]);
  assert.equal(canonicalTerms.widened(id(0), 128, bounds), id(2));
  assert.notEqual(canonicalTerms.widened(id(1), 128, bounds), id(2));
  assert.equal(canonicalTerms.widened(id(1), 128, bounds), id(1));
  // Without bounds, 49 < 128 stays exact.
  assert.equal(canonicalTerms.widened(id(0), 128), id(0));
});

const WORDS = {
  type: 'object',
  properties: {
    plain: { type: 'string', pattern: '^(?:\\S+\\s+){0,99}\\S+$' },
    either: { type: 'string', pattern: '^$|(^(?:\\S+\\s+){0,9}\\S+$)' },
    summary: { type: 'string', maxLength: 500, pattern: '^(?:\\S+\\s+){0,49}\\S+$' },
    items: { type: 'array', items: { type: 'string', maxLength: 300, pattern: '^(?:\\S+\\s+){0,29}\\S+$' } },
    id: { type: 'string', pattern: '^[0-9]{16}$' },
    // Llama-3 reads digits three at a time: 14, 11, 8, 5 and 2 left, where a 3-digit token dies.
    code: { type: 'string', pattern: '^[0-9]{14}$' },
  },
};

test('Llama-3: word-count patterns share walks across counts; masks equal masks without piece bounds and with every cache off', () => {
  const tok = llama3();
  const sentence = 'An experienced team with over 100 years of combined delivery, offering hosting and\u00a0support.';
  const many = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
  const docs = [
    `{"plain": "${many}", "either": "", "id": "1234567890123456", "code": "12345678901234"}`,
    // Keys in declared order (the grammar keeps it).
    `{"either": "one two three four five six seven eight nine ten", "summary": "${sentence} ${sentence}", "items": ["${sentence}", "a b c"]}`,
    `{"plain": "${sentence}\\t${sentence}\\n${sentence}", "summary": "${many.slice(0, 150).trim()}"}`,
  ];
  const g = compileJsonSchema(WORDS);
  const ref = compile(g, tok, OFF);
  const before = compile(g, tok).stats().sharedPlanHits;
  try {
    for (const doc of docs) {
      setVocabularyPieces(false);
      const without = compile(g, tok);
      setVocabularyPieces(true);
      const cg = compile(g, tok);
      sameMasks(cg, ref, tok.encode(doc), `all caches off: ${doc.slice(0, 40)}`);
      sameMasks(cg, without, tok.encode(doc), `no piece bounds: ${doc.slice(0, 40)}`, (side) => setVocabularyPieces(side === 0));
    }
  } finally {
    setVocabularyPieces(true);
  }
  assert.ok(before >= 0);
});

test('byte vocabulary: counters past one piece per token obey the mask/consume law', () => {
  const tok = byteTokenizer();
  const g = compileJsonSchema({ type: 'object', properties: { s: { type: 'string', pattern: '^(?:\\S+\\s+){0,3}\\S+$' }, d: { type: 'string', pattern: '^[0-9]{2,9}$' } } });
  const cg = compile(g, tok);
  for (const doc of ['{"s": "a b c d"}', '{"s": "ab  cd\\tef gh"}', '{"d": "12"}', '{"d": "123456789"}', '{"s": "x", "d": "00"}']) lawHolds(cg, tok, doc, doc);
});

test('piece counts are bounded per grammar: one with 40 distinct counters takes at most 8 trie passes, and masks stay exact', () => {
  const tok = llama3();
  // Distinct items (each a canonical id of its own), each counted 8..60 times: a request could hold hundreds.
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN';
  const lexemes = [...letters].map((c, i) => `T${i}: /${c}[0-9${c}]{8,${20 + i}}/`).join('\n');
  const g = parseLark(`start: item+\nitem: ${[...letters].map((_, i) => `T${i}`).join(' | ')}\n${lexemes}\n%ignore " "`);
  const before = pieceBound.pieceCountsTaken;
  const cg = compile(g, tok);
  assert.ok(pieceBound.pieceCountsTaken - before <= 8, `${pieceBound.pieceCountsTaken - before} counts`);
  const text = 'a12345678a9 b123456789b c1111111111111111';
  sameMasks(cg, compile(g, tok, OFF), tok.encode(text), text);
});
