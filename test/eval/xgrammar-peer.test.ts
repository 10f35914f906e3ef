import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTokenizer } from '../../src/engine/tokenizer/load.ts';
import { createXGrammarPeer, type XGrammarPeer } from '../../src/eval/peer/xgrammar.ts';
import { hasBit, newMask, popCount, setBits } from '../../src/engine/trie/token-mask.ts';
import { EngineError } from '../../src/engine/errors.ts';

const tok = loadTokenizer('llama3');
let peerPromise: Promise<XGrammarPeer> | undefined;
const peer = () => (peerPromise ??= createXGrammarPeer(tok));

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    age: { type: 'integer', minimum: 0 },
    tags: { type: 'array', items: { type: 'string' } },
    address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'string' } }, required: ['city'] },
  },
  required: ['name', 'age'],
};
// Serialized the way MaskBench does (Python json.dumps: ", " and ": " separators, non-ASCII kept).
const instance = '{"name": "Zoë \\"Z\\" Ångström", "age": 42, "tags": ["a", "b c", "日本"], "address": {"city": "Köln", "zip": "50667"}}';

test('xgrammar peer: every token of a valid JSON instance is allowed by the schema mask, and it ends accepting', async () => {
  const p = await peer();
  const g = await p.compileJsonSchema(schema);
  const m = await g.matcher();
  const bits = newMask(tok.vocabSize);
  const ids = tok.encode(instance);
  assert.equal(tok.decode(ids), instance);
  for (const id of ids) {
    bits.fill(0);
    m.fillNextTokenBitmask(bits);
    assert.ok(hasBit(bits, id), `token ${id} ${JSON.stringify(tok.decode([id]))} is allowed`);
    assert.ok(popCount(bits) < tok.vocabSize, 'the mask constrains something');
    assert.equal(m.acceptToken(id), true);
  }
  // At the end, only EOS tokens (and nothing else) may follow the closed object.
  bits.fill(0);
  m.fillNextTokenBitmask(bits);
  const allowed = setBits(bits);
  for (const eos of tok.eosTokens) assert.ok(allowed.includes(eos), `EOS ${eos} allowed at the end`);
  assert.ok(allowed.every((id) => tok.eosTokens.includes(id) || /^\s+$/.test(tok.decode([id]))), 'only EOS or whitespace after the document');
  assert.equal(m.acceptToken(tok.eosTokens[0]!), true);
  assert.equal(m.isTerminated(), true);
  m.dispose();
  g.dispose();
});

test('xgrammar peer: the mask rejects tokens that break the schema and acceptToken agrees with it', async () => {
  const p = await peer();
  const g = await p.compileJsonSchema(schema);
  const m = await g.matcher();
  for (const id of tok.encode('{"name": "x", "age": ')) assert.equal(m.acceptToken(id), true);
  const bits = newMask(tok.vocabSize);
  m.fillNextTokenBitmask(bits);
  const quote = tok.encode('"')[0]!;
  const digit = tok.encode('7')[0]!;
  const minus = tok.encode('-')[0]!;
  assert.equal(hasBit(bits, quote), false, 'a string is not an integer');
  assert.equal(hasBit(bits, minus), false, 'minimum 0 forbids a sign');
  assert.equal(hasBit(bits, digit), true);
  for (const eos of tok.eosTokens) assert.equal(hasBit(bits, eos), false, 'EOS not allowed mid-document');
  assert.equal(m.acceptToken(quote), false);
  m.reset();
  assert.equal(m.acceptToken(tok.encode('{')[0]!), true);
  m.dispose();
  g.dispose();
});

test('xgrammar peer: EBNF grammars compile in its own syntax and malformed ones give a clear error', async () => {
  const p = await peer();
  const g = await p.compileEbnf('root ::= "yes" | "no"');
  const m = await g.matcher();
  const bits = newMask(tok.vocabSize);
  m.fillNextTokenBitmask(bits);
  const allowed = setBits(bits).map((id) => tok.decode([id]));
  assert.ok(allowed.includes('yes') && allowed.includes('no'));
  assert.ok(allowed.every((s) => 'yes'.startsWith(s) || 'no'.startsWith(s)), `only prefixes: ${allowed.join('|')}`);
  m.dispose();
  g.dispose();
  await assert.rejects(() => p.compileEbnf('root ::= ( "a"'), (e: unknown) => e instanceof EngineError && e.code === 'GRAMMAR' && /Expect/.test(e.message));
});
