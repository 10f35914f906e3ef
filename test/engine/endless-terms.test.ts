/**
 * Endless terms (lexer/terms.ts `endless`) and the slice they allow without a search
 * (matcher/slice-use.ts `endlessHere`): in a key that must differ from the declared names, every
 * plain string stays inside the lexeme, which the search could only find out by building a state
 * per prefix of each name. Checked: which terms are endless (and which are not, though close), that
 * the slice is then taken with no state built, and that masks are the same bit for bit with the
 * proof and with the search (Llama-3, at every position of documents of schemas with many names),
 * with the mask/consume law for every allowed token at key positions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { GrammarCore } from '../../src/engine/matcher/core.ts';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import { Lexer } from '../../src/engine/lexer/lexer.ts';
import { withLimits } from '../../src/engine/limits.ts';
import { alt, concat, literal, type Regex } from '../../src/engine/regex/ast.ts';
import { controlSearchBytes, plainLeadBytes, setEndlessSlices, sliceSearchBytes, sliceUse } from '../../src/engine/matcher/slice-use.ts';
import { PLAIN_CHAR, stringSlices, UNBOUNDED } from '../../src/engine/trie/string-slices.ts';
import { assertMaskAgrees, llama3, sameMasks, tokenSample } from './matcher-helpers.ts';

const tok = llama3();
const slices = stringSlices(tok);
const enc = new TextEncoder();

const Q = literal('"');
const star = (r: Regex, min = 0, max = Infinity): Regex => ({ kind: 'repeat', item: r, min, max });
const and = (...items: Regex[]): Regex => ({ kind: 'and', items });
const not = (item: Regex): Regex => ({ kind: 'not', item });
const names = alt(literal('ab'), literal('abc'), literal('name'));

/** Whether the only lexeme of `regex` is endless after reading `prefix`. */
function endlessAfter(regex: Regex, prefix: string | Uint8Array): boolean {
  const lx = new Lexer([regex], withLimits());
  let s = lx.startState([0]);
  for (const b of typeof prefix === 'string' ? enc.encode(prefix) : prefix) s = lx.next(s, b);
  assert.notEqual(s, Lexer.DEAD, `${JSON.stringify(prefix)} keeps the lexeme alive`);
  return lx.hasEndlessLexeme(s, slices);
}

test('endless terms: plain strings minus finitely many names, and the close cases that are not', () => {
  const key = concat(Q, and(star(PLAIN_CHAR), not(names)), Q);
  for (const p of ['"', '"a', '"ab', '"abc', '"nam', '"name', '"x', '"é ☃']) assert.ok(endlessAfter(key, p), p);
  // Mid-character: plain strings start at a character boundary, and a continuation byte is due.
  assert.ok(!endlessAfter(key, enc.encode('"é').subarray(0, 2)));
  // Inside an escape of the JSON spelling the next plain character may kill the lexeme: not endless.
  const escaped = concat(Q, and(star(alt(PLAIN_CHAR, literal('\\n'))), not(names)), Q);
  assert.ok(endlessAfter(escaped, '"a'));
  assert.ok(!endlessAfter(escaped, '"a\\'));
  // Plain strings with no names removed, and a complement alone.
  assert.ok(endlessAfter(concat(Q, star(PLAIN_CHAR), Q), '"'));
  assert.ok(endlessAfter(concat(Q, not(names)), '"'));
  // Not endless: a bound, a narrower class, a complement of an infinite language, two infinite
  // sides of an intersection, before the opening quote.
  assert.ok(!endlessAfter(concat(Q, and(star(PLAIN_CHAR, 0, 500), not(names)), Q), '"'));
  assert.ok(!endlessAfter(concat(Q, and(star({ kind: 'chars', ranges: [[0x61, 0x7a]] }), not(names)), Q), '"'));
  assert.ok(!endlessAfter(concat(Q, and(star(PLAIN_CHAR), not(concat(star(PLAIN_CHAR), literal('ab')))), Q), '"'));
  assert.ok(!endlessAfter(concat(Q, and(star(PLAIN_CHAR), concat(literal('x'), star(PLAIN_CHAR))), Q), '"'));
  assert.ok(!endlessAfter(concat(Q, star(PLAIN_CHAR), Q), ''));
  // Endless only once the bounded part is read: a prefix that must come first.
  const prefixed = concat(Q, literal('id_'), and(star(PLAIN_CHAR), not(names)), Q);
  assert.ok(!endlessAfter(prefixed, '"'));
  assert.ok(endlessAfter(prefixed, '"id_'));
});

/** The slice use in the lexer state after `{"` (a key position) of a schema's grammar, and the states it built. */
function keyUse(schema: unknown): { use: ReturnType<typeof sliceUse>; built: number } {
  const m = new GrammarCore(compileJsonSchema(schema, {}), tok, withLimits());
  const lx = m.lexer;
  // Every lexeme that may start with a quote: the declared names and the undeclared KEY (the
  // schemas below have no string values).
  const keyLexemes: number[] = [];
  for (let i = 0; i < lx.lexemeCount; i++) if (lx.next(lx.startState([i]), 0x22) !== Lexer.DEAD) keyLexemes.push(i);
  let s = lx.startState(keyLexemes);
  s = lx.next(s, 0x22);
  const before = lx.stateCount;
  const use = sliceUse(m, slices, sliceSearchBytes(m, slices), controlSearchBytes(m), plainLeadBytes(slices), s, new Map());
  return { use, built: lx.stateCount - before };
}

const manyNames = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`property_${(i * 7919).toString(36)}_${i}`, { type: i % 2 ? 'boolean' : 'integer' }]));

