import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import Ajv2020Mod from 'ajv/dist/2020.js';
import addFormatsMod from 'ajv-formats';
import { compileJsonSchema, jsonSchemaToLark, larkJsonHook, parseLarkWithJson, JsonSchemaError, type JsonSchemaOptions } from '../../src/engine/schema/index.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { EngineError } from '../../src/engine/errors.ts';
import { seededRandom } from '../../src/engine/grammar/sample.ts';

// ajv ships CommonJS; under ESM the class may sit on `.default`.
type AjvLike = { validate(schema: unknown, data: unknown): boolean };
const Ajv2020 = ((Ajv2020Mod as unknown as { default?: unknown }).default ?? Ajv2020Mod) as new (o: object) => AjvLike;
const addFormats = ((addFormatsMod as unknown as { default?: unknown }).default ?? addFormatsMod) as (a: AjvLike) => void;
const ajv = new Ajv2020({ strict: false, validateFormats: true });
addFormats(ajv);

function matcher(schema: unknown, opts?: JsonSchemaOptions): (text: string) => boolean {
  const cg = compile(compileJsonSchema(schema, opts), byteTokenizer());
  return (t) => cg.matches(t);
}

/** Each instance: ajv must agree with the expectation, and so must the engine. */
function agree(schema: unknown, valid: unknown[], invalid: unknown[]): void {
  const m = matcher(schema);
  for (const v of valid) {
    assert.equal(ajv.validate(schema, v), true, `ajv should accept ${JSON.stringify(v)} for ${JSON.stringify(schema)}`);
    assert.equal(m(JSON.stringify(v)), true, `engine should accept ${JSON.stringify(v)} for ${JSON.stringify(schema)}`);
  }
  for (const v of invalid) {
    assert.equal(ajv.validate(schema, v), false, `ajv should reject ${JSON.stringify(v)} for ${JSON.stringify(schema)}`);
    assert.equal(m(JSON.stringify(v)), false, `engine should reject ${JSON.stringify(v)} for ${JSON.stringify(schema)}`);
  }
}

test('type, type arrays and boolean schemas', () => {
  agree({ type: 'integer' }, [0, -7, 12345678901], [1.5, '1', null, true, [], {}]);
  agree({ type: ['string', 'null'] }, ['a', null], [1, false, [], {}]);
  agree({ type: 'boolean' }, [true, false], [0, 'true']);
  agree(true, [1, 'x', null, [1, { a: 2 }]], []);
  agree(false, [], [1, 'x', null, {}]);
  agree({ type: 'array', items: false }, [[]], [[1]]);
});

test('properties, required, additionalProperties, patternProperties (schema order)', () => {
  const s = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } }, required: ['id'], additionalProperties: { type: 'boolean' } };
  agree(s, [{ id: 1 }, { id: 2, name: 'x' }, { id: 3, name: 'y', extra: true }], [{}, { name: 'x' }, { id: 'x' }, { id: 1, extra: 3 }]);
  agree({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }, [{}, { a: 'q' }], [{ b: 1 }, { a: 1 }]);
  agree({ type: 'object', patternProperties: { '^x-': { type: 'integer' } }, additionalProperties: false }, [{}, { 'x-a': 1, 'x-b': 2 }], [{ 'x-a': 'no' }, { y: 1 }]);
  agree({ type: 'object', properties: { a: true, b: false } }, [{}, { a: 1 }], [{ b: 1 }, { a: 1, b: 2 }]);
});

test('minProperties, maxProperties, dependentRequired', () => {
  agree({ type: 'object', minProperties: 1, maxProperties: 2 }, [{ a: 1 }, { a: 1, b: 2 }], [{}, { a: 1, b: 2, c: 3 }]);
  const s = { type: 'object', properties: { card: { type: 'string' }, billing: { type: 'string' } }, dependentRequired: { card: ['billing'] }, additionalProperties: false };
  agree(s, [{}, { billing: 'x' }, { card: 'c', billing: 'b' }], [{ card: 'c' }]);
});

