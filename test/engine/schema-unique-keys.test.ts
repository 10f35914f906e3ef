/**
 * The engine's `unique_keys` grammar option (src/engine/parser/unique-keys.ts), which any-order
 * JSON Schema objects rely on: in every JSON object each tracked key at most once, objects and
 * arrays told apart by their punctuation; the mask agrees with consume at every position, with
 * and without the caches; the option prints and parses back; it has no portable or GBNF form.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../src/engine/errors.ts';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { printLark } from '../../src/engine/grammar/print-lark.ts';
import { printGbnf } from '../../src/engine/grammar/print-gbnf.ts';
import type { Limits } from '../../src/engine/limits.ts';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { compileJsonSchema } from '../../src/engine/schema/compile.ts';
import { acceptsTokens, assertMaskAgrees, llama3, randomSplit, rng, tokenSample } from './matcher-helpers.ts';

const GRAMMAR = String.raw`
%llguidance {"unique_keys": {"open_object": ["LB"], "close_object": ["RB"], "open_array": ["LS"], "close_array": ["RS"], "comma": ["COMMA"], "keys": ["KA", "KB"]}}
start: val
obj: LB (member (COMMA member)*)? RB
member: KA ":" val | KB ":" val | KX ":" val
val: NUM | obj | LS (val (COMMA val)*)? RS | KA | KB
LB: "{"
RB: "}"
LS: "["
RS: "]"
COMMA: ","
KA: "\"a\""
KB: "\"b\""
KX: /"x[0-9]*"/
NUM: /[0-9]+/
`;

test('unique_keys: a tracked key at most once per object, at any depth; values and other objects unaffected', () => {
  const cg = compile(parseLark(GRAMMAR), byteTokenizer());
  const cases: Array<[string, boolean]> = [
    ['{"a":1,"b":2}', true],
    ['{"b":2,"a":1}', true],
    ['{"a":1,"a":2}', false],
    ['{"a":{"a":1},"b":[{"a":1,"b":"a"}]}', true],
    ['{"a":{"a":1},"a":1}', false],
    ['{"a":"a"}', true], // a value equal to a key is not a key
    ['[{"a":1},{"a":1}]', true], // each object its own set
    ['{"b":["a","a"],"a":"b"}', true], // commas inside an array are not member commas
    ['{"x1":1,"x1":2}', true], // keys that are not tracked may repeat
    ['{"a":[{"b":1}],"a":1}', false],
    ['{"a":[{"b":1}],"b":1}', true],
  ];
  for (const [text, ok] of cases) assert.equal(cg.matches(text), ok, text);
  const r = cg.check('{"a":1,"a":2}');
  assert.equal(r.offset, 8, 'refused at its first byte no other key shares (`"` may start "b")');
  assert.ok(!(r.expected ?? []).includes('KA'), 'a key already present is not expected');
});

test('unique_keys: printLark writes the option and parseLark reads it back; no portable or GBNF form', () => {
  const g = parseLark(GRAMMAR);
  const printed = printLark(g);
  assert.match(printed, /"unique_keys": \{"open_object": \["LB"\]/);
  const again = parseLark(printed);
  const cg = compile(again, byteTokenizer());
  assert.equal(cg.matches('{"a":1,"a":2}'), false);
  assert.equal(cg.matches('{"a":1,"b":2}'), true);
  assert.throws(() => printLark(g, { portable: true }), (e: unknown) => e instanceof EngineError && e.code === 'GRAMMAR' && /unique_keys has no portable form/.test(e.message));
  assert.throws(() => printGbnf(g), /uniqueKeys' has no GBNF form/);
  assert.throws(() => parseLark('%llguidance {"unique_keys": {"keys": ["NOPE"]}}\nstart: "x"'), /unique_keys option keys: NOPE must name a terminal/);
  assert.throws(() => parseLark('%llguidance {"unique_keys": {"objects": []}}\nstart: "x"'), /unknown unique_keys option 'objects'/);
});

test('unique_keys: a grammar without the option is as before (no key state, same masks)', () => {
  const plain = GRAMMAR.replace(/^%llguidance .*$/m, '');
  const cg = compile(parseLark(plain), byteTokenizer());
  assert.equal(cg.matches('{"a":1,"a":2}'), true);
  assert.equal(parseLark(plain).options?.uniqueKeys, undefined);
});

const tok = llama3();
const SAMPLE = tokenSample(tok, 600, 3);
const NO_CACHES: Partial<Limits> = { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 };

for (const [name, limits] of [['default caches', {}], ['caches at 0', NO_CACHES]] as const) {
  test(`unique_keys: the mask agrees with consume at every position of any-order documents (${name})`, () => {
    // Twelve declared properties (more than any plain any-order grammar holds), four required.
    const props: Record<string, unknown> = {};
    for (let i = 0; i < 12; i++) props[`key${i}`] = i % 3 === 0 ? { type: 'integer' } : { type: 'string' };
    const schema = { type: 'object', properties: { ...props, nested: { type: 'object', properties: { key1: { type: 'string' }, key2: { type: 'string' } }, required: ['key1'] } }, required: ['key0', 'key5', 'key7', 'nested'] };
    const cg = compile(compileJsonSchema(schema, { propertyOrder: 'any' }), tok, limits);
    const docs = [
      '{"key7": "x", "nested": {"key2": "a", "key1": "key1"}, "key5": "y", "key0": 3}',
      '{"nested": {"key1": "z"}, "key11": "q", "key0": 0, "key5": "", "key9": 9, "key7": "key7", "extra": [1, {"key0": 1}]}',
    ];
    const bits = new Uint32Array(cg.maskWords);
    const r = rng(5);
    for (const doc of docs) {
      assert.equal(cg.matches(doc), true, doc);
      for (const path of [tok.encode(doc), randomSplit(tok, doc, r)]) {
        const m = cg.matcher();
        for (let i = 0; i <= path.length; i++) {
          assertMaskAgrees(m, tok, bits, SAMPLE, 150, `${doc} after ${i} tokens`);
          if (i < path.length) assert.ok(m.consume(path[i]!), `token ${i} of a valid document`);
        }
        assert.ok(m.isAccepting());
      }
    }
    // A repeated key is refused token by token too.
    const dup = '{"key0": 1, "key5": "a", "key7": "b", "nested": {"key1": "c"}, "key5": "again"}';
    assert.equal(cg.matches(dup), false);
    assert.equal(acceptsTokens(cg, tok.encode(dup)), false);
  });
}
