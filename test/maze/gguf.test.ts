/**
 * The GGUF writer and reader (src/maze/gguf.ts), the test model file (src/maze/test-model.ts) and
 * the engine tokenizer read from a GGUF vocabulary (src/maze/gguf-tokenizer.ts). No model runtime
 * here: test/maze/local-model.test.ts loads the model.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnankeError } from '../../src/core/index.ts';
import { loadTokenizer } from '../../src/engine/index.ts';
import { encodeGgufHeader, readGgufHeader, writeGguf, metaArray, metaNumber, metaString, GGUF_MAGIC, type GgufValue } from '../../src/maze/gguf.ts';
import { ggufTokenizer, ggufVocab, vocabUnsupported } from '../../src/maze/gguf-tokenizer.ts';
import { cachedTestModelFile, createTestModel, testModelPath, TEST_MODEL_KEY, TEST_MODEL_VERSION } from '../../src/maze/test-model.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ananke-gguf-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function rejects(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AnankeError, `not an AnankeError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

const SMALL_META = new Map<string, GgufValue>([
  ['general.architecture', { type: 'string', value: 'llama' }],
  ['u8', { type: 'uint8', value: 200 }],
  ['i8', { type: 'int8', value: -100 }],
  ['u16', { type: 'uint16', value: 60000 }],
  ['i16', { type: 'int16', value: -30000 }],
  ['u32', { type: 'uint32', value: 4000000000 }],
  ['i32', { type: 'int32', value: -2000000000 }],
  ['f32', { type: 'float32', value: 0.5 }],
  ['f64', { type: 'float64', value: Math.PI }],
  ['u64', { type: 'uint64', value: 2n ** 60n }],
  ['i64', { type: 'int64', value: -5 }],
  ['b', { type: 'bool', value: true }],
  ['s', { type: 'string', value: 'naïve ✓' }],
  ['strings', { type: 'array', itemType: 'string', value: ['a', '', 'Ġb'] }],
  ['ints', { type: 'array', itemType: 'int32', value: new Int32Array([1, -2, 3]) }],
]);

test('a written GGUF reads back: every value type, tensor shapes, aligned offsets, exact data', () => {
  const file = path.join(tmp, 'small.gguf');
  const a = new Float32Array([1, 2, 3, 4, 5, 6]);
  const b = new Float32Array([7, 8, 9]);
  const bytes = writeGguf(file, SMALL_META, [{ name: 'a', dims: [3, 2], data: a }, { name: 'b', dims: [3], data: b }]);
  const buf = readFileSync(file);
  assert.equal(buf.length, bytes);
  assert.equal(buf.readUInt32LE(0), GGUF_MAGIC);
  assert.equal(buf.readUInt32LE(4), 3);
  const h = readGgufHeader(file);
  assert.equal(h.version, 3);
  assert.equal(h.alignment, 32);
  assert.equal(h.dataOffset % 32, 0);
  for (const [key, v] of SMALL_META) {
    const got = h.metadata.get(key)!;
    assert.equal(got.type, v.type, key);
    if (v.type === 'array') assert.deepEqual(Array.from(got.value as ArrayLike<unknown>), Array.from(v.value as ArrayLike<unknown>), key);
    else if (v.type === 'float32') assert.ok(Math.abs(Number(got.value) - Number(v.value)) < 1e-7);
    else assert.equal(got.value, v.value, key);
  }
  assert.equal(metaString(h, 's'), 'naïve ✓');
  assert.equal(metaNumber(h, 'u32'), 4000000000);
  assert.deepEqual(Array.from(metaArray(h, 'ints')!.value as Int32Array), [1, -2, 3]);
  assert.deepEqual(h.tensors.map((t) => [t.name, t.dims, t.type, t.offset]), [['a', [3, 2], 0, 0], ['b', [3], 0, 32]]);
  const read = (off: number, n: number) => Array.from(new Float32Array(buf.buffer.slice(buf.byteOffset + h.dataOffset + off, buf.byteOffset + h.dataOffset + off + n * 4)));
  assert.deepEqual(read(0, 6), Array.from(a));
  assert.deepEqual(read(32, 3), Array.from(b));
  assert.deepEqual(readdirSync(tmp).filter((f) => f.endsWith('.tmp')), []);
});

test('bad files are clear errors: missing NOT_FOUND; not GGUF, another version, truncated, absurd sizes PARSE', () => {
  rejects(() => readGgufHeader(path.join(tmp, 'none.gguf')), 'NOT_FOUND', /no such model file/);
  rejects(() => readGgufHeader(tmp), 'NOT_FOUND', /folder/);
  const text = path.join(tmp, 'text.gguf');
  writeFileSync(text, 'hello, this is not a model\n');
  rejects(() => readGgufHeader(text), 'PARSE', /does not start with "GGUF" \(it starts with "hell"\)/);
  const empty = path.join(tmp, 'empty.gguf');
  writeFileSync(empty, '');
  rejects(() => readGgufHeader(empty), 'PARSE', /0 bytes long/);

  const { header } = encodeGgufHeader(SMALL_META, [{ name: 'w', dims: [4, 4], data: new Float32Array(16) }]);
  const v1 = Buffer.from(header);
  v1.writeUInt32LE(1, 4);
  writeFileSync(path.join(tmp, 'v1.gguf'), v1);
  rejects(() => readGgufHeader(path.join(tmp, 'v1.gguf')), 'PARSE', /version 1 is not supported/);

  // Cut inside the metadata, and cut inside the tensor data.
  writeFileSync(path.join(tmp, 'cut-meta.gguf'), header.subarray(0, 60));
  rejects(() => readGgufHeader(path.join(tmp, 'cut-meta.gguf')), 'PARSE', /ends inside the header.*truncated/);
  writeFileSync(path.join(tmp, 'cut-data.gguf'), Buffer.concat([header, Buffer.alloc(20)]));
  rejects(() => readGgufHeader(path.join(tmp, 'cut-data.gguf')), 'PARSE', /tensor w \(F32, 4×4\) ends at byte \d+, past the end of the file.*truncated/);

  // A string length of 2^40 bytes is refused before anything is allocated.
  const huge = Buffer.from(header);
  huge.writeBigUInt64LE(2n ** 40n, 24); // the first key's length
  writeFileSync(path.join(tmp, 'huge.gguf'), huge);
  rejects(() => readGgufHeader(path.join(tmp, 'huge.gguf')), 'PARSE', /length of metadata key 0 is 1099511627776, more than/);
});

test('writing leaves nothing half written: a failed write removes its temporary file', () => {
  const dir = mkdtempSync(path.join(tmp, 'w-'));
  assert.throws(() => writeGguf(path.join(dir, 'bad.gguf'), SMALL_META, [{ name: 'x', dims: [5], data: new Float32Array(4) }]), /hold 5 values, data has 4/);
  rejects(() => writeGguf(path.join(dir, 'no/such/dir/m.gguf'), SMALL_META, []), 'IO', /cannot write/);
  // The target is a folder that is not empty: the rename fails after the temporary file was written.
  const target = path.join(dir, 'taken');
  mkdirSync(target);
  writeFileSync(path.join(target, 'inside'), 'x');
  rejects(() => writeGguf(target, SMALL_META, [{ name: 'x', dims: [2], data: new Float32Array(2) }]), 'IO', /cannot write/);
  assert.deepEqual(readdirSync(dir), ['taken']);
});

// ---------------------------------------------------------------------------------------------
// The test model file

const cacheDir = path.join(tmp, 'cache');
let model: { path: string; created?: { bytes: number; vocabSize: number; ms: number } } | undefined;
function testModel(): string {
  model ??= testModelPath({ cacheDir });
  return model.path;
}

test('the test model is created once in the cache folder (with a .gitignore), then reused', () => {
  const first = testModelPath({ cacheDir });
  model = first;
  assert.equal(first.path, cachedTestModelFile(cacheDir));
  assert.ok(first.created, 'created on first use');
  assert.equal(first.created.vocabSize, 151669);
  assert.ok(first.created.bytes > 10e6 && first.created.bytes < 25e6, `${first.created.bytes} bytes`);
  assert.equal(readFileSync(path.join(cacheDir, '.gitignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).join(), '*');
  const again = testModelPath({ cacheDir });
  assert.equal(again.path, first.path);
  assert.equal(again.created, undefined, 'reused, not written again');
  assert.deepEqual(readdirSync(path.dirname(first.path)), [path.basename(first.path)], 'no temporary file left');
});

test('the test model file: llama architecture, one block, the Qwen3 vocabulary with its special tokens, marked as a test model', () => {
  const h = readGgufHeader(testModel());
  assert.equal(metaString(h, 'general.architecture'), 'llama');
  assert.equal(metaNumber(h, 'llama.block_count'), 1);
  assert.equal(metaNumber(h, 'llama.embedding_length'), 16);
  assert.equal(metaNumber(h, TEST_MODEL_KEY), TEST_MODEL_VERSION);
  assert.equal(metaString(h, 'tokenizer.ggml.model'), 'gpt2');
  assert.equal(metaString(h, 'tokenizer.ggml.pre'), 'qwen2');
  const tokens = metaArray(h, 'tokenizer.ggml.tokens')!.value as string[];
  const types = metaArray(h, 'tokenizer.ggml.token_type')!.value as Int32Array;
  assert.equal(tokens.length, 151669);
  assert.equal(tokens[151645], '<|im_end|>');
  assert.equal(types[151645], 3, 'control');
  assert.equal(tokens[151667], '<think>');
  assert.equal(types[151667], 4, 'user-defined');
  assert.equal(tokens[9707], 'Hello');
  assert.equal(types[9707], 1, 'normal');
  assert.equal(metaNumber(h, 'tokenizer.ggml.eos_token_id'), 151645);
  assert.equal(metaArray(h, 'tokenizer.ggml.merges')!.value.length, 151387);
  const embd = h.tensors.find((t) => t.name === 'token_embd.weight')!;
  assert.deepEqual(embd.dims, [16, 151669]);
  assert.equal(vocabUnsupported(h, testModel()), undefined);
});

test('the same seed writes the same file; another seed other weights', () => {
  const digest = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
  const a = path.join(tmp, 'seed-a.gguf');
  createTestModel(a, { seed: 7, embeddingSize: 8 });
  const b = path.join(tmp, 'seed-b.gguf');
  createTestModel(b, { seed: 7, embeddingSize: 8 });
  assert.equal(digest(a), digest(b));
  const ha = readGgufHeader(a);
  const c = path.join(tmp, 'seed-c.gguf');
  createTestModel(c, { seed: 8, embeddingSize: 8 });
  assert.notEqual(digest(a), digest(c));
  assert.equal(readFileSync(a).length, readFileSync(c).length);
  assert.equal(ha.tensors.length, 11);
  for (const f of [a, b, c]) rmSync(f);
  rejects(() => createTestModel(path.join(tmp, 'x.gguf'), { embeddingSize: 6 }), 'USAGE', /multiple of 4/);
  rejects(() => createTestModel(path.join(tmp, 'no/such/x.gguf')), 'NOT_FOUND', /the folder .* does not exist/);
});

// ---------------------------------------------------------------------------------------------
// The engine tokenizer from a GGUF vocabulary

test('the tokenizer read from the GGUF has the Qwen3 ids and bytes, and encodes as the engine\'s Qwen3 tokenizer', () => {
  const h = readGgufHeader(testModel());
  const tok = ggufTokenizer('test', ggufVocab(h, testModel()));
  const qwen = loadTokenizer('qwen3');
  assert.equal(tok.vocabSize, qwen.vocabSize);
  let differ = 0;
  for (let id = 0; id < tok.vocabSize; id++) {
    if (Buffer.compare(Buffer.from(tok.tokenBytes(id)), Buffer.from(qwen.tokenBytes(id))) !== 0) differ++;
  }
  assert.equal(differ, 0, 'token bytes');
  // Specials: the same, except `</s>` (control, as llama.cpp reads it) and the <|fim_…|>-style
  // added tokens that tokenizer.json leaves non-special (control: they look like control tokens).
  const endTag = tok.specialId('</s>');
  assert.equal(endTag, 128247);
  assert.equal(Buffer.from(qwen.tokenBytes(128247)).toString(), '</s>');
  const specialDiff: string[] = [];
  for (let id = 0; id < tok.vocabSize; id++) if (tok.isSpecial[id] !== qwen.isSpecial[id]) specialDiff.push(Buffer.from(tok.tokenBytes(id)).toString());
  assert.deepEqual(specialDiff, ['</s>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>', '<|repo_name|>', '<|file_sep|>']);
  assert.ok(tok.eosTokens.includes(151645) && tok.eosTokens.includes(151643), `${tok.eosTokens}`);
  // Qwen3's tokenizer.json normalizes to NFC and llama.cpp does not; these texts are NFC already.
  for (const text of ['Hello world!', 'def f(x):\n    return x ** 2\n', 'const 日本 = "テキスト"; // 🙂\r\n\t', "It's 12345 o'clock", '<|im_start|>user\nhi<|im_end|>', '<think>\n</think>']) {
    assert.deepEqual(tok.encode(text), qwen.encode(text), JSON.stringify(text));
  }
});

test('vocabularies the engine cannot reproduce exactly are UNSUPPORTED, inconsistent ones PARSE', () => {
  const base = (extra: Array<[string, GgufValue]>): string => {
    const file = path.join(tmp, `v-${Math.random().toString(36).slice(2)}.gguf`);
    writeGguf(file, new Map<string, GgufValue>([
      ['general.architecture', { type: 'string', value: 'llama' }],
      ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', value: ['a', 'b', 'ab'] }],
      ['tokenizer.ggml.merges', { type: 'array', itemType: 'string', value: ['a b'] }],
      ...extra,
    ]), []);
    return file;
  };
  const spm = base([['tokenizer.ggml.model', { type: 'string', value: 'llama' }]]);
  rejects(() => ggufVocab(readGgufHeader(spm), spm), 'UNSUPPORTED', /vocabulary is of type 'llama'.*byte-level BPE/);
  const odd = base([['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }], ['tokenizer.ggml.pre', { type: 'string', value: 'deepseek-coder' }]]);
  const h = readGgufHeader(odd);
  assert.match(vocabUnsupported(h, odd)!, /pre-tokenizer 'deepseek-coder' is not one Ananke reproduces.*qwen2/);
  rejects(() => ggufTokenizer(odd, ggufVocab(h, odd)), 'UNSUPPORTED', /pre-tokenizer 'deepseek-coder'/);
  const badEos = base([['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }], ['tokenizer.ggml.eos_token_id', { type: 'uint32', value: 9 }]]);
  rejects(() => ggufVocab(readGgufHeader(badEos), badEos), 'PARSE', /eos_token_id is 9, outside the vocabulary of 3/);
  const noVocab = path.join(tmp, 'novocab.gguf');
  writeGguf(noVocab, new Map<string, GgufValue>([['general.architecture', { type: 'string', value: 'llama' }]]), []);
  rejects(() => ggufVocab(readGgufHeader(noVocab), noVocab), 'PARSE', /no vocabulary/);
});
