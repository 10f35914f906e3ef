/**
 * `propertyOrder: 'any'` (src/engine/schema/any-order.ts): every order, any number of declared
 * properties, each at most once, required ones tracked exactly; checked against ajv on random
 * object schemas (required, additionalProperties, min/maxProperties, dependentRequired) and
 * random members in random order, repeats included. The plain construction for servers is exact
 * up to 10 declared properties and refuses more (a relaxation in lenient mode), never silently.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2020Mod from 'ajv/dist/2020.js';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { compileJsonSchema, jsonSchemaToLark } from '../../src/engine/schema/compile.ts';
import { parseLarkWithJson } from '../../src/engine/schema/lark-json.ts';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { JsonSchemaError } from '../../src/engine/schema/schema-error.ts';
import { rng } from '../helpers/rng.ts';

const tok = byteTokenizer();
/** ajv 2020-12 (the reference): its CommonJS default export, as tsx and tsc each see it. */
const Ajv2020 = ((Ajv2020Mod as unknown as { default?: unknown }).default ?? Ajv2020Mod) as new (o: object) => { compile(s: object): (v: unknown) => boolean };

test('any order agrees with ajv on random object schemas and members in random order (repeats refused)', () => {
  const r = rng(17);
  const pick = (n: number) => Math.floor(r() * n);
  let accepted = 0;
  let cases = 0;
  for (let s = 0; s < 70; s++) {
    const names = Array.from({ length: 1 + pick(14) }, (_, i) => `k${i}`);
    const properties: Record<string, unknown> = {};
    for (const k of names) properties[k] = pick(3) === 0 ? { type: 'integer', maximum: 5 } : pick(2) ? { type: 'string' } : { enum: [1, 'a'] };
    const schema: Record<string, unknown> = { type: 'object', properties, required: names.filter(() => pick(3) === 0) };
    const ap = pick(3);
    if (ap === 0) schema['additionalProperties'] = false;
    else if (ap === 1) schema['additionalProperties'] = { type: 'boolean' };
    if (pick(4) === 0) schema['minProperties'] = pick(5);
    if (pick(4) === 0) schema['maxProperties'] = pick(8);
    if (pick(4) === 0) schema['dependentRequired'] = { [names[pick(names.length)]!]: names.filter(() => pick(4) === 0).slice(0, 3) };
    const reference = new Ajv2020({ strict: false }).compile(schema);
    const compact = pick(2) === 0;
    const cg = compile(compileJsonSchema(schema, { propertyOrder: 'any', whitespace: compact ? 'compact' : 'flexible' }), tok);
    for (let t = 0; t < 40; t++) {
      const members: Array<[string, unknown]> = [];
      const keys = [...names, 'x', 'y'];
      for (let i = pick(9); i > 0; i--) members.push([keys[pick(keys.length)]!, pick(4) === 0 ? true : pick(3) === 0 ? 3 : pick(2) ? 'a' : 1]);
      const text = `{${members.map(([k, v]) => `${JSON.stringify(k)}${compact ? ':' : ': '}${JSON.stringify(v)}`).join(compact ? ',' : ', ')}}`;
      const declaredRepeat = members.some(([k], i) => names.includes(k) && members.findIndex(([x]) => x === k) !== i);
      const anyRepeat = new Set(members.map(([k]) => k)).size !== members.length;
      // Repeats of declared keys are refused; undeclared ones are not tracked (as in schema order).
      if (anyRepeat && !declaredRepeat) continue;
      const expected = !anyRepeat && reference(Object.fromEntries(members));
      cases++;
      if (expected) accepted++;
      assert.equal(cg.matches(text), expected, `${JSON.stringify(schema)}\n${text}`);
    }
  }
  assert.ok(cases > 1500 && accepted > 80, `${cases} cases, ${accepted} accepted`);
});

