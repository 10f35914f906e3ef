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

/** JSON text of a value with every object's members shuffled (arrays keep their order). */
function shuffled(v: unknown, r: () => number): string {
  if (Array.isArray(v)) return `[${v.map((x) => shuffled(x, r)).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}: ${shuffled(x, r)}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

test('enum/const objects in any order: every key order accepted, nested, other values refused (against ajv)', () => {
  const r = rng(29);
  const pick = (n: number) => Math.floor(r() * n);
  const value = (depth: number): unknown => {
    const t = pick(depth > 1 ? 3 : 5);
    if (t === 0) return pick(3);
    if (t === 1) return ['a', 'b', null, true][pick(4)];
    if (t === 2) return pick(2) === 0 ? 'x' : false;
    if (t === 3) return Array.from({ length: pick(3) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: 1 + pick(5) }, (_, i) => [`k${i}`, value(depth + 1)]));
  };
  const object = () => Object.fromEntries(Array.from({ length: 2 + pick(5) }, (_, i) => [`k${i}`, value(1)]));
  let cases = 0;
  let accepted = 0;
  for (let s = 0; s < 25; s++) {
    const values = Array.from({ length: 1 + pick(3) }, object);
    const schema = values.length === 1 && pick(2) === 0 ? { const: values[0] } : { enum: values };
    const reference = new Ajv2020({ strict: false }).compile(schema);
    for (const portable of [false, true]) {
      const g = compileJsonSchema(schema, { propertyOrder: 'any', portable });
      assert.deepEqual(g.relaxations, []);
      if (portable) assert.equal(g.options?.uniqueKeys, undefined, 'plain rules for servers');
      const cg = compile(g, tok);
      for (let t = 0; t < 12; t++) {
        const base = values[pick(values.length)]!;
        // A reordered copy of a listed value, or one with a member's value changed, dropped or added.
        const doc = structuredClone(base) as Record<string, unknown>;
        const keys = Object.keys(doc);
        const change = pick(4);
        if (change === 1) doc[keys[pick(keys.length)]!] = value(1);
        else if (change === 2) delete doc[keys[pick(keys.length)]!];
        else if (change === 3) doc[`k${keys.length}`] = 1;
        const text = shuffled(doc, r);
        const expected = reference(JSON.parse(text));
        cases++;
        if (expected) accepted++;
        assert.equal(cg.matches(text), expected, `${JSON.stringify(schema)} (portable ${portable})\n${text}`);
      }
    }
  }
  assert.ok(cases >= 500 && accepted > 150 && cases - accepted > 150, `${cases} cases, ${accepted} accepted`);
});

test('enum/const objects: a key repeated is refused; schema order keeps the written order; servers: up to 10 members, refused or relaxed beyond', () => {
  const schema = { const: { a: 1, b: { c: [1, { x: 1, y: 2 }], d: 'z' } } };
  const any = compile(compileJsonSchema(schema, { propertyOrder: 'any' }), tok);
  assert.equal(any.matches('{"b": {"d": "z", "c": [1, {"y": 2, "x": 1}]}, "a": 1}'), true);
  assert.equal(any.matches('{"b": {"d": "z", "c": [{"y": 2, "x": 1}, 1]}, "a": 1}'), false, 'arrays keep their order');
  assert.equal(any.matches('{"a": 1, "a": 1, "b": {"d": "z", "c": [1, {"y": 2, "x": 1}]}}'), false, 'a repeat in place of a member');
  assert.equal(any.matches('{"b": {"d": "z", "c": [1, {"y": 2, "x": 1}]}}'), false);
  const ordered = compile(compileJsonSchema(schema), tok);
  assert.equal(ordered.matches('{"a": 1, "b": {"c": [1, {"x": 1, "y": 2}], "d": "z"}}'), true);
  assert.equal(ordered.matches('{"b": {"c": [1, {"x": 1, "y": 2}], "d": "z"}, "a": 1}'), false, 'generation: the written order only');
  // 12 members: the engine's grammar has every order (n members of n, unique_keys), any size.
  const big = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`m${i}`, i]));
  const reversed = `{${Object.entries(big).reverse().map(([k, v]) => `"${k}": ${v}`).join(', ')}}`;
  assert.equal(compile(compileJsonSchema({ enum: [big] }, { propertyOrder: 'any' }), tok).matches(reversed), true);
  const huge = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`h${i}`, i % 3 === 0 ? 'v' : i]));
  const hg = compileJsonSchema({ const: huge }, { propertyOrder: 'any' });
  assert.ok(hg.rules.length < 40, `${hg.rules.length} rules: linear, not one state per count`);
  const hc = compile(hg, tok);
  const keys = Object.keys(huge).reverse();
  assert.equal(hc.matches(`{${keys.map((k) => `"${k}": ${JSON.stringify(huge[k])}`).join(', ')}}`), true);
  assert.equal(hc.matches(`{${keys.map((k, i) => `"${i === 0 ? 'h0' : k}": ${JSON.stringify(huge[i === 0 ? 'h0' : k])}`).join(', ')}}`), false, 'h0 twice, h59 missing');
  // Printed for servers (plain rules, 2^n states): refused in strict mode, the written order with a relaxation in lenient mode.
  assert.throws(() => jsonSchemaToLark({ properties: { p: { enum: [big] } } }, { propertyOrder: 'any' }), (e: unknown) => e instanceof JsonSchemaError && e.keyword === 'enum' && e.pointer === '/properties/p' && /more than 10 members/.test(e.message));
  const relaxed = compileJsonSchema({ const: big }, { propertyOrder: 'any', portable: true, lenient: true });
  assert.deepEqual(relaxed.relaxations.map((x) => [x.pointer, x.keyword]), [['#', 'const']]);
  const rc = compile(relaxed, tok);
  assert.equal(rc.matches(JSON.stringify(big)), true);
  assert.equal(rc.matches(reversed), false);
  const small = parseLark(jsonSchemaToLark({ enum: [{ a: 1, b: 2, c: 3 }] }, { propertyOrder: 'any' }));
  assert.equal(compile(small, tok).matches('{"c": 3, "a": 1, "b": 2}'), true);
});

test('repeats: declared keys refused, undeclared keys not tracked (each occurrence checked; counts as written), as documented', () => {
  const schema = { type: 'object', properties: { a: { type: 'integer' } }, additionalProperties: { type: 'integer' }, minProperties: 2 };
  for (const propertyOrder of ['any', 'schema'] as const) {
    const cg = compile(compileJsonSchema(schema, { propertyOrder }), tok);
    assert.equal(cg.matches('{"a": 1, "a": 2}'), false, `${propertyOrder}: a declared key twice`);
    assert.equal(cg.matches('{"x": 1, "x": "s"}'), false, `${propertyOrder}: every occurrence of an undeclared key is checked`);
    // JSON.parse (and ajv after it) sees one property here; the grammar counts two members.
    assert.equal(cg.matches('{"x": 1, "x": 2}'), true, `${propertyOrder}: an undeclared key twice is not tracked`);
  }
});
