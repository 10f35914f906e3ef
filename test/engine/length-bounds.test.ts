/**
 * Length bounds dropped under an intersection for walks (lexer/length-bounds.ts, Lexer.widened,
 * the walk state of matcher/mask.ts): a string with `maxLength` and a pattern is a new lexer state
 * at every position; a first walk starts from the pattern's side alone where that is exact for
 * every string of at most the trie's depth (plus one byte): the pattern's words are strings of
 * characters, its completions (bounded on the structure) fit within the bound past the depth, and
 * the minimum is at most 1 (1 only beside a pattern without the empty word). Checked: which states
 * widen, masks equal to the unwidened walks at every position (near the bounds too), and the
 * mask/consume law with the byte vocabulary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import type { CompiledGrammar } from '../../src/engine/matcher/compiled.ts';
import { setWidenedWalks } from '../../src/engine/matcher/mask.ts';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import { Lexer } from '../../src/engine/lexer/lexer.ts';
import { withLimits } from '../../src/engine/limits.ts';
import { parseRegex } from '../../src/engine/regex/parse.ts';
import type { Regex } from '../../src/engine/regex/ast.ts';
import { lawHolds, llama3 } from './matcher-helpers.ts';

const OFF = { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0, sharedPlanBytes: 0 };
const and = (...items: Regex[]): Regex => ({ kind: 'and', items });

/** Whether the state after `prefix` widens at `depth` (the lexer of one lexeme). */
function widens(regex: Regex, prefix: string, depth: number): boolean {
  const lx = new Lexer([regex], withLimits());
  let s = lx.startState([0]);
  for (const b of new TextEncoder().encode(prefix)) s = lx.next(s, b);
  assert.notEqual(s, Lexer.DEAD);
  return lx.widened(s, depth) !== s;
}

test('widened states: a length bound drops only when the pattern completes within it past the depth', () => {
  // The words' completions are at most 3 bytes on the structure ([a-z]+ ends a word, ' +' a gap).
  const words = parseRegex('(?:[a-z]+ +){0,5}[a-z]+');
  assert.equal(widens(and(parseRegex('[a-z ]{0,30}'), words), 'ab', 2), true, '28 left ≥ 2 + 3');
  assert.equal(widens(and(parseRegex('[a-z ]{0,30}'), words), 'ab cd ef gh ij', 2), true);
  assert.equal(widens(and(parseRegex('[a-z ]{0,30}'), words), 'abcdefghij klmnopqrs tuvw', 2), true, '5 left ≥ 2 + 3');
  assert.equal(widens(and(parseRegex('[a-z ]{0,30}'), words), 'abcdefghij klmnopqrs tuvwx', 2), false, '4 left < 2 + 3');
  assert.equal(widens(and(parseRegex('[a-z ]{0,30}'), words), 'ab', 40), false, 'a walk deeper than the bound');
  // The pattern needs 250 more bytes: 300 is not enough past a 129-byte walk, 600 is.
  const longEnd = parseRegex('[a-z]*z{250}');
  assert.equal(widens(and(parseRegex('[a-z]{0,300}'), longEnd), 'a', 129), false);
  assert.equal(widens(and(parseRegex('[a-z]{0,600}'), longEnd), 'a', 129), true);
  // A pattern with words outside the counted characters keeps the bound (a digit is no [a-z]);
  // either side may be the bound (and([a-z]{0,600}, [a-z0-9]*) is [a-z]{0,600} itself).
  assert.equal(widens(and(parseRegex('[a-z]{0,600}'), parseRegex('[a-z0-9]{0,5}')), 'a', 129), false);
  assert.equal(widens(and(parseRegex('[a-z]{0,600}'), parseRegex('[a-z0-9]*')), 'a', 2), true);
  // A minimum of 1 only beside a pattern without the empty word; 2 never.
  assert.equal(widens(and(parseRegex('[a-z ]{1,30}'), words), '', 2), true);
  assert.equal(widens(and(parseRegex('[a-z ]{1,30}'), parseRegex('[a-z]*')), '', 2), false);
  assert.equal(widens(and(parseRegex('[a-z ]{2,30}'), words), '', 2), false);
  // Not under a complement; an unbounded side drops at any depth.
  assert.equal(widens({ kind: 'not', item: and(parseRegex('[a-z]{0,600}'), words) }, 'a', 2), false);
  assert.equal(widens(and(parseRegex('[a-z ]*'), words), 'a', 129), true);
});

/** Masks of `cg` with widened walks equal masks of `ref` without them at every position of `ids`. */
function sameAsUnwidened(cg: CompiledGrammar, ref: CompiledGrammar, ids: readonly number[], what: string): void {
  const a = new Uint32Array(cg.maskWords);
  const b = new Uint32Array(cg.maskWords);
  const m = cg.matcher();
  const r = ref.matcher();
  try {
    for (let i = 0; i <= ids.length; i++) {
      setWidenedWalks(true);
      m.computeMask(a);
      setWidenedWalks(false);
      r.computeMask(b);
      if (!a.every((w, k) => w === b[k])) assert.fail(`${what}: mask differs at token ${i}`);
      if (i < ids.length) {
        assert.ok(m.consume(ids[i]!), `${what}: token ${i} refused`);
        assert.ok(r.consume(ids[i]!));
      }
    }
  } finally {
    setWidenedWalks(true);
  }
  assert.ok(m.isAccepting(), `${what}: not accepting at the end`);
}

