import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Lexer } from '../../src/engine/lexer/index.ts';
import { DerivativeClasses, setDerivativeClasses } from '../../src/engine/lexer/derivative-classes.ts';
import { parseRegex } from '../../src/engine/regex/parse.ts';
import { DEFAULT_LIMITS } from '../../src/engine/limits.ts';
import type { Regex } from '../../src/engine/regex/ast.ts';
import { jsonStringRegex, spellContent } from '../../src/engine/schema/json-string.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import type { Grammar } from '../../src/engine/grammar/ir.ts';
import { llama3, sameMasks } from './matcher-helpers.ts';
import { regexArbitrary } from './regex-arbitrary.ts';

/** A lexer built with derivative classes on or off (the setting is on again afterwards). */
function lexer(lexemes: readonly Regex[], on: boolean): Lexer {
  setDerivativeClasses(on);
  try {
    return new Lexer(lexemes, DEFAULT_LIMITS);
  } finally {
    setDerivativeClasses(true);
  }
}

/**
 * Walks the two lexers' DFAs in step from their start states, every byte from every pair reached
 * (up to `maxPairs`), each lexer with its own setting: the alive and accepting lexemes agree at
 * every pair. Returns the pairs visited.
 */
function sameAutomaton(on: Lexer, off: Lexer, maxPairs: number): number {
  const all = Array.from({ length: on.lexemeCount }, (_, i) => i);
  const seen = new Map<number, number>();
  const queue: Array<[number, number]> = [[on.startState(all), off.startState(all)]];
  seen.set(queue[0]![0], queue[0]![1]);
  while (queue.length > 0 && seen.size < maxPairs) {
    const [a, b] = queue.pop()!;
    assert.deepEqual([...on.alive(a)], [...off.alive(b)]);
    assert.deepEqual([...on.accepting(a)], [...off.accepting(b)]);
    for (let x = 0; x < 256; x++) {
      setDerivativeClasses(true);
      const a2 = on.next(a, x);
      setDerivativeClasses(false);
      const b2 = off.next(b, x);
      setDerivativeClasses(true);
      assert.equal(a2 === Lexer.DEAD, b2 === Lexer.DEAD, `byte ${x}`);
      const known = seen.get(a2);
      if (known === undefined) {
        seen.set(a2, b2);
        queue.push([a2, b2]);
      } else assert.equal(known, b2, 'one state of the lexer with classes is two without');
    }
  }
  return seen.size;
}

test('DerivativeClasses: a set splits the classes in two; refine is the common refinement, interned', () => {
  const dc = new DerivativeClasses(6);
  // Classes 0–5 stand for bytes 0–5 (their representatives).
  const set = (...bytes: number[]) => Uint32Array.of(bytes.reduce((w, b) => w | (1 << b), 0), 0, 0, 0, 0, 0, 0, 0);
  const reps = [0, 1, 2, 3, 4, 5];
  const even = dc.ofSet(set(0, 2, 4), 0, reps);
  const low = dc.ofSet(set(0, 1, 2), 0, reps);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((c) => dc.rep(even, c)), [0, 1, 0, 1, 0, 1]);
  const both = dc.refine(even, low);
  // Blocks: {0,2}, {1}, {3,5}, {4}.
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((c) => dc.rep(both, c)), [0, 1, 0, 3, 4, 3]);
  assert.equal(dc.refine(low, even), both);
  assert.equal(dc.refine(both, even), both);
  assert.equal(dc.refine(0, even), even);
  assert.equal(dc.ofSet(set(1, 3, 5), 0, reps), even, 'the same partition, named by its representatives');
  assert.equal(dc.count, 4);
});

test('derivative classes: a JSON string with a pattern of words builds the same DFA with far fewer derivatives', () => {
  const words = 'INTERVAL_TICK|INTERVAL_M1|INTERVAL_M2|INTERVAL_M10|INTERVAL_H1|INTERVAL_D1|INTERVAL_W1|INTERVAL_MN1';
  // Unanchored, as a JSON Schema pattern is: the words anywhere in the string.
  const content: Regex = { kind: 'concat', items: [parseRegex('[\\s\\S]*'), parseRegex(`(?:${words})`), parseRegex('[\\s\\S]*')] };
  const lexemes = [jsonStringRegex(spellContent(content)), parseRegex('[0-9]+'), parseRegex('true|false|null'), parseRegex('[{}\\[\\],:]')];
  const on = lexer(lexemes, true);
  const off = lexer(lexemes, false);
  const pairs = sameAutomaton(on, off, 3000);
  assert.ok(pairs > 100, `${pairs} states`);
  assert.ok(on.derivativesComputed * 3 < off.derivativesComputed, `${on.derivativesComputed} derivatives with classes, ${off.derivativesComputed} without`);
});

const regexArb = regexArbitrary(['a', 'b', 'é', '😀', '0', '.', '[a-c]', '[^a]', '\\d', '\\n', ' ', '"', '\\\\'], ['*', '+', '?', '{2}', '{0,2}']);

test('derivative classes: random lexeme sets build the same automaton with and without them', () => {
  fc.assert(
    fc.property(fc.array(regexArb, { minLength: 1, maxLength: 4 }), (sources) => {
      const lexemes = sources.map((s) => parseRegex(s));
      sameAutomaton(lexer(lexemes, true), lexer(lexemes, false), 400);
    }),
    { numRuns: 150, seed: 7 },
  );
});

test('derivative classes: masks of a schema with patterns equal those without them at every token', () => {
  const tok = llama3();
  const schema = {
    type: 'object',
    properties: {
      interval: { type: 'string', pattern: 'INTERVAL_TICK|INTERVAL_M1|INTERVAL_M15|INTERVAL_H4|INTERVAL_MN1' },
      path: { type: 'string', pattern: '^[^/#]+/[^/#]+#[0-9]+$' },
      when: { type: 'string', format: 'date-time' },
      tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+:\\w+$' } },
    },
    required: ['interval', 'path'],
  };
  const g = compileJsonSchema(schema) as Grammar;
  setDerivativeClasses(false);
  const off = compile(g, tok, { sharedPlanBytes: 0 });
  setDerivativeClasses(true);
  const on = compile(g, tok, { sharedPlanBytes: 0 });
  const text = '{"interval": "INTERVAL_M15", "path": "org/repo#123", "when": "2024-01-02T03:04:05Z", "tags": ["sqs:SendMessage", "ab:x_1"]}';
  try {
    sameMasks(on, off, tok.encode(text), 'pattern schema', (side) => setDerivativeClasses(side === 0));
  } finally {
    setDerivativeClasses(true);
  }
});
