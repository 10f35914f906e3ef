/**
 * Widened canonical ids (lexer/canonical-terms.ts, `widened`): a trie walk reads at most the trie's
 * depth in bytes, so counted repetitions longer than that are named as unbounded when lexer states
 * are named for the shared walks (matcher/shared-plans.ts, matcher/mask.ts canonicalState). Every
 * position of a long maxLength string is then one shared state. Checked: which ids widen (never
 * under an intersection or a complement), and that masks stay the same: the mask/consume law at
 * every position with the byte vocabulary (trie depth 1: nearly every repetition widens), and
 * Llama-3 masks against the same grammars compiled with every cache off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import { canonicalTerms } from '../../src/engine/lexer/canonical-terms.ts';
import { Lexer } from '../../src/engine/lexer/lexer.ts';
import { withLimits } from '../../src/engine/limits.ts';
import { parseRegex } from '../../src/engine/regex/parse.ts';
import type { Regex } from '../../src/engine/regex/ast.ts';
import { lawHolds, llama3, sameMasks } from './matcher-helpers.ts';

const OFF = { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 };

/** The canonical id of the start state's only term for `regex`, and the same widened at `depth`. */
function ids(regex: string | Regex, depth: number): { exact: number; wide: number } {
  const lx = new Lexer([typeof regex === 'string' ? parseRegex(regex) : regex], withLimits());
  const exact = lx.canonicalTerm(lx.aliveTerms(lx.startState([0]))[0]!);
  return { exact, wide: canonicalTerms.widened(exact, depth) };
}

test('widened ids: long counted repetitions are unbounded, short ones and those under & or ~ are exact', () => {
  const star = ids('"[a-z]*"', 128);
  assert.equal(star.wide, star.exact, 'nothing to widen');
  assert.equal(ids('"[a-z]{0,300}"', 128).wide, star.exact, 'maxLength 300 is a plain string for 128-byte walks');
  assert.equal(ids('"[a-z]{0,8192}"', 128).wide, star.exact);
  assert.notEqual(ids('"[a-z]{0,300}"', 400).wide, star.exact, 'not for walks of 400 bytes');
  const short = ids('"[a-z]{0,100}"', 128);
  assert.equal(short.wide, short.exact, 'maxLength 100 stays exact');
  // A minimum past the depth is out of reach either way: {500,1000} and {200,} both read as {129,}.
  assert.equal(ids('"[a-z]{500,1000}"', 128).wide, ids('"[a-z]{200,}"', 128).wide);
  assert.notEqual(ids('"[a-z]{500,1000}"', 128).wide, star.exact);
  assert.notEqual(ids('"[a-z]{100,1000}"', 128).wide, ids('"[a-z]{101,1000}"', 128).wide, 'a reachable minimum stays');
  // Alternatives and nesting.
  assert.equal(ids('(ab|[0-9]{0,999})x', 128).wide, ids('(ab|[0-9]*)x', 128).exact);
  assert.equal(ids('(a{0,500}){0,500}', 128).wide, ids('(a{0,300}){0,200}', 128).wide);
  // Under an intersection or a complement: exact (the other operand may need a long continuation).
  const not = (r: Regex): Regex => ({ kind: 'not', item: r });
  const and = (...items: Regex[]): Regex => ({ kind: 'and', items });
  const upTo300 = parseRegex('[a-z]{0,300}');
  const anded = ids(and(upTo300, not(parseRegex('abc'))), 128);
  assert.equal(anded.wide, anded.exact);
  assert.notEqual(anded.wide, ids(and(parseRegex('[a-z]*'), not(parseRegex('abc'))), 128).exact);
  const negated = ids(not(upTo300), 128);
  assert.equal(negated.wide, negated.exact);
  // Beside an intersection, the rest still widens.
  const beside = ids({ kind: 'concat', items: [parseRegex('x{0,400}'), and(upTo300, not(parseRegex('abc')))] }, 128);
  assert.notEqual(beside.wide, beside.exact);
});

test('byte vocabulary (depth 1): counted repetitions of every size obey the mask/consume law after unbounded ones', () => {
  const tok = byteTokenizer();
  const grammars: [string, string[]][] = [
    ['start: X "!"\nX: /"[a-c]*"/\n', ['"abcabc"!', '""!']],
    ['start: X "!"\nX: /"[a-c]{0,3}"/\n', ['"abc"!', '"ab"!', '"a"!', '""!']],
    ['start: X "!"\nX: /"[a-c]{2,4}"/\n', ['"abca"!', '"ab"!']],
    ['start: X "!"\nX: /"([a-c]{0,2}x){0,3}"/\n', ['"abxaxx"!', '"x"!']],
    ['start: X "!"\nX: /"[a-c]{0,5}"/ & ~/"a{1,3}"/\n', ['"aaaa"!', '"b"!', '""!']],
    ['start: (X | Y) "!"\nX: /a{0,4}b/\nY: /a{2,6}c/\n', ['aaaab!', 'aaaaaac!', 'aac!', 'b!']],
  ];
  for (let round = 0; round < 2; round++) {
    for (const [lark, texts] of grammars) {
      const cg = compile(parseLark(lark), tok);
      for (const text of texts) lawHolds(cg, tok, text, `${lark.split('\n')[1]} ${text}`);
    }
  }
});

test('Llama-3: long maxLength strings take the walks of plain strings; masks equal masks with every cache off', () => {
  const tok = llama3();
  const long = 'x'.repeat(150) + ' a \\"quoted\\" word, and some more text: ' + 'y'.repeat(40);
  const schemas: [unknown, string[]][] = [
    [{ type: 'object', properties: { a: { type: 'string' } } }, [`{"a": "${long}"}`]],
    [{ type: 'object', properties: { a: { type: 'string', maxLength: 300 } } }, [`{"a": "${long}"}`, '{"a": "short"}']],
    [{ type: 'object', properties: { a: { type: 'string', maxLength: 8192 }, b: { type: 'string', minLength: 200, maxLength: 260 } } }, [`{"a": "${long}", "b": "${'z'.repeat(230)}"}`]],
    // Exactly at the bound: the last characters before maxLength must still be refused past it.
    [{ type: 'object', properties: { a: { type: 'string', maxLength: 140 } } }, [`{"a": "${'q'.repeat(140)}"}`, `{"a": "${'q'.repeat(139)}"}`]],
  ];
  let hits = 0;
  for (const [schema, texts] of schemas) {
    const g = compileJsonSchema(schema);
    const cg = compile(g, tok);
    const ref = compile(g, tok, OFF);
    for (const text of texts) sameMasks(cg, ref, tok.encode(text), `${JSON.stringify(schema)} ${text.slice(0, 30)}`);
    hits += cg.stats().sharedPlanHits;
  }
  assert.ok(hits > 0);
});