const SMALL = { type: 'object', properties: { s: { type: 'string', maxLength: 30, pattern: '^(?:\\S+\\s+){0,5}\\S+$' } } };
/** Near the bounds: 30 characters, 6 words, both, and one short of each. */
const SMALL_DOCS = [
  '{"s": "abcdefghij klmnopqrs tuvwxyz12"}',
  '{"s": "a b c d e f"}',
  '{"s": "abcd efgh ijkl mnop qrst uvwxy"}',
  '{"s": "abcd efgh ijkl mnop qrst uvwx"}',
  '{"s": "a\\tb  c\\u00a0d e"}',
  '{"s": "x"}',
];

test('byte vocabulary: maxLength 30 ∩ six words: the mask/consume law and masks equal to unwidened walks at every byte', () => {
  const tok = byteTokenizer();
  const g = compileJsonSchema(SMALL);
  const cg = compile(g, tok);
  const ref = compile(g, tok, OFF);
  for (const doc of SMALL_DOCS) {
    lawHolds(cg, tok, doc, doc);
    sameAsUnwidened(cg, ref, tok.encode(doc), doc);
  }
  // A pattern that needs five more bytes at its end: with five characters left only `z` goes on,
  // which the pattern alone does not know (the radius keeps the bound there).
  const g2 = compileJsonSchema({ type: 'string', maxLength: 30, pattern: '^[a-z]*zzzzz$' });
  const cg2 = compile(g2, tok);
  const ref2 = compile(g2, tok, OFF);
  for (const doc of [`"${'a'.repeat(25)}zzzzz"`, `"${'a'.repeat(10)}zzzzz"`]) {
    lawHolds(cg2, tok, doc, doc);
    sameAsUnwidened(cg2, ref2, tok.encode(doc), doc);
  }
});

test('Llama-3: maxLength 500 ∩ fifty words (Github_medium---o21142), `.` beside maxLength: masks equal to unwidened walks at every token', () => {
  const tok = llama3();
  const schema = {
    type: 'object',
    properties: {
      summary: { type: 'string', maxLength: 500, minLength: 1, pattern: '^(?:\\S+\\s+){0,49}\\S+$' },
      short: { type: 'string', maxLength: 140, pattern: '^(?:\\S+\\s+){0,19}\\S+$' },
      dotted: { type: 'string', maxLength: 300, pattern: '^.{2,}$' },
    },
  };
  const fifty = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
  const sentence = 'An experienced team with over 100 years of combined delivery, offering cloud hosting, support and\u00a0training.';
  const long = `${sentence} ${sentence} ${sentence} ${sentence}`.split(' ').slice(0, 45).join(' ');
  const docs = [
    `{"summary": "${fifty}", "short": "${'q'.repeat(139)}"}`,
    `{"summary": "${long}", "short": "a b c d e f g h i j k l m n o p q r s t"}`,
    `{"summary": "${'x'.repeat(499)}y"}`,
    `{"dotted": "${sentence} \\ud83d\\ude00 ${sentence}"}`,
  ];
  const g = compileJsonSchema(schema);
  const cg = compile(g, tok);
  const ref = compile(g, tok, OFF);
  for (const doc of docs) sameAsUnwidened(cg, ref, tok.encode(doc), doc.slice(0, 40));
});

test('a pattern of `.` or `\\S` beside maxLength loses its surrogates (scalarsOnly), so the bound drops', () => {
  const tok = byteTokenizer();
  for (const pattern of ['^.{2,}$', '^(?:\\S+\\s+){0,9}\\S+$']) {
    const cg = compile(compileJsonSchema({ type: 'string', maxLength: 300, pattern }), tok);
    const m = cg.matcher();
    const bits = new Uint32Array(cg.maskWords);
    for (const id of tok.encode('"ab')) {
      m.computeMask(bits);
      assert.ok(m.consume(id));
    }
    m.computeMask(bits);
    // Internals: the lexer state of the last mask, and its widened state for a 129-byte walk.
    const lexer = (cg as unknown as { core: { lexer: Lexer } }).core.lexer;
    const state = (m as unknown as { lastLex: number }).lastLex;
    assert.ok(lexer.hasAndNot(state), pattern);
    assert.notEqual(lexer.widened(state, 129), state, pattern);
    assert.equal(lexer.hasAndNot(lexer.widened(state, 129)), false, pattern);
  }
});

test('Llama-3: maxLength 100–120 ∩ ten words (bound kept, word count unbounded past the pieces a token holds): masks equal to unwidened walks and to every cache off', () => {
  const tok = llama3();
  const schema = {
    type: 'object',
    properties: {
      benefits: { type: 'array', items: { type: 'string', maxLength: 100, pattern: '^(?:\\S+\\s+){0,9}\\S+$' } },
      features: { type: 'array', items: { type: 'string', maxLength: 120, pattern: '^(?:\\S+\\s+){0,9}\\S+$' } },
      few: { type: 'string', maxLength: 60, pattern: '^(?:\\S+\\s+){0,2}\\S+$' },
    },
  };
  const ten = 'Highly skilled team with over 100 years of combined experience';
  const docs = [
    `{"benefits": ["${ten}", "a b c d e f g h i j", "${'x'.repeat(100)}"], "features": ["Highly  skilled\\tteam with over", "one"], "few": "three short words"}`,
    `{"benefits": ["${'w '.repeat(9)}w", "${'abcdefghi '.repeat(9)}abcdefghi"], "few": "${'y'.repeat(30)} ${'z'.repeat(29)}"}`,
    `{"features": ["${'word '.repeat(9)}${'q'.repeat(70)}"]}`,
  ];
  const g = compileJsonSchema(schema);
  const cg = compile(g, tok);
  const ref = compile(g, tok, OFF);
  for (const doc of docs) sameAsUnwidened(cg, ref, tok.encode(doc), doc.slice(0, 50));
});
