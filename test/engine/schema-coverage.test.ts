/**
 * Keywords the grammar now holds exactly (issue 14): `not` of booleans and numbers (so `if` on a
 * boolean const), oneOf branches proved disjoint by their intersection (a discriminator nested in
 * a `$ref`), unevaluatedProperties beside allOf/$ref/oneOf, lookaheads at the start of patterns,
 * and every JSON spelling of non-ASCII characters and `/` in constrained strings. Each is checked
 * on values against the intended meaning (and ajv where one exists).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2020Mod from 'ajv/dist/2020.js';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { compileJsonSchema } from '../../src/engine/schema/compile.ts';
import { rng } from '../helpers/rng.ts';

const tok = byteTokenizer();
/** ajv 2020-12 (the reference): its CommonJS default export, as tsx and tsc each see it. */
const Ajv2020 = ((Ajv2020Mod as unknown as { default?: unknown }).default ?? Ajv2020Mod) as new (o: object) => { compile(s: object): (v: unknown) => boolean };
const exact = (schema: unknown, texts: string[], opts = {}): void => {
  const g = compileJsonSchema(schema, { propertyOrder: 'any', ...opts });
  assert.deepEqual([g.relaxations, g.postChecks], [[], []], 'compiled exactly');
  const cg = compile(g, tok);
  const ref = new Ajv2020({ strict: false }).compile(schema as object);
  for (const t of texts) assert.equal(cg.matches(t), ref(JSON.parse(t)), `${JSON.stringify(schema)}: ${t}`);
};

test('not of a boolean, of numbers; if on a boolean const', () => {
  exact({ not: { const: true } }, ['true', 'false', 'null', '1', '"true"', '{}']);
  exact({ not: { enum: [1, 2.5, null] } }, ['1', '1.0', '2.5', '2.50', '3', '-1', 'null', '"1"', 'true']);
  exact({ type: 'object', if: { properties: { debug: { const: true } }, required: ['debug'] }, then: { required: ['level'] } }, ['{"debug": true}', '{"debug": true, "level": 1}', '{"debug": false}', '{}']);
  // An excluded number is refused in every spelling: exponents are then refused too (bounded numbers never take one).
  const cg = compile(compileJsonSchema({ type: 'number', not: { const: 5 } }), tok);
  assert.deepEqual(['5', '5.0', '5e0', '6', '6e0'].map((t) => cg.matches(t)), [false, false, false, true, false]);
});

test('oneOf: branches proved disjoint through their intersection (a discriminator behind $ref)', () => {
  const schema = {
    $defs: {
      line: { allOf: [{ $ref: '#/$defs/item' }], properties: { type: { const: 'TextLine' }, max: { type: 'integer' } }, required: ['type'] },
      area: { allOf: [{ $ref: '#/$defs/item' }], properties: { type: { const: 'TextArea' }, rows: { type: 'integer' } }, required: ['type'] },
      item: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    },
    oneOf: [{ $ref: '#/$defs/line' }, { $ref: '#/$defs/area' }],
  };
  exact(schema, ['{"type": "TextLine", "name": "a", "max": 3}', '{"name": "b", "type": "TextArea"}', '{"type": "Other", "name": "c"}', '{"name": "d"}']);
});

