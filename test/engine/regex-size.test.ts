/**
 * The size limit on regexes (limits.maxRegexSize) is measured once per distinct node, whatever the
 * entry point: a regex that shares one node at every level of a deep concatenation is refused by
 * its depth, not by walking its 2^60 expanded nodes (which would never finish).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../src/engine/errors.ts';
import { GrammarBuilder } from '../../src/engine/grammar/builder.ts';
import type { Grammar } from '../../src/engine/grammar/ir.ts';
import { Lexer } from '../../src/engine/lexer/lexer.ts';
import { withLimits } from '../../src/engine/limits.ts';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { literal, type Regex } from '../../src/engine/regex/ast.ts';
import { parseRegex } from '../../src/engine/regex/parse.ts';
import { regexSize } from '../../src/engine/regex/size.ts';

/** x_0 = "ab", x_{i+1} = concat(x_i, x_i) with the same object twice: 2^levels copies of "ab". */
function doubling(levels: number): Regex {
  let x: Regex = literal('ab');
  for (let i = 0; i < levels; i++) x = { kind: 'concat', items: [x, x] };
  return x;
}

/** A grammar IR built directly (no builder): start → the one lexeme. */
function oneLexeme(name: string, regex: Regex): Grammar {
  return { lexemes: [{ name, regex }], rules: [{ name: 'start', alternatives: [[{ kind: 'lexeme', id: 0 }]] }], start: 0, ignore: [] };
}

const isSizeLimit = (e: unknown): boolean => e instanceof EngineError && e.code === 'LIMIT' && /maxRegexSize/.test(e.message);

test('regexSize counts a shared node at every place it occurs, repetition multiplied out', () => {
  // "ab" is 3 nodes; each level adds one concat node over two copies: size(n) = 2^n * 4 - 1.
  assert.equal(regexSize(doubling(0)), 3);
  assert.equal(regexSize(doubling(10)), 2 ** 10 * 4 - 1);
  assert.equal(regexSize(doubling(60)), 2 ** 60 * 4 - 1);
  assert.equal(regexSize(parseRegex('(?:ab){3}')), 1 + 3 * 3);
  assert.equal(regexSize(parseRegex('(?:ab){2,}')), 1 + 3 * 3);
});

test('a 60-level shared concatenation is refused with LIMIT by the Lexer, compile() of the IR, and the builder', () => {
  const deep = doubling(60);
  assert.throws(() => new Lexer([literal('x'), deep], withLimits()), (e: unknown) => isSizeLimit(e) && /lexeme #1 has over 1e15 regex nodes/.test((e as Error).message));
  assert.throws(() => compile(oneLexeme('DEEP', deep), byteTokenizer()), isSizeLimit);
  assert.throws(() => new GrammarBuilder().lexeme({ name: 'DEEP', regex: deep }), (e: unknown) => isSizeLimit(e) && /lexeme DEEP has/.test((e as Error).message));
});

test('a shared concatenation within the limit compiles and matches its language', () => {
  const twelve = doubling(12); // 4,096 copies of "ab", 16,383 nodes
  const grammar = oneLexeme('ABS', twelve);
  const cg = compile(grammar, byteTokenizer());
  assert.equal(cg.matches('ab'.repeat(4096)), true);
  assert.equal(cg.matches('ab'.repeat(4095)), false);
  assert.throws(() => compile(grammar, byteTokenizer(), { maxRegexSize: 16_382 }), isSizeLimit);
});
