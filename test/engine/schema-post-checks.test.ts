/**
 * Post-checks (JsonSchemaOptions.postChecks, src/engine/schema/check.ts): constraints no grammar
 * holds exactly compile to a superset grammar plus a check of the parsed document, each reported;
 * without the option they are refused (or relaxed in lenient mode), never dropped silently. And
 * uniqueItems over a short list of scalar values, which the grammar holds exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { documentChecker } from '../../src/engine/schema/check.ts';
import { compileJsonSchema, jsonSchemaToLark } from '../../src/engine/schema/compile.ts';
import { JsonSchemaError } from '../../src/engine/schema/schema-error.ts';

const tok = byteTokenizer();
const checks = (schema: unknown) => documentChecker(schema, { postChecks: true, propertyOrder: 'any' });

test('uniqueItems over an enum of scalars: exact in the grammar, no post-check, counts kept', () => {
  const schema = { type: 'array', items: { enum: ['GET', 'PUT', 'POST', 1, 1.0, true, null] }, uniqueItems: true, minItems: 1, maxItems: 3 };
  const g = compileJsonSchema(schema);
  assert.deepEqual([g.postChecks, g.relaxations], [[], []]);
  const cg = compile(g, tok);
  assert.equal(cg.matches('["GET", "PUT"]'), true);
  assert.equal(cg.matches('["PUT", "GET", 1]'), true);
  assert.equal(cg.matches('["GET", "GET"]'), false);
  assert.equal(cg.matches('[1, 1.0]'), false, '1 and 1.0 are the same value');
  assert.equal(cg.matches('[true, null, "POST"]'), true);
  assert.equal(cg.matches('[]'), false, 'minItems');
  assert.equal(cg.matches('["GET", "PUT", "POST", 1]'), false, 'maxItems');
});

test('uniqueItems over strings: refused without post-checks; a reported post-check with them', () => {
  const schema = { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' }, uniqueItems: true } } };
  assert.throws(() => compileJsonSchema(schema), (e: unknown) => e instanceof JsonSchemaError && e.keyword === 'uniqueItems' && e.pointer === '/properties/tags');
  assert.deepEqual(compileJsonSchema(schema, { lenient: true }).relaxations.map((r) => [r.pointer, r.keyword]), [['#/properties/tags', 'uniqueItems']]);
  const c = checks(schema);
  assert.deepEqual(c.grammar.postChecks.map((p) => [p.pointer, p.keyword]), [['#/properties/tags', 'uniqueItems']]);
  assert.equal(c.check('{"tags": ["a", "b"]}').accepted, true);
  const dup = c.check('{"tags": ["a", "a"]}');
  assert.equal(dup.accepted, false);
  assert.deepEqual(dup.postCheckFailed, ['uniqueItems at #/properties/tags']);
  assert.equal(c.check('{"tags": [1]}').accepted, false, 'the grammar still refuses what it holds');
  assert.match(jsonSchemaToLark(schema, { postChecks: true }), /\/\/ post-check \(not in this grammar\): uniqueItems at #\/properties\/tags/);
});

test('oneOf with overlapping branches: exact where complements are decidable, else exactly one by post-check', () => {
  // Strings: the complements are regexes, so the grammar holds exactly one.
  const strings = compile(compileJsonSchema({ oneOf: [{ type: 'string', maxLength: 5 }, { type: 'string', pattern: '^a' }] }), tok);
  assert.deepEqual(['"bcd"', '"abcdefg"', '"abc"', '"bcdefgh"'].map((t) => strings.matches(t)), [true, true, false, false]);
  // Objects with additionalProperties: false have no complement here.
  const schema = { type: 'object', oneOf: [{ required: ['a'] }, { properties: { a: { type: 'integer' } }, additionalProperties: false }] };
  assert.throws(() => compileJsonSchema(schema), (e: unknown) => e instanceof JsonSchemaError && e.keyword === 'oneOf');
  const c = checks(schema);
  assert.deepEqual(c.grammar.postChecks.map((p) => p.keyword), ['oneOf']);
  assert.equal(c.check('{"a": "x"}').accepted, true, 'only the first');
  assert.equal(c.check('{}').accepted, true, 'only the second');
  assert.equal(c.check('{"a": 1}').accepted, false, 'both');
  assert.equal(c.check('{"b": 1}').accepted, false, 'neither');
});

test('not and if without a decidable complement: post-checks; decidable ones stay in the grammar', () => {
  const notObj = { type: 'object', not: { properties: { a: { type: 'integer' } }, additionalProperties: false } };
  const c = checks(notObj);
  assert.deepEqual(c.grammar.postChecks.map((p) => p.keyword), ['not']);
  assert.equal(c.check('{"a": 1}').accepted, false);
  assert.equal(c.check('{"a": "x"}').accepted, true);
  assert.equal(c.check('{"b": 1}').accepted, true);
  const cond = { type: 'object', if: { properties: { kind: { const: 'a' } }, required: ['kind'], additionalProperties: false }, then: { required: ['x'] }, else: { required: ['y'] } };
  const d = checks(cond);
  assert.deepEqual(d.grammar.postChecks.map((p) => p.keyword), ['if']);
  assert.equal(d.check('{"kind": "a", "y": 1}').accepted, true, 'not the if (x is extra), so else: y');
  assert.equal(d.check('{"kind": "a"}').accepted, false, 'the if holds: then needs x, which additionalProperties: false forbids');
  // Decidable: not of a const, if on a boolean const.
  const exact = { type: 'object', properties: { on: { type: 'boolean' } }, if: { properties: { on: { const: true } }, required: ['on'] }, then: { required: ['port'] }, else: { not: { required: ['port'] } } };
  const g = compileJsonSchema(exact);
  assert.deepEqual(g.postChecks, []);
  const cg = compile(g, tok);
  assert.equal(cg.matches('{"on": true, "port": 1}'), true);
  assert.equal(cg.matches('{"on": true}'), false);
  assert.equal(cg.matches('{"on": false}'), true);
  assert.equal(cg.matches('{"on": false, "port": 1}'), false);
});

test('format "regex" and patterns with lookarounds the grammar cannot hold: post-checks', () => {
  const c = checks({ type: 'object', properties: { r: { type: 'string', format: 'regex' }, s: { type: 'string', pattern: 'a(?=b)' } } });
  assert.deepEqual(c.grammar.postChecks.map((p) => [p.pointer, p.keyword]), [['#/properties/r', 'format'], ['#/properties/s', 'pattern']]);
  assert.equal(c.check('{"r": "^[a-z]+$"}').accepted, true);
  assert.equal(c.check('{"r": "(unclosed"}').accepted, false);
  assert.equal(c.check('{"s": "xab"}').accepted, true);
  assert.equal(c.check('{"s": "xac"}').accepted, false);
  assert.throws(() => compileJsonSchema({ type: 'string', format: 'regex' }), /format "regex" is not supported/);
});

test('a post-check sees the whole document: the branch an anyOf took decides', () => {
  const schema = { anyOf: [{ type: 'array', items: { type: 'string' }, uniqueItems: true }, { type: 'array', items: { type: 'integer' } }] };
  const c = checks(schema);
  assert.equal(c.check('["a", "a"]').accepted, false);
  assert.equal(c.check('[1, 1]').accepted, true, 'the second branch does not ask for unique items');
});

test('the `not` forms MaskBench meets: strict errors without post-checks, exact with them', () => {
  const cases: Array<{ not: unknown; message: RegExp; accepted: string[]; refused: string[] }> = [
    { not: { type: 'integer' }, message: /not of integer \(non-integer numbers only\) is not supported/, accepted: ['1.5', '"x"', '{}'], refused: ['1', '-7', '1.0'] },
    { not: { type: 'integer', minimum: 0, maximum: 9 }, message: /not of integer ranges or multipleOf is not supported/, accepted: ['10', '3.5', '-1', 'null'], refused: ['0', '9', '4'] },
    { not: { type: 'number', multipleOf: 3 }, message: /not of integer ranges or multipleOf is not supported/, accepted: ['4', '1.5', '[]'], refused: ['3', '-6', '0'] },
    { not: { enum: [{ a: 1 }, [1, 2]] }, message: /not of array or object values is not supported/, accepted: ['{"a": 2}', '[2, 1]', '{"a": 1, "b": 1}', '1'], refused: ['{"a": 1}', '[1, 2]', '{"a": 1.0}'] },
    { not: { type: 'array', items: { type: 'string' } }, message: /not of a constrained array is not supported/, accepted: ['[1]', '["a", 2]', '3'], refused: ['[]', '["a", "b"]'] },
    { not: { type: 'object', properties: { a: {} }, required: ['a'], additionalProperties: false }, message: /not of a constrained object is not supported/, accepted: ['{}', '{"b": 1}', '{"a": 1, "b": 1}', '"s"'], refused: ['{"a": 1}', '{"a": null}'] },
  ];
  for (const c of cases) {
    const schema = { not: c.not };
    assert.throws(() => compileJsonSchema(schema), (e: unknown) => e instanceof JsonSchemaError && e.keyword === 'not' && c.message.test(e.message), JSON.stringify(c.not));
    const k = checks(schema);
    assert.deepEqual(k.grammar.postChecks.map((p) => [p.pointer, p.keyword]), [['#', 'not']], JSON.stringify(c.not));
    for (const t of c.accepted) assert.equal(k.check(t).accepted, true, `${JSON.stringify(c.not)}: ${t}`);
    for (const t of c.refused) {
      const r = k.check(t);
      assert.equal(r.accepted, false, `${JSON.stringify(c.not)}: ${t}`);
      assert.deepEqual(r.postCheckFailed, ['not at #']);
    }
  }
});

test('uniqueItems over objects: JSON equality decides, whatever the key order or number spelling', () => {
  const c = checks({ type: 'array', items: { type: 'object' }, uniqueItems: true });
  assert.equal(c.check('[{"a": 1, "b": 2}, {"a": 1}]').accepted, true);
  assert.equal(c.check('[{"a": 1, "b": 2}, {"b": 2, "a": 1}]').accepted, false);
  assert.equal(c.check('[{"a": 1}, {"a": 1.0}]').accepted, false);
  assert.equal(c.check('[{"a": [1, 2]}, {"a": [2, 1]}]').accepted, true);
});

test('the post-check decides on doubles only where they hold the numbers exactly; beyond, it refuses', () => {
  // 1e400 is an integer (both branches: invalid), but JSON.parse makes it Infinity, which is not.
  const c = checks({ oneOf: [{ type: 'integer' }, { type: 'number' }] });
  assert.deepEqual(c.grammar.postChecks.map((p) => p.keyword), ['oneOf']);
  assert.equal(c.check('1.5').accepted, true);
  assert.equal(c.check('1').accepted, false);
  for (const t of ['1e400', '-1e400', '9007199254740993.5', '1e-400']) {
    const r = c.check(t);
    assert.equal(r.accepted, false, t);
    assert.match(r.message!, new RegExp(`none holds the number ${t.replace(/[.+]/g, '\\$&')} exactly`));
  }
  const n = checks({ type: 'array', items: { not: { type: 'integer' } } });
  assert.equal(n.check('[1.5, 0.1, 1e-7, "1e400"]').accepted, true, 'digits in strings are not numbers');
  assert.equal(n.check('[1.5, 1e400]').accepted, false);
  // Without post-checks the schema stays refused, with its reason.
  assert.throws(() => compileJsonSchema({ oneOf: [{ type: 'integer' }, { type: 'number' }] }), /oneOf branches are not provably disjoint/);
});

test('multipleOf in a post-check is decided on exact decimals', () => {
  const c = checks({ not: { multipleOf: 1e-8 } });
  assert.equal(c.check('1e-7').accepted, false, '1e-7 is a multiple of 1e-8 (floating division says 9.999999999999998)');
  assert.equal(c.check('1.5e-8').accepted, true);
  const d = checks({ not: { type: 'integer', multipleOf: 3 } });
  assert.equal(d.check('1e21').accepted, true, '10^21 is not a multiple of 3 (1e21 / 3 is an integer-valued double)');
  assert.equal(d.check('3e21').accepted, false);
  assert.equal(d.check('0.3').accepted, true);
});

test('multipleOf no regex holds: refused without post-checks; with them the grammar keeps the range and the post-check the multiple', () => {
  const seven = { type: 'object', properties: { n: { type: 'integer', minimum: 0, multipleOf: 7 } } };
  assert.throws(() => compileJsonSchema(seven), /'multipleOf' at #\/properties\/n: multipleOf 7 is only supported for divisors of a power of 10 or small bounded ranges/);
  const c = checks(seven);
  assert.deepEqual(c.grammar.postChecks.map((p) => [p.pointer, p.keyword]), [['#/properties/n', 'multipleOf']]);
  for (const [t, ok] of [['{"n": 0}', true], ['{"n": 14}', true], ['{"n": 14.0}', true], ['{"n": 700000000000007}', true], ['{"n": 15}', false], ['{"n": -7}', false], ['{"n": 1.5}', false]] as const) {
    assert.equal(c.check(t).accepted, ok, t);
  }
  assert.deepEqual(c.check('{"n": 15}').postCheckFailed, ['multipleOf at #/properties/n']);
  const tenth = checks({ type: 'number', multipleOf: 0.3, maximum: 10 });
  assert.deepEqual(tenth.grammar.postChecks.map((p) => p.keyword), ['multipleOf']);
  for (const [t, ok] of [['0.9', true], ['-3', true], ['9.9', true], ['1', false], ['0.31', false], ['10.2', false]] as const) {
    assert.equal(tenth.check(t).accepted, ok, t);
  }
  const onIntegers = checks({ type: 'integer', multipleOf: 2.5 });
  for (const [t, ok] of [['5', true], ['10', true], ['2', false], ['7.5', false]] as const) assert.equal(onIntegers.check(t).accepted, ok, t);
});
