/**
 * keyOrder (src/engine/schema/key-order.ts): the key order a schema-order grammar writes a valid
 * document in. Each case checks the order against the grammar itself: the document rewritten in
 * that order is accepted, as written it is not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { compileJsonSchema } from '../../src/engine/schema/compile.ts';
import type { KeyOrder } from '../../src/engine/schema/key-order.ts';

/** JSON text of `v` with each object's keys in `order`'s order (listed first, the rest as written). */
function inOrder(v: unknown, order: KeyOrder | undefined): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x, i) => inOrder(x, order?.inner.get(i))).join(',')}]`;
  const rank = new Map((order?.keys ?? []).map((k, i) => [k, i]));
  const at = (k: string) => rank.get(k) ?? rank.size;
  const keys = Object.keys(v).sort((a, b) => at(a) - at(b));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${inOrder((v as Record<string, unknown>)[k], order?.inner.get(k))}`).join(',')}}`;
}

function check(schema: unknown, doc: unknown, expectedKeys: string[]): void {
  const g = compileJsonSchema(schema);
  const cg = compile(g, byteTokenizer());
  const order = g.keyOrder(doc);
  assert.deepEqual(order?.keys, expectedKeys);
  assert.equal(cg.matches(JSON.stringify(doc)), false, 'as written, the grammar refuses it');
  assert.equal(cg.matches(inOrder(doc, order)), true, `in the grammar's order: ${inOrder(doc, order)}`);
}

test('keyOrder: declared properties in schema order, then required and dependentRequired names, additional keys after', () => {
  const schema = { type: 'object', properties: { b: { type: 'integer' }, a: { type: 'string' } }, required: ['c'], dependentRequired: { a: ['d'] } };
  check(schema, { x: true, d: 1, a: 'y', c: 0, b: 2 }, ['b', 'a', 'c', 'd']);
});

test('keyOrder: nested objects through $ref, array items and prefixItems, additionalProperties', () => {
  const schema = {
    $defs: { point: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } } } },
    type: 'object',
    properties: {
      first: { $ref: '#/$defs/point' },
      path: { type: 'array', prefixItems: [{ type: 'object', properties: { id: {}, at: { $ref: '#/$defs/point' } } }], items: { $ref: '#/$defs/point' } },
    },
    additionalProperties: { $ref: '#/$defs/point' },
  };
  const doc = { path: [{ at: { y: 1, x: 2 }, id: 1 }, { y: 3, x: 4 }], extra: { y: 0, x: 0 }, first: { y: 1, x: 1 } };
  check(schema, doc, ['first', 'path']);
  const o = compileJsonSchema(schema).keyOrder(doc)!;
  assert.deepEqual(o.inner.get('extra')!.keys, ['x', 'y']);
  assert.deepEqual(o.inner.get('path')!.inner.get(0)!.keys, ['id', 'at']);
  assert.deepEqual(o.inner.get('path')!.inner.get(1)!.keys, ['x', 'y']);
});

test('keyOrder: a union follows the branch the value is valid against; an enum object its written order', () => {
  const schema = {
    anyOf: [
      { type: 'object', properties: { kind: { const: 'a' }, p: {}, q: {} }, required: ['kind'] },
      { type: 'object', properties: { q: {}, p: {}, kind: { const: 'b' } }, required: ['kind'] },
    ],
  };
  check(schema, { kind: 'b', p: 1, q: 2 }, ['q', 'p', 'kind']);
  check(schema, { q: 2, kind: 'a' }, ['kind', 'p', 'q']);
  check({ enum: [{ m: 1, n: [{ s: 1, r: 2 }] }] }, { n: [{ r: 2, s: 1 }], m: 1 }, ['m', 'n']);
  // A value no branch matches (an invalid document) has no order to give.
  assert.equal(compileJsonSchema(schema).keyOrder({ kind: 'c' }), undefined);
  assert.equal(compileJsonSchema(schema).keyOrder(3), undefined);
});
