// JSON lists (array items, an object's extra members) reach the parser states they repeat in from
// their second item: GrammarBuilder.separated and repeatSeq write the separator and the item inside
// the list's own recursive rule (docs/engine-optimizations.md §46).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteTokenizer, compile, compileJsonSchema, GrammarBuilder, type Grammar } from '../../src/engine/index.ts';

/** Walks `texts` one after another through one fresh grammar, a mask at every byte; the parser states interned after each. */
function statesAfter(schema: unknown, texts: string[]): number[] {
  const cg = compile(compileJsonSchema(schema) as Grammar, byteTokenizer());
  const bits = new Uint32Array(cg.maskWords);
  const m = cg.matcher();
  const out: number[] = [];
  for (const text of texts) {
    for (const b of new TextEncoder().encode(text)) {
      m.computeMask(bits);
      assert.ok(m.consume(b), `byte ${String.fromCharCode(b)} of ${JSON.stringify(text)}`);
    }
    out.push(cg.stats().parserStates);
  }
  return out;
}

test('array items: from the third on, no new parser state', () => {
  const [two, five] = statesAfter({ type: 'array', items: { type: 'number' } }, ['[11.5, 22.5, ', '33.5, 44.5, 55.5, ']);
  assert.equal(five, two);
  // With minItems, the repetition starts past the counted items.
  const [four, six] = statesAfter({ type: 'array', items: { type: 'number' }, minItems: 3 }, ['[11.5, 22.5, 33.5, 44.5, ', '55.5, 66.5, ']);
  assert.equal(six, four);
});

test('items after a tuple prefix, and extra members after declared ones: from the second on, no new parser state', () => {
  const prefix = { type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'integer' } };
  const [one, four] = statesAfter(prefix, ['["x", 10, ', '20, 30, 40, ']);
  assert.equal(four, one);
  const members = { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'], additionalProperties: { type: 'integer' } };
  const [m1, m3] = statesAfter(members, ['{"a": 1, "bb": 10, ', '"cc": 20, "dd": 30, ']);
  assert.equal(m3, m1);
});

test('separated and repeatSeq accept exactly the lists their plain forms accept', () => {
  const b = new GrammarBuilder();
  const item = b.literal('x');
  const sep = b.literal(',');
  const start = b.newRule('start');
  for (const min of [1, 2, 3]) b.addAlternative(start, [b.literal(`s${min}:`), b.separated(item, sep, min)]);
  for (const min of [0, 1, 2]) b.addAlternative(start, [b.literal(`r${min}:`), b.repeatSeq('pair', [sep, item], min, Infinity)]);
  b.addAlternative(start, [b.literal('b:'), b.repeatSeq('pair', [sep, item], 1, 2)]);
  const cg = compile(b.build(start), byteTokenizer());
  const list = (n: number, lead: boolean) => Array.from({ length: n }, (_, i) => (lead || i > 0 ? ',x' : 'x')).join('');
  for (let n = 0; n <= 6; n++) {
    for (const min of [1, 2, 3]) assert.equal(cg.check(`s${min}:${list(n, false)}`).accepted, n >= min, `s${min} with ${n}`);
    for (const min of [0, 1, 2]) assert.equal(cg.check(`r${min}:${list(n, true)}`).accepted, n >= min, `r${min} with ${n}`);
    assert.equal(cg.check(`b:${list(n, true)}`).accepted, n >= 1 && n <= 2, `bounded with ${n}`);
  }
  assert.throws(() => new GrammarBuilder().separated(item, sep, 0), /minimum/);
});
