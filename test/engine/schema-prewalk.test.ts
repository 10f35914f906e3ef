/**
 * The compile-time prewalk (src/engine/warm-up/schema-prewalk.ts): the document it walks is what a
 * model writes for a tool call, cut before values that make lexemes of their own; the grammar's
 * masks after a prewalk are the masks with every cache off (it leaves walks behind, never answers);
 * and it serves the masks of a real output from what it made.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, compileJsonSchema, prewalkSchema, schemaDocument, schemaDocuments, type Grammar } from '../../src/engine/index.ts';
import { llama3, sameMasks } from './matcher-helpers.ts';

const TOOL = {
  type: 'object',
  properties: {
    location: { type: 'string' },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    days: { type: 'integer' },
    when: { type: 'string', format: 'date' },
    tags: { type: 'array', items: { type: 'string' } },
    options: { type: 'object', properties: { verbose: { type: 'boolean' }, ratio: { type: 'number' } } },
  },
  required: ['location'],
};

test('schemaDocument: every declared property in order, in the compact layout, first enum value, format examples', () => {
  const d = schemaDocument(TOOL)!;
  assert.equal(d, '{"location": "abc", "unit": "celsius", "days": 1, "when": "2024-01-01", "tags": ["abc", "abc"], "options": {"verbose": true, "ratio": 1.5}}');
  assert.ok(compile(compileJsonSchema(TOOL) as Grammar, llama3()).check(d).accepted);
  // Local references are followed.
  assert.equal(schemaDocument({ type: 'object', properties: { a: { $ref: '#/$defs/x' } }, $defs: { x: { type: 'integer' } } }), '{"a": 1}');
  // Constant values in the same layout; an allOf branch's enum fixes the value whatever the others say.
  assert.equal(schemaDocument({ const: { a: [1, 'x'], b: null } }), '{"a": [1, "x"], "b": null}');
  assert.equal(schemaDocument({ allOf: [{ type: 'object' }, { enum: [{ foo: 12 }, 6] }, { not: { not: {} } }] }), '{"foo": 12}');
});

test('schemaDocument: two items per array, one where the schema holds one, repeats or a tuple', () => {
  assert.equal(schemaDocument({ type: 'array', items: { type: 'integer' } }), '[1, 1]');
  assert.equal(schemaDocument({ type: 'array', items: { type: 'integer' }, maxItems: 1 }), '[1]');
  assert.equal(schemaDocument({ type: 'array', items: { type: 'integer' }, uniqueItems: true }), '[1]');
  assert.equal(schemaDocument({ type: 'array', items: [{ type: 'integer' }, { type: 'string' }] }), '[1]');
  // A second item past the size bound is left out; the array still closes.
  assert.equal(schemaDocument({ type: 'array', items: { type: 'string', minLength: 6 } }, 12), '["abcccc"]');
  assert.equal(schemaDocument({ type: 'array', items: { type: 'string', minLength: 6 } }, 20), '["abcccc", "abcccc"]');
});

test('schemaDocuments: one document per function of a choice between tool calls, references resolved in the whole schema', () => {
  const choice = {
    anyOf: [
      { type: 'object', properties: { 'weather.get': { $ref: '#/$defs/place' } }, required: ['weather.get'] },
      { type: 'object', properties: { 'time.now': { type: 'object', properties: { zone: { type: 'string' } } } } },
    ],
    $defs: { place: { type: 'object', properties: { city: { type: 'string' } } } },
  };
  assert.deepEqual(schemaDocuments(choice), ['{"weather.get": {"city": "abc"}}', '{"time.now": {"zone": "abc"}}']);
  assert.deepEqual(schemaDocuments(TOOL), [schemaDocument(TOOL)]);
  // A root that is a reference to a choice of references (MCP's message schemas), annotations beside.
  const viaRefs = { $schema: 'http://json-schema.org/draft-07/schema#', $ref: '#/definitions/Request', definitions: { Request: { anyOf: [{ $ref: '#/definitions/Ping' }] }, Ping: { description: 'a ping', type: 'object', properties: { method: { const: 'ping' } } } } };
  assert.deepEqual(schemaDocuments(viaRefs), ['{"method": "ping"}']);
  assert.deepEqual(schemaDocuments({ $ref: '#/definitions/x', type: 'integer', definitions: { x: { type: 'string' } } }), [], 'a reference with constraints beside it');
  assert.deepEqual(schemaDocuments({ type: 'object', properties: { a: { type: 'integer' }, b: { $ref: '#/definitions/%E0' } } }), ['{"a": 1'], 'a malformed escape names nothing');
  // Only a choice (annotations beside it): one document per branch, whatever its type.
  assert.deepEqual(schemaDocuments({ $schema: 'http://json-schema.org/draft-04/schema#', oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'integer' } }] }), ['"abc"', '[1, 1]']);
  assert.deepEqual(schemaDocuments({ type: 'string', anyOf: [{ maxLength: 2 }, { minLength: 5 }] }), [], 'a choice with constraints beside it');
});

test('schemaDocument: stops before a value with a lexeme of its own, and past the size bound', () => {
  const s = { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string', multipleOf: 2 }, c: { type: 'boolean' } } };
  assert.equal(schemaDocument(s), '{"a": 1');
  // A pattern gets a short string it matches; one with a lookahead, or one past a length bound, ends the document.
  const patterns = { type: 'object', properties: { t: { type: 'string', pattern: '^([0-1]?[0-9]|2[0-3]):[0-5][0-9]$' }, p: { type: 'string', pattern: '^[^/#]+/[^/#]+#[0-9]+$' }, w: { type: 'string', pattern: 'INTERVAL_M1|INTERVAL_H4' }, q: { type: 'string', pattern: '"\\\\[a-c]' } } };
  assert.equal(schemaDocument(patterns), '{"t": "0:00", "p": "a/a#0", "w": "INTERVAL_M1", "q": "\\"\\\\a"}');
  assert.equal(schemaDocument({ type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string', pattern: '^(?!x)[a-z]+$' } } }), '{"a": 1', 'a lookahead');
  // Checked with the compiler's RegExp: legacy syntax (an identity escape `\-`, refused with the `u` flag) too.
  assert.equal(schemaDocument({ type: 'object', properties: { a: { type: 'string', pattern: '^a\\-b$' }, b: { type: 'integer' } } }), '{"a": "a-b", "b": 1}');
  assert.equal(schemaDocument({ type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string', pattern: '^[a-z]{5}$', maxLength: 3 } } }), '{"a": 1', 'past maxLength');
  assert.equal(schemaDocument({ type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string', pattern: '^[a-z]+$', format: 'email' } } }), '{"a": 1', 'a pattern beside a format');
  // Lengths and ranges get a placeholder that fits them.
  assert.equal(schemaDocument({ type: 'object', properties: { b: { type: 'string', maxLength: 2 }, c: { type: 'string', minLength: 5 }, d: { type: 'integer', minimum: 10 }, e: { type: 'number', exclusiveMaximum: 0 } } }), '{"b": "ab", "c": "abccc", "d": 10, "e": -0.5}');
  assert.equal(schemaDocument({ type: 'object', properties: { b: { type: 'string', format: 'date', maxLength: 8 } } }), '{', 'a format under a length bound');
  assert.equal(schemaDocument({ type: 'string', not: { const: 'x' } }), undefined);
  // A value that is only a choice takes the first branch that writes a whole value; a choice with
  // constraints beside it ends the document.
  assert.equal(schemaDocument({ anyOf: [{ type: 'string' }, { type: 'integer' }] }), '"abc"');
  assert.equal(schemaDocument({ type: 'object', properties: { a: { oneOf: [{ type: 'string', multipleOf: 2 }, { type: 'integer' }] }, b: { type: 'boolean' } } }), '{"a": 1, "b": true}');
  assert.equal(schemaDocument({ type: 'object', properties: { a: { type: 'integer' }, b: { anyOf: [{ type: 'object', properties: { x: { not: {} } } }] } } }), '{"a": 1', 'no branch writes a whole value');
  assert.equal(schemaDocument({ type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string', anyOf: [{ maxLength: 2 }] } } }), '{"a": 1', 'a choice beside a type');
  // Nested choices whose branches all stop at the bottom: bounded visits, not 10^12.
  let deep: unknown = { type: 'string', not: {} };
  for (let i = 0; i < 12; i++) deep = { anyOf: Array.from({ length: 10 }, () => deep) };
  const t0 = performance.now();
  assert.equal(schemaDocument({ type: 'object', properties: { a: { type: 'integer' }, b: deep } }), '{"a": 1');
  assert.ok(performance.now() - t0 < 1_000);
  assert.equal(schemaDocument({ type: 'string', format: 'color' }), undefined, 'a format without an example');
  const wide = { type: 'object', properties: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`property_${i}`, { type: 'string' }])) };
  const cut = schemaDocument(wide, 500)!;
  assert.ok(cut.length <= 500 && cut.startsWith('{"property_0": "abc"'), cut);
});

test('prewalkSchema: masks after it equal masks with every cache off; an output then builds far fewer walks', () => {
  const tok = llama3();
  const g = compileJsonSchema(TOOL) as Grammar;
  const output = '{"location": "Paris, France", "unit": "fahrenheit", "days": 3, "when": "2025-06-30", "tags": ["rain", "wind"], "options": {"verbose": false, "ratio": 0.25}}';
  const fresh = compile(g, tok);
  const walked = compile(g, tok);
  const r = prewalkSchema(walked, TOOL, { budgetMs: 10_000 });
  assert.equal(r.refused, false);
  assert.ok(r.masks > 30, `${r.masks} masks`);
  const before = walked.stats();
  sameMasks(walked, compile(g, tok, { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 }), tok.encode(output), output);
  const builtAfterPrewalk = walked.stats().maskCacheMisses - before.maskCacheMisses;
  const freshBefore = fresh.stats();
  sameMasks(fresh, compile(g, tok, { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 }), tok.encode(output), output);
  const builtFresh = fresh.stats().maskCacheMisses - freshBefore.maskCacheMisses;
  assert.ok(builtAfterPrewalk * 2 < builtFresh, `plans built for the output: ${builtAfterPrewalk} after the prewalk, ${builtFresh} without`);
  // A schema with nothing to walk costs nothing.
  assert.deepEqual(prewalkSchema(compile(compileJsonSchema({ type: 'string', multipleOf: 2 }) as Grammar, tok), { type: 'string', multipleOf: 2 }), { masks: 0, refused: false });
});