test('items, prefixItems, minItems, maxItems, draft-07 items array', () => {
  agree({ type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], items: { type: 'null' }, minItems: 1, maxItems: 4 }, [[1], [1, 'a'], [1, 'a', null, null]], [[], ['a'], [1, 2], [1, 'a', 3], [1, 'a', null, null, null]]);
  const m = matcher({ $schema: 'http://json-schema.org/draft-07/schema#', items: [{ type: 'integer' }], additionalItems: false });
  assert.equal(m('[1]'), true);
  assert.equal(m('[1, 2]'), false);
  agree({ type: 'array', minItems: 300 }, [Array.from({ length: 300 }, () => 0)], [Array.from({ length: 299 }, () => 0)]);
});

test('enum, const, anyOf, oneOf (disjoint), allOf (merged), not', () => {
  agree({ enum: ['a', 1, null, [1, 2], { k: 'v' }] }, ['a', 1, null, [1, 2], { k: 'v' }], ['b', 2, [1], { k: 'w' }]);
  agree({ const: 'he said "hi"\n' }, ['he said "hi"\n'], ['he said hi']);
  agree({ anyOf: [{ type: 'integer', minimum: 10 }, { type: 'string', maxLength: 1 }] }, [10, 'a'], [9, 'ab']);
  agree({ oneOf: [{ type: 'integer' }, { type: 'string' }] }, [1, 'x'], [null]);
  agree({ oneOf: [{ type: 'object', properties: { kind: { const: 'a' }, x: { type: 'integer' } }, required: ['kind'] }, { type: 'object', properties: { kind: { const: 'b' } }, required: ['kind'] }] }, [{ kind: 'a', x: 1 }, { kind: 'b' }], [{ kind: 'c' }, { kind: 'a', x: 'no' }]);
  agree({ allOf: [{ type: 'object', properties: { a: { type: 'integer' } } }, { properties: { a: { minimum: 5 } }, required: ['a'] }] }, [{ a: 5 }], [{ a: 4 }, {}]);
  agree({ not: { type: 'string' } }, [1, null, {}], ['x']);
  agree({ type: 'string', not: { enum: ['root', 'admin'] } }, ['bob'], ['root', 'admin']);
  assert.throws(() => compileJsonSchema({ oneOf: [{ type: 'integer' }, { minimum: 2 }] }), (e: unknown) => e instanceof JsonSchemaError && e.keyword === 'oneOf');
  // Without `type: object` both branches accept non-objects (e.g. 1): not disjoint, but decided
  // exactly, so those are refused (they match both).
  agree({ oneOf: [{ properties: { k: { const: 'a' } }, required: ['k'] }, { properties: { k: { const: 'b' } }, required: ['k'] }] }, [{ k: 'a' }, { k: 'b' }], [1, 'x', null, { k: 'c' }, {}]);
});

