/**
 * Key positions beside declared names (lexer/declared-keys.ts, matcher/mask.ts declaredKeyPlan):
 * in an object that allows undeclared keys, the first mask inside a key takes the free key's plan
 * from the shared store and moves the exits below each name's closing quote to the name's literal
 * (or drops them, with the tokens spelling it, where the name is not allowed) instead of walking
 * the trie. Checked: which states have that shape, and masks equal to those of the same grammar
 * with no shared store (every state walked) at every byte and at random splits of documents that
 * stop inside names, run past them, repeat them and spell undeclared keys.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, type CompiledGrammar } from '../../src/engine/matcher/compiled.ts';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import { ANY_CHARS, jsonStringRegex } from '../../src/engine/schema/json-string.ts';
import { literal, type Regex } from '../../src/engine/regex/ast.ts';
import { Lexer } from '../../src/engine/lexer/lexer.ts';
import { withLimits } from '../../src/engine/limits.ts';
import { byteSplit, llama3, randomSplit, rng, sameMasks } from './matcher-helpers.ts';

const tok = llama3();

/**
 * A schema whose object allows undeclared keys beside six names ("" and "_" among them: tokens go
 * on below `"` and `_"`; "café" and `a"b` spelled with more than one-byte characters). Its grammar writes declared keys in the schema's order, then the others:
 * a name skipped or given is excluded from the undeclared keys after it but has no literal.
 */
const DECLARED = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' }, _: { type: 'boolean' }, '': { type: 'null' }, café: {}, 'a"b': {} },
};
const DOCS = [
  '{"name": "Ada", "age": 36}',
  '{"age": 3, "agent": "x", "ag": 1, "names": [1]}',
  '{"_": true, "": null, "__": 2, "x_": "y"}',
  '{"name": "n", "": null, "nam": 1, "_x": {}}',
  '{"a\\nb": 1, "\\u00e9x": 2, "\u00e9t\u00e9": 3}',
  // Names whose bytes are not all one-byte characters (a UTF-8 letter, an escape): checked by derivatives.
  '{"name": "x", "caf\u00e9": 1, "a\\"b": [2], "caf": 3, "a\\"": 4, "caf\u00e9s": 5}',
];

function derivedEqualsWalked(schema: unknown, docs: readonly string[]): CompiledGrammar {
  const g = compileJsonSchema(schema);
  const derived = compile(g, tok);
  const walked = compile(g, tok, { sharedPlanBytes: 0 });
  const rand = rng(7);
  for (const doc of docs) {
    sameMasks(derived, walked, byteSplit(tok, doc), `bytes of ${doc}`);
    for (let k = 0; k < 4; k++) sameMasks(derived, walked, randomSplit(tok, doc, rand), `split ${k} of ${doc}`);
    sameMasks(derived, walked, tok.encode(doc), doc);
  }
  assert.equal(walked.stats().declaredKeyPlans, 0);
  return derived;
}

/** The declared-keys shape of the state after `prefix` (read byte by byte), or null. */
function shapeAfter(schema: unknown, prefix: string): { names: string[]; literals: number } | null {
  const cg = compile(compileJsonSchema(schema), tok, { sharedPlanBytes: 0 });
  const m = cg.matcher();
  for (const id of byteSplit(tok, prefix)) assert.ok(m.consume(id), prefix);
  // The matcher's lexer state, read through the compiled grammar's internals.
  const inner = m as unknown as { cur: { lexState: number } };
  const core = (cg as unknown as { core: { lexer: { declaredKeys(s: number): { names: { bytes: number[]; literals: number[] }[] } | null } } }).core;
  const dk = core.lexer.declaredKeys(inner.cur.lexState);
  if (dk === null) return null;
  const dec = new TextDecoder();
  return { names: dk.names.map((n) => dec.decode(Uint8Array.from(n.bytes))).sort(), literals: dk.names.filter((n) => n.literals.length > 0).length };
}