test('any order with 40 declared properties: every order, required tracked, grammar linear in size', () => {
  const names = Array.from({ length: 40 }, (_, i) => `p${i}`);
  const schema = { type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'integer' }])), required: names.slice(0, 12), additionalProperties: false };
  const g = compileJsonSchema(schema, { propertyOrder: 'any' });
  assert.ok(g.rules.length < 400, `${g.rules.length} rules`);
  assert.ok(g.options?.uniqueKeys !== undefined, 'the engine option is on');
  const cg = compile(g, tok);
  const r = rng(3);
  for (let t = 0; t < 30; t++) {
    const chosen = [...names.slice(0, 12), ...names.slice(12).filter(() => r() < 0.5)];
    for (let i = chosen.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [chosen[i], chosen[j]] = [chosen[j]!, chosen[i]!];
    }
    const doc = `{${chosen.map((k) => `"${k}": 1`).join(', ')}}`;
    assert.equal(cg.matches(doc), true, doc);
    const missing = chosen.filter((k) => k !== names[t % 12]);
    assert.equal(cg.matches(`{${missing.map((k) => `"${k}": 1`).join(', ')}}`), false, 'a required property missing');
    // A repeat in place of the missing required one: still refused (counting alone would accept it).
    const repeated = [...missing, names[(t + 1) % 12]!];
    assert.equal(cg.matches(`{${repeated.map((k) => `"${k}": 1`).join(', ')}}`), false, 'a required property repeated');
  }
});

test('schema order stays the default: declared properties in schema order', () => {
  const schema = { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } } };
  const cg = compile(compileJsonSchema(schema), tok);
  assert.equal(cg.matches('{"a": 1, "b": 2}'), true);
  assert.equal(cg.matches('{"b": 2, "a": 1}'), false);
  assert.equal(compileJsonSchema(schema).options?.uniqueKeys, undefined);
});

test('printing for servers: any order as plain rules up to 10 declared properties, refused (or relaxed) beyond', () => {
  const props = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { type: 'integer' }]));
  const small = { type: 'object', properties: props(4), required: ['p0', 'p3'] };
  const lark = jsonSchemaToLark(small, { propertyOrder: 'any' });
  assert.doesNotMatch(lark, /unique_keys/);
  const cg = compile(parseLark(lark), tok);
  assert.equal(cg.matches('{"p3": 1, "p1": 2, "p0": 3}'), true);
  assert.equal(cg.matches('{"p3": 1, "p3": 2, "p0": 3}'), false);
  const big = { type: 'object', properties: props(11) };
  assert.throws(() => jsonSchemaToLark(big, { propertyOrder: 'any' }), (e: unknown) => e instanceof JsonSchemaError && e.keyword === 'properties' && /more than 10 declared properties/.test(e.message));
  const relaxed = jsonSchemaToLark(big, { propertyOrder: 'any', lenient: true });
  assert.match(relaxed, /\/\/ relaxed: properties at #: any property order over more than 10/);
  // The engine's own grammar has no such bound.
  assert.equal(compile(compileJsonSchema(big, { propertyOrder: 'any' }), tok).matches('{"p10": 1, "p0": 2}'), true);
});

test('%json in a Lark grammar: any order as plain rules (the host grammar has braces of its own)', () => {
  const g = parseLarkWithJson('start: "call " obj\nobj: %json {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}, "required": ["a"]}', { json: { propertyOrder: 'any' } });
  assert.equal(g.options?.uniqueKeys, undefined);
  const cg = compile(g, tok);
  assert.equal(cg.matches('call {"b": 1, "a": 2}'), true);
  assert.equal(cg.matches('call {"a": 1, "a": 2}'), false);
});

test('dependentRequired in any order: tracked one by one, bounded', () => {
  const schema = { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' }, c: { type: 'integer' } }, dependentRequired: { a: ['b'] } };
  const cg = compile(compileJsonSchema(schema, { propertyOrder: 'any' }), tok);
  assert.equal(cg.matches('{"b": 1, "a": 2}'), true);
  assert.equal(cg.matches('{"c": 1, "a": 2}'), false);
  const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, [`q${i}`]]));
  const props = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [[`p${i}`, {}], [`q${i}`, {}]]).flat());
  assert.throws(() => compileJsonSchema({ type: 'object', properties: props, dependentRequired: many }, { propertyOrder: 'any' }), /more than 8 properties named by dependentRequired/);
  const relaxed = compileJsonSchema({ type: 'object', properties: props, dependentRequired: many }, { propertyOrder: 'any', lenient: true });
  assert.deepEqual(relaxed.relaxations.map((r) => [r.pointer, r.keyword]), [['#', 'dependentRequired']]);
});