test('a key that must differ from the declared names takes the whole slice and builds no state', () => {
  const { use, built } = keyUse({ type: 'object', properties: manyNames, additionalProperties: { type: 'integer' } });
  assert.deepEqual(use, { take: UNBOUNDED, skip: UNBOUNDED, ctrl: -1, set: slices });
  assert.equal(built, 0);
  // With the proof off, the search builds a state per name prefix it meets (and proves less).
  setEndlessSlices(false);
  try {
    const searched = keyUse({ type: 'object', properties: manyNames, additionalProperties: { type: 'integer' } });
    assert.ok(searched.built > 60, `states built by the search: ${searched.built}`);
  } finally {
    setEndlessSlices(true);
  }
  // Keys of a pattern beside the undeclared ones (`^/`): the first byte decides which, and every
  // state after it is endless, so the search stops there with the whole slice.
  const withPattern = { type: 'object', properties: manyNames, patternProperties: { '^/': { type: 'integer' } }, additionalProperties: { type: 'integer' } };
  const cut = keyUse(withPattern);
  assert.equal(cut.use?.take, UNBOUNDED);
  assert.ok(cut.built < 40, `states built: ${cut.built}`);
  // A key with a length bound is not endless: the search decides, as before.
  setEndlessSlices(true);
  const bounded = keyUse({ type: 'object', properties: manyNames, additionalProperties: { type: 'integer' }, propertyNames: { maxLength: 40 } });
  assert.notDeepEqual(bounded.use, { take: UNBOUNDED, skip: UNBOUNDED, ctrl: -1 });
});

const schemas: Array<{ schema: unknown; docs: string[] }> = [
  {
    schema: { type: 'object', properties: manyNames },
    docs: [
      `{"property_0_0": 1, "property_${(7919).toString(36)}_1": true, "other key": "x", "prop": [1, "a"], "property_0_00": null}`,
      '{"\\u00e9b": 1, "a\\"b": 2, "é ☃": {"nested": []}, "": 0}',
    ],
  },
  {
    schema: {
      type: 'object',
      properties: { ab: { type: 'integer' }, abc: { type: 'string' }, name: { type: 'string' } },
      patternProperties: { '^x-': { type: 'boolean' } },
      additionalProperties: { type: 'number' },
    },
    docs: ['{"ab": 1, "abc": "s", "name": "n", "x-flag": true, "abd": 2.5, "x": 3}'],
  },
  {
    schema: { type: 'object', properties: manyNames, patternProperties: { '^/': { type: 'string' } }, additionalProperties: { type: 'integer' } },
    docs: ['{"property_0_0": 1, "/path": "p", "/": "", "pr": 2, "/property_0_0": "q"}'],
  },
  {
    // Keys of at most 6 characters: not endless (a proof that ignored the bound would allow every
    // longer plain token at a key position).
    schema: { type: 'object', properties: { ab: { type: 'integer' }, abc: { type: 'integer' } }, propertyNames: { maxLength: 6 } },
    docs: ['{"ab": 1, "xyz": 2, "abcdef": 3}'],
  },
  {
    // Keys of lower-case letters only: a space or a digit kills the undeclared key.
    schema: { type: 'object', properties: { ab: { type: 'integer' }, name: { type: 'integer' } }, propertyNames: { pattern: '^[a-z]+$' } },
    docs: ['{"ab": 1, "abc": 2, "nam": 3, "names": 4}'],
  },
];

test('masks with the proof equal masks with the search, at every position (Llama-3)', () => {
  for (const { schema, docs } of schemas) {
    for (const doc of docs) {
      setEndlessSlices(true);
      const a = compile(compileJsonSchema(schema, {}), tok);
      setEndlessSlices(false);
      const b = compile(compileJsonSchema(schema, {}), tok);
      assert.ok(a.matches(doc), doc);
      // The masks of each grammar are computed with its own setting: run them in lockstep, switching.
      const ids = tok.encode(doc);
      const ma = a.matcher();
      const mb = b.matcher();
      const x = new Uint32Array(a.maskWords);
      const y = new Uint32Array(b.maskWords);
      for (let i = 0; i <= ids.length; i++) {
        setEndlessSlices(true);
        ma.computeMask(x);
        setEndlessSlices(false);
        mb.computeMask(y);
        if (!x.every((w, k) => w === y[k])) assert.fail(`${doc}: mask differs at token ${i}`);
        if (i < ids.length) {
          assert.ok(ma.consume(ids[i]!));
          assert.ok(mb.consume(ids[i]!));
        }
      }
      setEndlessSlices(true);
      // And with every cache off (each mask walked again from scratch).
      sameMasks(a, compile(compileJsonSchema(schema, {}), tok, withLimits({ planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 })), ids, doc);
    }
  }
});

test('mask/consume law for every allowed token at key positions', () => {
  const { schema, docs } = schemas[0]!;
  const cg = compile(compileJsonSchema(schema, {}), tok);
  const doc = docs[0]!;
  const ids = tok.encode(doc);
  const bits = new Uint32Array(cg.maskWords);
  const sample = tokenSample(tok, 3000, 11);
  const m = cg.matcher();
  let keys = 0;
  for (let i = 0; i <= ids.length; i++) {
    const before = tok.decode(ids.slice(0, i));
    // Right after an opening quote of a key (`{"` or `, "`): the states the proof serves.
    if (/(\{|, )"$/.test(before)) {
      assertMaskAgrees(m, tok, bits, sample, Infinity, `${doc} after ${JSON.stringify(before)}`);
      keys++;
    }
    if (i < ids.length) assert.ok(m.consume(ids[i]!));
  }
  assert.ok(keys >= 2, `key positions checked: ${keys}`);
});