test('declared keys: the shape is found after the opening quote and inside a name, not without undeclared keys or with key constraints', () => {
  // Every spelling of a name is excluded from the undeclared keys; only the plain one is its literal.
  assert.deepEqual(shapeAfter(DECLARED, '{"'), { names: ['"', 'a\\"b"', 'age"', 'caf\\u00E9"', 'caf\\u00e9"', 'café"', '_"', 'name"'].sort(), literals: 6 });
  assert.deepEqual(shapeAfter(DECLARED, '{"na'), { names: ['me"'], literals: 1 });
  assert.deepEqual(shapeAfter(DECLARED, '{"name'), { names: ['"'], literals: 1 });
  // Past the names nothing is excluded: the key is free (no intersection left), not this shape.
  assert.equal(shapeAfter(DECLARED, '{"nx'), null);
  assert.equal(shapeAfter({ ...DECLARED, additionalProperties: false }, '{"'), null);
  assert.equal(shapeAfter({ ...DECLARED, propertyNames: { maxLength: 8 } }, '{"'), null);
  assert.equal(shapeAfter({ ...DECLARED, patternProperties: { '^x': { type: 'string' } } }, '{"'), null);
});

test('declared keys: at a lexeme start the shape carries the opening quote, and another lexeme beside it rules it out', () => {
  const names = ['id', 'idx', 'a'];
  const key = jsonStringRegex({ kind: 'and', items: [ANY_CHARS, { kind: 'not', item: { kind: 'alt', items: names.map(literal) } }] });
  const lx = new Lexer([key, ...names.slice(0, 2).map((n) => literal(JSON.stringify(n))), literal('}')], withLimits({}));
  const dec = new TextDecoder();
  // Keys beside the literals of "id" and "idx"; "a" is excluded but has no literal here.
  const dk = lx.declaredKeys(lx.startState([0, 1, 2]));
  assert.ok(dk !== null);
  assert.deepEqual(dk.names.map((n) => [dec.decode(Uint8Array.from(n.bytes)), n.literals.length]).sort(), [['"a"', 0], ['"id"', 1], ['"idx"', 1]]);
  assert.equal(dk.key, 0);
  // The closing brace starts elsewhere, but its tokens are not the free key's: no shape.
  assert.equal(lx.declaredKeys(lx.startState([0, 1, 2, 3])), null);
  // A name the free key cannot spell ("a1" beside keys of letters only) would be a path only this
  // state has: no shape. With letters only it has one.
  const letters = (excluded: string[]): Lexer => {
    const content: Regex = { kind: 'and', items: [{ kind: 'repeat', item: { kind: 'chars', ranges: [[0x61, 0x7a]] }, min: 0, max: Infinity }, { kind: 'not', item: { kind: 'alt', items: excluded.map(literal) } }] };
    const k: Regex = { kind: 'concat', items: [literal('"'), content, literal('"')] };
    return new Lexer([k, ...excluded.map((n) => literal(JSON.stringify(n)))], withLimits({}));
  };
  const bad = letters(['ab', 'a1']);
  assert.equal(bad.declaredKeys(bad.startState([0, 1, 2])), null);
  const good = letters(['ab', 'ac']);
  assert.ok(good.declaredKeys(good.startState([0, 1, 2])) !== null);
});

test('declared keys: a name already given is still excluded from undeclared keys but has no literal', () => {
  const shape = shapeAfter(DECLARED, '{"age": 1, "');
  assert.ok(shape !== null);
  assert.ok(shape.names.includes('age"'));
  assert.ok(shape.literals < shape.names.length, `${JSON.stringify(shape)}`);
});

test('declared keys: masks from the free key plan equal masks walked without a shared store', () => {
  // The first derivation in this process walks the free key itself (nothing walked it before);
  // the others take its plan from the shared store.
  const derived = derivedEqualsWalked(DECLARED, DOCS);
  assert.ok(derived.stats().declaredKeyPlans >= 5, `derived plans: ${derived.stats().declaredKeyPlans}`);
  // Nested objects with their own names, and an array of objects (each key position met again).
  const nested = {
    type: 'object',
    properties: { user: { type: 'object', properties: { id: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } } }, items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] } } },
    required: ['user'],
  };
  const n = derivedEqualsWalked(nested, ['{"user": {"id": 1, "tags": ["a"], "idx": 2}, "items": [{"sku": "x", "skus": 1}, {"sku": "y"}], "u": 0}', '{"user": {}, "users": {"id": "x"}}']);
  assert.ok(n.stats().declaredKeyPlans > 0);
});