test('unevaluatedProperties beside allOf, $ref and oneOf branches that declare nothing', () => {
  const base = { $defs: { item: { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string' } }, required: ['name'] } } };
  exact({ ...base, allOf: [{ $ref: '#/$defs/item' }], properties: { filter: { type: 'string' } }, unevaluatedProperties: false }, ['{"name": "a"}', '{"name": "a", "filter": "f"}', '{"name": "a", "extra": 1}', '{"name": "a", "type": "t"}']);
  exact({ type: 'object', properties: { include: { type: 'string' }, name: { type: 'string' } }, oneOf: [{ required: ['include'] }, { required: ['name'] }], unevaluatedProperties: false }, ['{"include": "x"}', '{"name": "y"}', '{"include": "x", "name": "y"}', '{"include": "x", "other": 1}']);
  exact({ ...base, $ref: '#/$defs/item', unevaluatedProperties: { type: 'integer' } }, ['{"name": "a", "n": 1}', '{"name": "a", "n": "x"}']);
  // A key a `not` or a conditional constrains without evaluating it is still unevaluated.
  exact({ properties: { foo: { type: 'string' } }, not: { not: { properties: { bar: { const: 'bar' } }, required: ['bar'] } }, unevaluatedProperties: false }, ['{"foo": "f", "bar": "bar"}', '{"foo": "f"}']);
  // Branches that declare properties of their own: refused, not guessed.
  assert.throws(() => compileJsonSchema({ anyOf: [{ properties: { a: {} } }, { properties: { b: {} } }], unevaluatedProperties: false }), /unevaluatedProperties next to anyOf\/oneOf\/if\/dependentSchemas branches that declare properties/);
});

test('patterns and patternProperties with lookaheads at the start: exact', () => {
  exact({ type: 'string', pattern: '^(?!@@)[@a-zA-Z0-9_-]+$' }, ['"@@x"', '"@x"', '"ab"', '""']);
  exact({ type: 'string', pattern: '^(?!variables$).+$' }, ['"variables"', '"variables2"', '"x"']);
  exact({ type: 'string', pattern: '^(?=a)(?!ab)[a-c]+' }, ['"abc"', '"acb"', '"bca"', '"a"']);
  exact({ type: 'object', patternProperties: { '^(?!x-)[a-z-]+$': { type: 'integer' } }, additionalProperties: false }, ['{"ab": 1}', '{"x-a": 1}', '{"ab": "s"}']);
  // A lookahead elsewhere, or a top-level alternative after one, is still refused.
  assert.throws(() => compileJsonSchema({ type: 'string', pattern: 'a(?=b)' }), /lookahead/);
  assert.throws(() => compileJsonSchema({ type: 'string', pattern: '^(?!a)b|c' }), /lookahead/);
});

test('constrained strings read every JSON spelling of non-ASCII characters and of "/"', () => {
  const r = rng(9);
  const schemas = [{ type: 'string', minLength: 1, maxLength: 6 }, { type: 'string', pattern: '^[^x]*$' }, { type: 'string', pattern: '^[a-zé☃😀/]*$' }];
  const alphabet = ['a', 'x', 'é', '☃', '😀', '/', '"', '\\', '\n', 'Z'];
  for (const schema of schemas) {
    const cg = compile(compileJsonSchema(schema), tok);
    const ref = new Ajv2020({ strict: false }).compile(schema);
    for (let t = 0; t < 300; t++) {
      const chars = Array.from({ length: Math.floor(r() * 7) }, () => alphabet[Math.floor(r() * alphabet.length)]!);
      // Each character spelled literally, by its JSON escape, or as \uXXXX (pairs beyond U+FFFF).
      const spelled = chars.map((ch) => {
        const lit = JSON.stringify(ch).slice(1, -1);
        const cp = ch.codePointAt(0)!;
        if (r() < 0.5 || (cp >= 0x20 && cp < 0x80 && ch !== '/')) return lit;
        if (ch === '/') return '\\/'; // `\u002f` (ASCII by \u) stays refused: a rare spelling
        return [...ch].length === 1 && cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : ch.split('').map((u) => `\\u${u.charCodeAt(0).toString(16).toUpperCase()}`).join('');
      });
      const text = `"${spelled.join('')}"`;
      assert.equal(cg.matches(text), ref(JSON.parse(text)), `${JSON.stringify(schema)}: ${text}`);
    }
  }
});

test('oneOf with overlapping branches, exactly one in the grammar: complements within each branch\'s types, differences of closed objects; agrees with ajv', () => {
  const r = rng(21);
  const pick = (n: number) => Math.floor(r() * n);
  const keys = ['a', 'b', 'c'];
  const objectBranch = (): object => {
    const properties: Record<string, unknown> = {};
    for (const k of keys) if (pick(2)) properties[k] = [{ const: 'x' }, { type: 'string' }, { type: 'integer' }, { enum: [1, 'y'] }][pick(4)];
    const b: Record<string, unknown> = { properties, required: Object.keys(properties).filter(() => pick(3) === 0) };
    if (pick(3) > 0) b['additionalProperties'] = false;
    if (pick(3) === 0) b['minProperties'] = pick(3);
    if (pick(3) === 0) b['maxProperties'] = 1 + pick(2);
    return b;
  };
  const pats = ['^a', 'b$', 'ab', '^[ab]+$'];
  const scalarBranch = (d: number): object => {
    const k = pick(d > 0 ? 4 : 3);
    if (k === 0) return { type: 'string', pattern: pats[pick(pats.length)] };
    if (k === 1) return { type: 'integer', minimum: pick(5), maximum: 3 + pick(5) };
    if (k === 2) return { enum: ['a', 'ab', 1, 2, null].filter((_, i) => i === 0 || pick(2)) };
    return { oneOf: [scalarBranch(d - 1), scalarBranch(d - 1)] };
  };
  const objects = Array.from({ length: 24 }, (_, i) => ({ v: i % 4 }));
  let compiled = 0;
  for (let s = 0; s < 160; s++) {
    const isObject = s % 2 === 0;
    const schema = isObject ? { type: 'object', oneOf: Array.from({ length: 2 + pick(3) }, objectBranch) } : { oneOf: Array.from({ length: 2 + pick(2) }, () => scalarBranch(1)) };
    let cg;
    try {
      const g = compileJsonSchema(schema, { propertyOrder: 'any' });
      assert.deepEqual(g.postChecks, []);
      cg = compile(g, tok);
    } catch {
      continue; // refused: fine (never silently relaxed)
    }
    compiled++;
    const ref = new Ajv2020({ strict: false }).compile(schema);
    const values: unknown[] = isObject
      ? objects.map(() => Object.fromEntries([...keys, 'z'].filter(() => pick(2)).map((k) => [k, ['x', 'y', 1, 2][pick(4)]])))
      : ['a', 'b', 'ab', 'ba', 'abc', '', 'aab', 0, 1, 2, 3, 5, 7, 9, null, true, 1.5];
    for (const v of values) assert.equal(cg.matches(JSON.stringify(v)), ref(v), `${JSON.stringify(schema)}: ${JSON.stringify(v)}`);
  }
  assert.ok(compiled > 60, `${compiled} schemas compiled`);
});

test('not of objects with member counts, required and properties', () => {
  exact({ type: 'object', not: { properties: { env: { type: 'object', minProperties: 1 } }, required: ['env'] } }, ['{}', '{"env": {}}', '{"env": {"a": 1}}', '{"env": 1}']);
  exact({ not: { type: 'object', minProperties: 1, maxProperties: 2 } }, ['{}', '{"a": 1}', '{"a": 1, "b": 2}', '{"a": 1, "b": 2, "c": 3}', '[]', '1']);
});