test('contains/minContains, if/then/else, dependentSchemas, not of number ranges', () => {
  agree({ type: 'array', contains: { type: 'string' } }, [['a'], [1, 'a', 2]], [[], [1, 2]]);
  agree({ type: 'array', items: { type: 'integer' }, contains: { minimum: 5 }, minContains: 2 }, [[5, 6], [1, 7, 2, 9]], [[5], [1, 2, 3]]);
  agree({ if: { type: 'string' }, then: { minLength: 2 }, else: { type: 'integer' } }, ['ab', 3], ['a', 1.5, null]);
  agree({ type: 'object', dependentSchemas: { card: { required: ['billing'] } } }, [{}, { billing: 1 }, { card: 1, billing: 2 }], [{ card: 1 }]);
  agree({ type: 'number', not: { minimum: 2, maximum: 5 } }, [1.5, 5.5, -3], [2, 3.5, 5]);
  agree({ type: 'object', not: { required: ['a', 'b'] } }, [{}, { a: 1 }, { b: 1, c: 2 }], [{ a: 1, b: 2 }, { b: 1, a: 2 }]);
  agree({ oneOf: [{ type: 'number', minimum: 3 }, { type: 'number', maximum: 5 }] }, [1.5, 2, 6, 10], [3, 4.5, 5]);
  // not of an object constrained by required and properties: a key missing, or present with a value
  // outside its schema; and if/then/else over a discriminating property, decided the same way.
  // (Members in schema order: each part declares the key it is about, undeclared ones follow.)
  agree({ type: 'object', not: { required: ['a'], properties: { b: { type: 'string' }, c: { const: 'y' } } } }, [{}, { b: 2, a: 1 }, { c: 'z', a: 1 }, { b: 'x' }], [{ a: 1 }, { a: 1, b: 'x' }, { a: 1, b: 'x', c: 'y' }]);
  agree(
    { type: 'object', if: { properties: { kind: { const: 'n' } } }, then: { properties: { v: { type: 'number' } } }, else: { properties: { v: { type: 'string' } } } },
    // Without `kind`, `if` holds (properties only constrain present keys): `then` applies.
    [{ kind: 'n', v: 1 }, { kind: 's', v: 'x' }, { v: 1 }, {}],
    [{ kind: 'n', v: 'x' }, { kind: 's', v: 1 }, { v: 'x' }, { v: 1, kind: 's' }],
  );
  // The complement of a recursive definition would never end: refused, never a stack overflow.
  assert.throws(
    () => compileJsonSchema({ $defs: { node: { type: 'object', properties: { child: { $ref: '#/$defs/node' } } } }, not: { $ref: '#/$defs/node' } }),
    (e: unknown) => e instanceof JsonSchemaError && e.keyword === 'not' && /maxNesting/.test(e.message),
  );
  // A discriminated union written without `type: object`: every non-object matches both branches,
  // so oneOf refuses it; objects are told apart by `op`.
  agree(
    { oneOf: [{ properties: { op: { const: 'add' }, v: { type: 'number' } }, required: ['op', 'v'] }, { properties: { op: { const: 'rm' } }, required: ['op'] }] },
    [{ op: 'add', v: 1 }, { op: 'rm' }],
    [1, 'x', null, true, [], { op: 'x' }, {}, { op: 'add' }],
  );
  // Disjoint objects: a key one branch requires, the other cannot hold.
  agree(
    { oneOf: [{ type: 'object', properties: { src: { type: 'string' }, to: { type: 'string' } }, required: ['src'], additionalProperties: false }, { type: 'object', properties: { replace: { type: 'string' } }, required: ['replace'], additionalProperties: false }] },
    [{ src: 'a', to: 'b' }, { replace: 'x' }],
    [{ src: 'a', replace: 'x' }, {}, { to: 'b' }],
  );
  // Exactly one of the keys, under a constrained object: the bare branches' complements decide it.
  const exactlyOne = {
    type: 'object',
    properties: { name: { type: 'string' }, ssn: { type: 'string' }, ein: { type: 'string' }, itin: { type: 'string' } },
    required: ['name'],
    additionalProperties: false,
    oneOf: [{ required: ['ssn'] }, { required: ['ein'] }, { required: ['itin'] }],
  };
  agree(exactlyOne, [{ name: 'a', ssn: '1' }, { name: 'a', itin: '3' }], [{ name: 'a' }, { name: 'a', ssn: '1', ein: '2' }, { name: 'a', ssn: '1', ein: '2', itin: '3' }, { ssn: '1' }]);
  agree(
    { type: 'object', properties: { r: { type: 'number' }, l: { type: 'number' }, w: { type: 'number' } }, oneOf: [{ required: ['r'] }, { required: ['l', 'w'] }] },
    [{ r: 1 }, { l: 1, w: 2 }, { r: 1, l: 2 }],
    [{}, { l: 1 }, { r: 1, l: 1, w: 2 }],
  );
});

test('propertyOrder any: members in any order, required and counts still enforced', () => {
  const s = { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' } }, required: ['a', 'b'], maxProperties: 3 };
  const any = matcher(s, { propertyOrder: 'any' });
  for (const t of ['{"b": "x", "a": 1}', '{"a": 1, "b": "x"}', '{"z": null, "b": "x", "a": 1}']) assert.equal(any(t), true, t);
  for (const t of ['{"b": "x"}', '{"a": 1, "a": 1, "b": "x"}', '{"b": "x", "a": 1, "y": 1, "z": 2}']) assert.equal(any(t), false, t);
  assert.equal(matcher(s)('{"b": "x", "a": 1}'), false, 'schema order by default');
});

test('strings: pattern (unanchored search), minLength/maxLength in code points, escapes', () => {
  agree({ type: 'string', pattern: 'ab+' }, ['xabbbx', 'ab'], ['a', 'xbx']);
  agree({ type: 'string', pattern: '^[a-z]+$' }, ['abc'], ['ab1', '']);
  agree({ type: 'string', minLength: 2, maxLength: 3 }, ['ab', '😀😀', 'a\nb'], ['a', '😀', 'abcd']);
  agree({ type: 'string', maxLength: 2 }, ['"\\'], ['"\\x']);
});

test('strings: every \\uXXXX spelling in a length-bounded string, exactly (controls and non-ASCII, not other ASCII nor lone surrogates)', () => {
  // The escape is written as plain digit ranges (json-string.ts bmpEscape); each of the 65,536 values, in random hex case.
  const m = matcher({ type: 'string', maxLength: 3 });
  const rand = seededRandom(7);
  for (let v = 0; v <= 0xffff; v++) {
    const hex = [...v.toString(16).padStart(4, '0')].map((c) => (rand() < 0.5 ? c.toUpperCase() : c)).join('');
    const expected = v < 0x20 || (v >= 0x80 && (v < 0xd800 || v > 0xdfff));
    assert.equal(m(`"\\u${hex}"`), expected, `\\u${hex}`);
  }
  assert.equal(m('"\\ud83d\\ude00"'), true, 'a surrogate pair');
  assert.equal(m('"\\ude00\\ud83d"'), false, 'a pair in the wrong order');
});

test('formats: date-time, date, time, duration, email, hostname, ipv4, ipv6, uuid, uri', () => {
  agree({ type: 'string', format: 'date' }, ['2024-02-29', '1999-12-31'], ['2023-02-29', '2024-13-01', '2024-1-01']);
  agree({ type: 'string', format: 'date-time' }, ['2024-05-01T10:20:30Z', '2024-05-01T10:20:30.5+02:00'], ['2024-05-01T10:20:30', '2024-05-01T25:00:00Z', '2024-05-01X10:20:30Z']);
  agree({ type: 'string', format: 'time' }, ['10:20:30Z'], ['10:20:30', '24:00:00Z']);
  agree({ type: 'string', format: 'duration' }, ['P1Y2M3DT4H5M6S', 'PT1S', 'P2W'], ['P', 'PT', 'P1Y2W']);
  agree({ type: 'string', format: 'email' }, ['joe.bloggs@example.com'], ['joe..bloggs@example.com', '@example.com', 'plain']);
  agree({ type: 'string', format: 'hostname' }, ['www.example.com', 'a-b.c'], ['-a.com', 'a_b.com', 'a'.repeat(64) + '.com']);
  agree({ type: 'string', format: 'ipv4' }, ['192.168.0.1'], ['256.1.1.1', '01.1.1.1', '1.1.1']);
  agree({ type: 'string', format: 'ipv6' }, ['::1', '2001:db8::8a2e:370:7334', '::ffff:192.0.2.1'], ['1::2::3', '12345::', ':::']);
  agree({ type: 'string', format: 'uuid' }, ['2EB8AA08-AA98-11EA-B4AA-73B441D16380'], ['2eb8aa08-aa98-11ea-b4aa-73b441d1638', 'not-a-uuid']);
  agree({ type: 'string', format: 'uri' }, ['https://example.com/a?b=c#d', 'urn:isbn:0451450523'], ['//example.com', 'http://exa mple.com', 'relative/path']);
  agree({ type: 'string', format: 'uri-reference' }, ['//example.com/x', '?q=1', '#f', 'a/b'], ['\\\\host\\share', '/%zz']);
  agree({ type: 'string', format: 'json-pointer' }, ['', '/a~1b/0'], ['a', '/~2']);
  agree({ type: 'string', format: 'relative-json-pointer' }, ['0#', '1/a'], ['-1/a', '01']);
  agree({ type: 'string', format: 'uri-template' }, ['http://x/{a}/{+b*}', ''], ['{a', '{}']);
});

test('integer and number ranges, exclusive bounds, multipleOf', () => {
  agree({ type: 'integer', minimum: -15, maximum: 120 }, [-15, -1, 0, 9, 99, 120], [-16, 121, 1000, -100]);
  agree({ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 10 }, [1, 9], [0, 10]);
  agree({ type: 'number', minimum: -1.5, maximum: 2.25 }, [-1.5, -1.25, 0, 0.001, 2.25], [-1.51, 2.2501, 3]);
  agree({ type: 'number', exclusiveMinimum: 0.5 }, [0.51, 1, 100.5], [0.5, 0, -1]);
  agree({ type: 'integer', multipleOf: 5 }, [0, 5, -10, 125], [3, 12]);
  agree({ type: 'integer', minimum: 0, maximum: 20, multipleOf: 3 }, [0, 3, 18], [4, 21]);
  agree({ type: 'number', multipleOf: 0.01 }, [1.25, 3, 0.1], [1.255]);
  const m = matcher({ type: 'integer' });
  assert.equal(m('1.0'), true, '1.0 is an integer (JSON Schema counts the value)');
  assert.equal(m('1.5'), false);
  assert.throws(() => compileJsonSchema({ type: 'number', multipleOf: 0.3 }), (e: unknown) => e instanceof JsonSchemaError && e.keyword === 'multipleOf');
});

test('$ref: $defs, definitions, escaped pointers, $anchor, $id, recursion', () => {
  const tree = { $defs: { node: { type: 'object', properties: { value: { type: 'integer' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['value'], additionalProperties: false } }, $ref: '#/$defs/node' };
  agree(tree, [{ value: 1 }, { value: 1, children: [{ value: 2, children: [] }] }], [{ value: 1, children: [{}] }, {}]);
  agree({ definitions: { 'a/b': { type: 'integer' }, 'c~d': { type: 'string' } }, properties: { x: { $ref: '#/definitions/a~1b' }, y: { $ref: '#/definitions/c~0d' } } }, [{ x: 1, y: 's' }], [{ x: 's' }, { y: 1 }]);
  agree({ $defs: { a: { $anchor: 'thing', type: 'null' } }, items: { $ref: '#thing' } }, [[null]], [[1]]);
  agree({ $id: 'https://example.com/root.json', $defs: { b: { $id: 'b.json', type: 'boolean' } }, items: { $ref: 'b.json' } }, [[true]], [[1]]);
  const list = { type: 'array', items: { $ref: '#' } };
  agree(list, [[], [[]], [[], [[]]]], [[1]]);
  assert.throws(() => compileJsonSchema({ $ref: 'https://example.com/other.json' }), (e: unknown) => e instanceof JsonSchemaError && e.keyword === '$ref');
});

test('errors carry the JSON pointer and keyword; unknown keywords are never dropped silently', () => {
  const check = (schema: unknown, pointer: string, keyword: string, opts: JsonSchemaOptions = { unknownKeywords: 'error' }) =>
    assert.throws(() => compileJsonSchema(schema, opts), (e: unknown) => {
      assert.ok(e instanceof JsonSchemaError, String(e));
      assert.equal(e.code, 'SCHEMA');
      assert.equal(e.pointer, pointer);
      assert.equal(e.keyword, keyword);
      return true;
    });
  check({ properties: { a: { minLength: -1 } } }, '/properties/a', 'minLength');
  check({ items: { type: 'strin' } }, '/items', 'type');
  check({ properties: { 'a/b': { type: 'array', uniqueItems: true } } }, '/properties/a~1b', 'uniqueItems');
  check({ $defs: { x: { $dynamicRef: '#meta' } }, $ref: '#/$defs/x' }, '/$defs/x', '$dynamicRef');
  check({ if: { properties: { a: { type: 'integer' } } }, then: { minProperties: 2 } }, '', 'if');
  check({ frobnicate: 1 }, '', 'frobnicate');
  check({ type: 'string', format: 'idn-email' }, '', 'format');
  check({ type: 'string', pattern: '(?=a)' }, '', 'pattern');
  // Keywords the caller declares inert, and vendor extensions, are ignored.
  assert.doesNotThrow(() => compileJsonSchema({ type: 'string', _format: 'email', 'x-order': 1 }, { annotations: (k) => k.startsWith('_') }));
  check({ type: 'string', _format: 'email' }, '', '_format');
  // Vocabulary keywords that cannot be enforced are errors whatever unknownKeywords says.
  check({ type: 'array', uniqueItems: true }, '', 'uniqueItems', {});
  check({ divisibleBy: 3 }, '', 'divisibleBy', {});
  // Annotations are ignored by design.
  assert.doesNotThrow(() => compileJsonSchema({ title: 't', description: 'd', examples: [1], default: 1, $comment: 'c', deprecated: true, readOnly: true, writeOnly: false, type: 'integer' }));
});

test('keywords of no JSON Schema vocabulary are annotations: ignored by default, each reported', () => {
  const schema = { type: 'object', properties: { email: { type: 'string', _format: 'email', links: [] } }, nullable: true, required: ['email'] };
  const g = compileJsonSchema(schema);
  assert.deepEqual(g.ignored.map((k) => [k.pointer, k.keyword]), [['#', 'nullable'], ['#/properties/email', '_format'], ['#/properties/email', 'links']]);
  const m = matcher(schema);
  assert.equal(m('{"email": "not an address"}'), true);  // _format is not `format`: nothing to enforce
  assert.equal(m('null'), false);                         // nullable is not JSON Schema: null stays invalid
  assert.equal(m('{"email": 1}'), false);
  assert.match(jsonSchemaToLark(schema), /\/\/ ignored: nullable at #: not a JSON Schema keyword/);
  assert.throws(() => compileJsonSchema(schema, { unknownKeywords: 'error' }), (e: unknown) => e instanceof JsonSchemaError && e.keyword === 'nullable');
  // A format name no draft defines is an annotation too; a standard one we cannot enforce is not.
  const url = compileJsonSchema({ type: 'string', format: 'url' });
  assert.deepEqual(url.ignored, [{ pointer: '#', keyword: 'format', detail: 'format "url" is defined by no JSON Schema draft: an annotation' }]);
  assert.equal(matcher({ type: 'string', format: 'url' })('"anything"'), true);
  assert.throws(() => compileJsonSchema({ type: 'string', format: 'idn-email' }), (e: unknown) => e instanceof JsonSchemaError && e.keyword === 'format');
  assert.throws(() => compileJsonSchema({ type: 'string', format: 'url' }, { unknownKeywords: 'error' }), (e: unknown) => e instanceof JsonSchemaError && e.keyword === 'format');
});

test('lenient mode reports each relaxation with its pointer', () => {
  const g = compileJsonSchema({ type: 'object', properties: { tags: { type: 'array', uniqueItems: true, items: { type: 'string' } }, when: { type: 'string', format: 'idn-hostname' } } }, { lenient: true });
  assert.deepEqual(g.relaxations.map((r) => [r.pointer, r.keyword]), [['#/properties/tags', 'uniqueItems'], ['#/properties/when', 'format']]);
  const m = compile(g, byteTokenizer());
  assert.equal(m.matches('{"tags": ["a", "a"], "when": "x"}'), true);
  assert.equal(m.matches('{"tags": [1]}'), false);
  assert.match(jsonSchemaToLark({ type: 'string', format: 'iri' }, { lenient: true }), /\/\/ relaxed: format at #: /);
});

test('whitespace: flexible (bounded) and compact with separators', () => {
  const s = { type: 'object', properties: { a: { type: 'array', items: { type: 'integer' } } } };
  const flex = matcher(s);
  assert.equal(flex('{"a": [1, 2]}'), true);
  assert.equal(flex('{"a":[1,2]}'), true);
  assert.equal(flex(' {\n  "a" : [ 1 ,\n\t2 ]\n} '), true);
  assert.equal(flex(`{"a":${' '.repeat(33)}[1]}`), false, 'more than maxWhitespace spaces');
  assert.equal(matcher(s, { maxWhitespace: 40 })(`{"a":${' '.repeat(33)}[1]}`), true);
  const compact = matcher(s, { whitespace: 'compact' });
  assert.equal(compact('{"a":[1,2]}'), true);
  assert.equal(compact('{"a": [1, 2]}'), false);
  const python = matcher(s, { whitespace: 'compact', separators: { item: ', ', key: ': ' } });
  assert.equal(python('{"a": [1, 2]}'), true);
  assert.equal(python('{"a":[1,2]}'), false);
});

test('%json inside a Lark grammar', () => {
  const g = parseLark('start: "Answer: " answer\nanswer: %json { "type": "object", "properties": { "ok": { "type": "boolean" } }, "required": ["ok"], "additionalProperties": false }\n', { jsonSchema: larkJsonHook() });
  const cg = compile(g, byteTokenizer());
  assert.equal(cg.matches('Answer: {"ok": true}'), true);
  assert.equal(cg.matches('Answer: {"ok": 1}'), false);
  assert.throws(() => parseLark('start: %json { "uniqueItems": true }\n', { jsonSchema: larkJsonHook() }), (e: unknown) => e instanceof EngineError && e.code === 'SCHEMA');
  const g2 = parseLarkWithJson('start: "n=" n\nn: %json { "type": "integer", "minimum": 10 }\n', { json: { whitespace: 'compact' } });
  const cg2 = compile(g2, byteTokenizer());
  assert.equal(cg2.matches('n=12'), true);
  assert.equal(cg2.matches('n=9'), false);
});

test('the Lark text round-trips through parseLark with the same language', () => {
  const s = { type: 'object', properties: { n: { type: 'integer', minimum: 1, maximum: 99 }, s: { type: 'string', pattern: '^[a-z]{2,4}$' } }, required: ['n'] };
  const cg = compile(parseLark(jsonSchemaToLark(s)), byteTokenizer());
  assert.equal(cg.matches('{"n": 42, "s": "abc"}'), true);
  assert.equal(cg.matches('{"n": 100}'), false);
  assert.equal(cg.matches('{"n": 5, "s": "ABC"}'), false);
});

test('limits: nesting and grammar size are bounded', () => {
  let deep: unknown = { type: 'integer' };
  for (let i = 0; i < 300; i++) deep = { type: 'array', items: deep };
  assert.throws(() => compileJsonSchema(deep), (e: unknown) => e instanceof EngineError && e.code === 'LIMIT');
  const any10 = { anyOf: Array.from({ length: 10 }, (_, i) => ({ type: 'object', properties: { [`k${i}`]: { type: 'integer' } } })) };
  assert.throws(() => compileJsonSchema({ allOf: [any10, any10, any10, any10] }), (e: unknown) => e instanceof JsonSchemaError && e.keyword === 'allOf');
  assert.throws(() => compileJsonSchema({ type: 'object', properties: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, { type: 'integer' }])) }, { limits: { maxGrammarSize: 100 } }), (e: unknown) => e instanceof EngineError && e.code === 'LIMIT');
});

// Property: on random instances our acceptance is never a superset of ajv's (no false positives).
const SMALL_SCHEMAS: unknown[] = [
  { type: 'object', properties: { a: { type: 'integer', minimum: 0 }, b: { type: 'string', maxLength: 2 } }, required: ['a'] },
  { type: 'array', prefixItems: [{ type: 'boolean' }], items: { type: ['null', 'number'] }, maxItems: 3 },
  { anyOf: [{ type: 'string', pattern: '^[ab]*$' }, { type: 'integer', maximum: 3 }] },
  { enum: [1, 'a', [true], { x: null }] },
  { type: 'object', additionalProperties: { type: 'integer', exclusiveMaximum: 2 }, minProperties: 1 },
  { type: 'number', minimum: -2.5, maximum: 0.75 },
];

test('property: no instance ajv rejects is accepted (fast-check)', () => {
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.boolean(),
      fc.integer({ min: -10, max: 10 }),
      fc.double({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom('', 'a', 'ab', 'abc', 'ba', 'x'),
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'c', 'x'), tie('v'), { maxKeys: 3 }),
    ),
  })).v;
  for (const schema of SMALL_SCHEMAS) {
    const m = matcher(schema);
    fc.assert(
      fc.property(value, (v) => {
        const text = JSON.stringify(v);
        if (m(text)) assert.equal(ajv.validate(schema, JSON.parse(text)), true, `accepted ${text} which ajv rejects for ${JSON.stringify(schema)}`);
      }),
      { numRuns: 150 },
    );
  }
});

test('patterns only legacy ECMA syntax accepts (identity escapes like \\, and \\<) compile with that meaning', () => {
  const m = matcher({ type: 'string', pattern: '^[\\.\\,\\-]+$' });
  assert.equal(m('".,-"'), true);
  assert.equal(m('"a"'), false);
  const mail = matcher({ type: 'string', pattern: '^.+\\<.+@.+\\>$' });
  assert.equal(mail('"Ann <ann@x.org>"'), true);
  assert.equal(mail('"ann@x.org"'), false);
  // Neither syntax: still a SCHEMA error naming the keyword.
  assert.throws(() => compileJsonSchema({ type: 'string', pattern: '(' }), (e: unknown) => e instanceof JsonSchemaError && e.keyword === 'pattern');
});
