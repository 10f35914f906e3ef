/**
 * The local backend: a GGUF model running in this process through node-llama-cpp, with Ananke
 * deciding every step (docs/maze-local.md).
 *
 * Each step, `step(generated)` (Maze) says which tokens are allowed (a bit mask over the vocabulary),
 * whether end-of-sequence is, or which tokens are forced. Forced tokens are appended without
 * sampling (and fed to the model with the next step, so its context stays in sync). Otherwise the
 * mask becomes the token bias of llama.cpp's logit-bias sampler (token-bias.ts: the smaller side of
 * the mask, end tokens as `eosAllowed` says), handed to node-llama-cpp's native sampler as typed
 * arrays. The sampled token is checked against the mask; a runtime that returns a disallowed token
 * is an INTERNAL error, never accepted.
 *
 * Masks while the model evaluates: Maze defers the mask of a step that samples (model.ts,
 * DeferredDecision), and the loop starts the runtime's evaluation of the tokens before the step
 * first, then works the mask out on this thread while llama.cpp evaluates on its own; the runtime's
 * sampler asks for the bias when the logits are there (routeBias), and settles the decision then
 * if it is not yet. A step costs the larger of the two instead of their sum (docs/maze-local.md).
 *
 * The model's tokens are the engine's: `tokenizer` is built from the GGUF's own vocabulary
 * (gguf-tokenizer.ts) and checked against the runtime's tokenizer when the model loads.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AnankeError } from '../core/index.ts';
import { prepareTokenizer, type Tokenizer } from '../engine/index.ts';
import { metaNumber, metaString, readGgufHeader, type GgufHeader } from './gguf.ts';
import { checkPreTokenizer, ggufTokenizer, ggufVocab, TOKEN_ATTR, withEosTokens } from './gguf-tokenizer.ts';
import { decided, type StepAnswer, type StepDecision, type StepGenerateOptions, type StepGeneration, type StepModel, type StopReason } from './model.ts';
import { TEST_MODEL_KEY, testModelPath } from './test-model.ts';
import { POSITIVE_BIAS, TokenBiasBuilder } from './token-bias.ts';

export { POSITIVE_BIAS };

/** The runtime, at the version Ananke is tested with (an optional peer dependency). */
export const NODE_LLAMA_CPP = { pkg: 'node-llama-cpp', version: '3.21.1' };

/** Sampling when the caller gives none: llama.cpp's own defaults (temperature 0.8, top-k 40, top-p 0.95). */
export const DEFAULT_SAMPLING = { temperature: 0.8, topK: 40, topP: 0.95 } as const;

/**
 * Presence and frequency penalties count the last this many generated tokens (llama.cpp's penalty
 * window). Bounded so that the largest penalty, 2 × the window + 2, stays far below POSITIVE_BIAS.
 */
export const PENALTY_WINDOW = 1024;

/** The context window when none is given: this, or the model's training context if smaller. */
export const DEFAULT_CONTEXT_SIZE = 8192;

/**
 * Threads when none are given: the cores there are (llama.cpp's count of math cores, else the
 * parallelism Node.js reports), at most 4; one for the test model, whose steps are too small to
 * share (docs/maze-local.md). More threads than free cores makes llama.cpp's threads spin against
 * each other: on a loaded 2-core machine 2 threads ran the test model 3-60× slower than 1.
 */
export function defaultThreads(isTestModel = false, cores: number = os.availableParallelism()): number {
  if (isTestModel) return 1;
  return Math.max(1, Math.min(4, cores));
}

/** A text the engine's tokenizer and the runtime's must cut into the same ids (checked at load). */
export const TOKENIZER_PROBE = "Hello, World! It's 2024: naïve café — 12345 tokens…\n\tdef f(x):\n        return x**2  # ok\n\n日本語のテキスト 🙂 {\"a\": [1, 2.5e-3, null]} <|im_start|>user\n   ";

export interface LoadLocalModelOptions {
  /** CPU threads (default: defaultThreads(): the cores, at most 4; 1 for the test model). */
  threads?: number;
  /** Context window in tokens (default: DEFAULT_CONTEXT_SIZE, or the model's training context if smaller). */
  contextSize?: number;
  /** Offload to a GPU when node-llama-cpp finds one (default false: CPU only, reproducible). */
  gpu?: boolean;
  /** Where `test` is cached (default: `$ANANKE_CACHE_DIR`, else .ananke/cache). */
  cacheDir?: string;
  /**
   * Generations that run at once (default 1), each in its own sequence of one context: node-llama-cpp
   * puts the steps of the sequences that are waiting into one batch. Each sequence has the whole
   * context window (the context holds `sequences × contextSize` cells). More calls wait for a free one.
   */
  sequences?: number;
  /**
   * Called once llama.cpp starts reading the weights and vocabulary on a thread of its own, after
   * the runtime's import and start and node-llama-cpp's read of the header, which take the calling
   * thread: a caller with work of its own to do while the model loads (`ananke generate`
   * extracts) waits for this first, so that llama.cpp's part runs beside that work.
   */
  onNativeLoad?: () => void;
}

export interface LocalGenerateOptions extends StepGenerateOptions {
  /** Top-k (default DEFAULT_SAMPLING.topK; 0 = off). */
  topK?: number;
}

export interface LocalModel extends StepModel {
  readonly name: string;
  /** The model file. */
  readonly path: string;
  readonly architecture: string;
  readonly tokenizer: Tokenizer;
  /** Ids that end a sequence (the runtime's end-of-generation tokens and the vocabulary's EOS). */
  readonly eosTokens: readonly number[];
  readonly isTestModel: boolean;
  readonly contextSize: number;
  readonly threads: number;
  /** Generations that run at once (LoadLocalModelOptions.sequences). */
  readonly sequences: number;
  /** Milliseconds to load: header, runtime, weights, tokenizer, context. */
  readonly loadMs: number;
  generate(prompt: string, opts: LocalGenerateOptions): Promise<StepGeneration>;
  /** Prompt text → the ids the model reads (special tokens recognised; BOS added where the model wants it). */
  promptTokens(prompt: string): number[];
  dispose(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The runtime (loaded on first use: importing Ananke never loads node-llama-cpp)

type Runtime = typeof import('node-llama-cpp');
type Llama = Awaited<ReturnType<Runtime['getLlama']>>;
type LlamaModel = Awaited<ReturnType<Llama['loadModel']>>;
type LlamaContext = Awaited<ReturnType<LlamaModel['createContext']>>;
type LlamaSequence = ReturnType<LlamaContext['getSequence']>;
/** A sequence's sampler settings for one step, as node-llama-cpp hands them to its native sampler. */
type SamplerConfig = Record<string, unknown>;
type ResolveSamplerConfig = (options: Record<string, unknown>) => SamplerConfig;

/**
 * Puts `bias`'s current entries into every step's sampler settings of `sequence`. node-llama-cpp
 * builds those settings in its sequence's `_resolveSamplerConfig` (LlamaContext.js) and its native
 * sampler reads the bias from them as two typed arrays, `tokenBiasKeys` and `tokenBiasValues`
 * (AddonSampler.cpp: kept as they are when equal to the previous step's, rebuilt otherwise). Its
 * public route to them, a TokenBias, is a Map that it copies every step into two JS arrays and then
 * into two new typed arrays (`getTokenBiasesForAddon`), about 3 ms for half the vocabulary, which
 * is why the builder's arrays go in directly. False when the sequence is not shaped as expected
 * (another node-llama-cpp version): the caller refuses to load.
 */
function routeBias(sequence: LlamaSequence, bias: TokenBiasBuilder, beforeSample: () => void): boolean {
  const holder = sequence as unknown as { _resolveSamplerConfig?: ResolveSamplerConfig };
  const resolve = holder._resolveSamplerConfig;
  if (typeof resolve !== 'function') return false;
  const probe = resolve.call(sequence, { temperature: 0.5, topK: 7, topP: 1, seed: 1 }) as SamplerConfig | null;
  if (probe === null || typeof probe !== 'object' || probe['topK'] !== 7 || 'tokenBiasKeys' in probe) return false;
  holder._resolveSamplerConfig = (options) => {
    // Called once the step's logits are there, just before sampling (LlamaContext._evaluate's
    // callback to _decodeTokens): the bias must be final by now.
    beforeSample();
    const config = resolve.call(sequence, options);
    if (bias.keys !== undefined) {
      config['tokenBiasKeys'] = bias.keys;
      config['tokenBiasValues'] = bias.values;
    }
    return config;
  };
  return true;
}

/** node-llama-cpp brands token ids; Ananke's are plain numbers with the same values. */
type Token = Parameters<LlamaModel['isEogToken']>[0] & number;
const asToken = (id: number): Token => id as Token;

let runtime: Promise<Runtime> | undefined;
const llamas = new Map<string, Promise<Llama>>();

async function loadRuntime(): Promise<Runtime> {
  runtime ??= import('node-llama-cpp').catch((e: unknown) => {
    runtime = undefined;
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(NODE_LLAMA_CPP.pkg)) {
      throw new AnankeError('UNSUPPORTED', `the local model backend needs the optional package ${NODE_LLAMA_CPP.pkg}, which is not installed: run \`npm install ${NODE_LLAMA_CPP.pkg}@${NODE_LLAMA_CPP.version}\` (docs/maze-local.md shows a CPU-only install without its GPU builds)`);
    }
    throw e;
  });
  return runtime;
}

/**
 * Set to 1, the CPU build is loaded through node-llama-cpp's getLlama() as for a GPU, so that its
 * binary is tested in a child process first (docs/maze-local.md, "Loading").
 */
export const BINARY_TEST_ENV = 'ANANKE_LLAMA_BINARY_TEST';

/**
 * llama.cpp's CPU build on Linux, loaded as node-llama-cpp's getLlama() loads it but without its
 * test of the binary in a child process (a second Node.js that imports all of node-llama-cpp: on
 * Linux getLlama() runs it before every load of a prebuilt binary, ≈ 0.6 s of a cold start). The
 * test guards against a GPU build that would crash the process; the CPU build picks its CPU variant
 * at run time, and a library it cannot link is an error thrown by `require`, which falls back here
 * to getLlama(). Undefined (getLlama() then decides, tests included) wherever getLlama() would
 * choose differently or could: another platform (it tests prebuilt CPU binaries on Linux only), a
 * local build of llama.cpp, a binaries package of another version, NODE_LLAMA_CPP_DEBUG, or
 * BINARY_TEST_ENV set. Relies on node-llama-cpp 3.21.1's layout (`Llama._create`, the
 * `@node-llama-cpp/<platform>-<arch>` package's `getBinsDir()`), which is why the version is pinned.
 */
async function cpuLlamaWithoutBinaryTest(rt: Runtime, logger: (level: unknown, message: string) => void): Promise<Llama | undefined> {
  if (process.platform !== 'linux' || process.env[BINARY_TEST_ENV] === '1' || /^(1|true)$/i.test(process.env['NODE_LLAMA_CPP_DEBUG'] ?? '')) return undefined;
  const folder = `linux-${process.arch}`;
  const create = (rt.Llama as unknown as { _create?: (o: Record<string, unknown>) => Promise<Llama> })._create;
  if (typeof create !== 'function') return undefined;
  try {
    const entry = import.meta.resolve(NODE_LLAMA_CPP.pkg);
    const pkgDir = path.resolve(fileURLToPath(entry), '..', '..');
    // getLlama() prefers a local build, or binaries in node-llama-cpp's own bins/, to the package.
    if (fs.existsSync(path.join(pkgDir, 'llama', 'localBuilds', folder)) || fs.existsSync(path.join(pkgDir, 'bins', folder, 'llama-addon.node'))) return undefined;
    const req = createRequire(entry);
    const binaries = await import(pathToFileURL(req.resolve(`@node-llama-cpp/${folder}`)).href) as { getBinsDir?: () => { binsDir: string; packageVersion: string } };
    const bins = binaries.getBinsDir?.();
    if (bins === undefined || bins.packageVersion !== NODE_LLAMA_CPP.version) return undefined;
    const dir = path.join(bins.binsDir, folder);
    const bindingPath = path.join(dir, 'llama-addon.node');
    const buildMetadata = JSON.parse(fs.readFileSync(path.join(dir, '_nlcBuildMetadata.json'), 'utf8')) as { buildOptions?: { gpu?: unknown; platform?: unknown; arch?: unknown } };
    const o = buildMetadata.buildOptions;
    if (o?.gpu !== false || o.platform !== 'linux' || o.arch !== process.arch || !fs.existsSync(bindingPath)) return undefined;
    return await create.call(rt.Llama, {
      bindings: req(bindingPath) as unknown, bindingPath, extBackendsPath: undefined, buildType: 'prebuilt', buildMetadata,
      logLevel: rt.LlamaLogLevel.error, logger, maxThreads: undefined,
      // node-llama-cpp's defaults on Linux: no GPU memory to keep free, a RAM reserve of ¼ up to 1 GiB.
      vramPadding: 0, ramPadding: (total: number) => Math.floor(Math.min(total * 0.25, 1024 ** 3)),
      skipLlamaInit: false, debug: false, numa: false, tempDir: false, experimentalOptions: undefined,
    });
  } catch {
    return undefined; // getLlama() tries again, testing the binary, and says what is wrong
  }
}

/** One llama.cpp instance per process (per GPU choice), shared by every model. */
async function getLlama(gpu: boolean): Promise<Llama> {
  const key = gpu ? 'gpu' : 'cpu';
  let p = llamas.get(key);
  if (!p) {
    p = (async () => {
      const rt = await loadRuntime();
      const logger = (level: unknown, message: string): void => {
        if (level === rt.LlamaLogLevel.error || level === rt.LlamaLogLevel.fatal) process.stderr.write(`[llama.cpp] ${message.trimEnd()}\n`);
      };
      try {
        if (!gpu) {
          const llama = await cpuLlamaWithoutBinaryTest(rt, logger);
          if (llama !== undefined) return llama;
        }
        return await rt.getLlama({
          gpu: gpu ? 'auto' : false,
          build: 'never',
          skipDownload: true,
          progressLogs: false,
          logLevel: rt.LlamaLogLevel.error,
          logger,
        });
      } catch (e) {
        llamas.delete(key);
        throw new AnankeError('UNSUPPORTED', `${NODE_LLAMA_CPP.pkg} has no working prebuilt binary for ${process.platform}-${process.arch}: ${(e as Error).message}`, undefined, { cause: e });
      }
    })();
    llamas.set(key, p);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Loading

function checkPositiveInt(what: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new AnankeError('USAGE', `${what} must be a positive integer, not ${v}`);
}

/** The model file for a spec: 'test' (created in the cache on first use) or a path. */
export function resolveModelSpec(spec: string, cacheDir?: string): string {
  if (spec === 'test') return testModelPath({ cacheDir }).path;
  return path.resolve(spec);
}

/** Header facts shown by `ananke model info` without loading the weights. */
export interface ModelFileInfo {
  path: string;
  name: string;
  architecture: string;
  vocabSize: number;
  contextLength: number | undefined;
  isTestModel: boolean;
  tensors: number;
  bytes: number;
  vocabType: string | undefined;
  preTokenizer: string | undefined;
}

export function modelFileInfo(file: string, header: GgufHeader = readGgufHeader(file)): ModelFileInfo {
  const arch = metaString(header, 'general.architecture') ?? 'unknown';
  const tokens = header.metadata.get('tokenizer.ggml.tokens');
  return {
    path: file,
    name: metaString(header, 'general.name') ?? path.basename(file, '.gguf'),
    architecture: arch,
    vocabSize: tokens?.type === 'array' ? tokens.value.length : 0,
    contextLength: metaNumber(header, `${arch}.context_length`),
    isTestModel: header.metadata.has(TEST_MODEL_KEY),
    tensors: header.tensors.length,
    bytes: header.fileSize,
    vocabType: metaString(header, 'tokenizer.ggml.model'),
    preTokenizer: metaString(header, 'tokenizer.ggml.pre'),
  };
}

/**
 * Loads a GGUF model (`spec`: a path, or `test` for Ananke's test model). NOT_FOUND when the file
 * is missing, PARSE when it is not a valid GGUF, UNSUPPORTED when its vocabulary is not one the
 * engine reproduces exactly or node-llama-cpp is not installed.
 */
export async function loadLocalModel(spec: string, opts: LoadLocalModelOptions = {}): Promise<LocalModel> {
  const t0 = performance.now();
  checkPositiveInt('threads', opts.threads);
  checkPositiveInt('the context size', opts.contextSize);
  checkPositiveInt('sequences', opts.sequences);
  // Everything about the file is checked before the first await, so that a missing or damaged
  // file, or a vocabulary the engine cannot reproduce, rejects the returned promise at once (a
  // caller loading the model in the background learns it before doing anything else).
  const file = resolveModelSpec(spec, opts.cacheDir);
  // Read and check the header before the runtime sees the file: a damaged file is a PARSE error
  // that says what is wrong, not a crash inside llama.cpp.
  const header = readGgufHeader(file);
  const info = modelFileInfo(file, header);
  const vocab = ggufVocab(header, file);
  checkPreTokenizer(info.name, vocab);
  const embd = header.tensors.find((t) => t.name === 'token_embd.weight');
  if (embd && embd.dims.length === 2 && embd.dims[1] !== vocab.tokens.length) {
    throw new AnankeError('PARSE', `${file}: the vocabulary has ${vocab.tokens.length} tokens but the embedding has ${embd.dims[1]} rows`, { file });
  }

  const gpu = opts.gpu === true;
  const llama = await getLlama(gpu);
  // llama.cpp reads the weights and the vocabulary on a thread of its own while this thread builds
  // the engine's tokenizer from the file's token types (the longest part of a load on this thread);
  // the runtime's view of the tokens is compared once the model is loaded.
  const modelPromise = llama.loadModel({ modelPath: file, gpuLayers: gpu ? 'auto' : 0 }).catch((e: unknown) => {
    throw new AnankeError('PARSE', `${file}: llama.cpp could not load the model: ${(e as Error).message}`, { file }, { cause: e });
  });
  await nativeLoadStarted(llama, modelPromise);
  let tokenizer: Tokenizer;
  let ours: number[];
  try {
    opts.onNativeLoad?.();
    tokenizer = ggufTokenizer(info.name, vocab);
    ours = tokenizer.encode(TOKENIZER_PROBE);
  } catch (e) {
    await modelPromise.then((m) => m.dispose(), () => undefined);
    throw e;
  }
  const model = await modelPromise;

  const threads = opts.threads ?? defaultThreads(info.isTestModel, llama.cpuMathCores || undefined);
  const contextSize = opts.contextSize ?? Math.min(DEFAULT_CONTEXT_SIZE, model.trainContextSize || DEFAULT_CONTEXT_SIZE);
  const sequences = opts.sequences ?? 1;
  // The context is made (llama.cpp's buffers, on its own thread) while the tokens are compared.
  const contextPromise = model.createContext({ contextSize, threads, sequences }).catch((e: unknown) => {
    throw new AnankeError('LIMIT', `${file}: cannot create a context of ${contextSize} tokens: ${(e as Error).message} (give a smaller context size)`, { file }, { cause: e });
  });
  try {
    const n = vocab.tokens.length;

    // The runtime's view of each token: llama.cpp corrects some types at load (`</s>` becomes a
    // control token) and decides which tokens end a generation.
    const attrs = new Uint16Array(n);
    const eog: number[] = [];
    let differs = false;
    for (let id = 0; id < n; id++) {
      const a = model.getTokenAttributes(asToken(id));
      attrs[id] = (a.control ? TOKEN_ATTR.control : 0) | (a.userDefined ? TOKEN_ATTR.userDefined : 0) | (a.unused ? TOKEN_ATTR.unused : 0)
        | (a.unknown ? TOKEN_ATTR.unknown : 0) | (a.lstrip ? TOKEN_ATTR.lstrip : 0) | (a.rstrip ? TOKEN_ATTR.rstrip : 0) | TOKEN_ATTR.normal;
      const eogToken = model.isEogToken(asToken(id));
      if (eogToken) eog.push(id);
      const special = (attrs[id]! & (TOKEN_ATTR.control | TOKEN_ATTR.unused | TOKEN_ATTR.unknown)) !== 0;
      const added = (attrs[id]! & (TOKEN_ATTR.control | TOKEN_ATTR.userDefined | TOKEN_ATTR.unused | TOKEN_ATTR.unknown)) !== 0;
      const fileAdded = tokenizer.specialId(vocab.tokens[id]!) === id;
      if (special !== (tokenizer.isSpecial[id] === 1) || added !== fileAdded || (attrs[id]! & (TOKEN_ATTR.lstrip | TOKEN_ATTR.rstrip)) !== 0) differs = true;
    }
    if (differs || eog.some((id) => tokenizer.isSpecial[id] !== 1)) {
      tokenizer = ggufTokenizer(info.name, vocab, { attributes: (id) => attrs[id]!, eog });
      ours = tokenizer.encode(TOKENIZER_PROBE);
    } else {
      const eos = new Set([...tokenizer.eosTokens, ...eog]);
      if (eos.size !== tokenizer.eosTokens.length) tokenizer = withEosTokens(tokenizer, [...eos]);
    }
    if (tokenizer.vocabSize !== n) throw new AnankeError('INTERNAL', `${file}: the engine reads ${tokenizer.vocabSize} tokens, the model has ${n}`);
    const theirs = Array.from(model.tokenize(TOKENIZER_PROBE, true));
    if (ours.length !== theirs.length || ours.some((t, i) => t !== theirs[i])) {
      const at = ours.findIndex((t, i) => t !== theirs[i]);
      throw new AnankeError('UNSUPPORTED', `${file}: Ananke's tokenizer for this vocabulary (pre-tokenizer '${vocab.pre}') cuts text differently from the model's (first difference at token ${at < 0 ? Math.min(ours.length, theirs.length) : at}: ${JSON.stringify(tokenizer.decode(ours.slice(Math.max(0, at), at + 3)))}); masks would not match what the model reads`, { file });
    }

    // While llama.cpp makes the context: the vocabulary trie and string slices every grammar
    // compiled for this tokenizer needs (the first request would build them otherwise).
    prepareTokenizer(tokenizer);
    const context = await contextPromise;
    // One bias per sequence: the runtime asks each sequence for its own settings when it samples.
    const slots: Slot[] = [];
    for (let i = 0; i < sequences; i++) {
      const sequence = context.getSequence();
      const slot: Slot = { sequence, bias: new TokenBiasBuilder(n, tokenizer.eosTokens), beforeSample: null };
      if (!routeBias(sequence, slot.bias, () => slot.beforeSample?.())) {
        throw new AnankeError('INTERNAL', `${NODE_LLAMA_CPP.pkg}'s context sequence is not the one Ananke was written for (it needs version ${NODE_LLAMA_CPP.version})`);
      }
      slots.push(slot);
    }
    return new LlamaLocalModel(info, file, tokenizer, model, context, slots, threads, performance.now() - t0);
  } catch (e) {
    await contextPromise.then((c) => c.dispose(), () => undefined);
    await model.dispose();
    throw e;
  }
}

/**
 * Resolves when node-llama-cpp hands the file to llama.cpp, whose load then runs off this thread;
 * or when `loading` settles, whichever comes first. Before that, node-llama-cpp reads the file's
 * header again on this thread (LlamaModel._create), so work started earlier would only delay the
 * load. The sign: LlamaModel._create reserves the model's memory on the instance's RAM orchestrator
 * just before the native load (node-llama-cpp 3.21.1); with another shape it resolves at once.
 */
function nativeLoadStarted(llama: Llama, loading: Promise<unknown>): Promise<void> {
  const orchestrator = (llama as unknown as { _ramOrchestrator?: { reserveMemory?: (bytes: number) => unknown } })._ramOrchestrator;
  const reserve = orchestrator?.reserveMemory;
  if (orchestrator === undefined || typeof reserve !== 'function' || Object.prototype.hasOwnProperty.call(orchestrator, 'reserveMemory')) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      delete (orchestrator as { reserveMemory?: unknown }).reserveMemory; // the prototype's again
      resolve();
    };
    orchestrator.reserveMemory = function (this: unknown, bytes: number): unknown {
      done();
      return reserve.call(this, bytes);
    };
    void loading.then(done, done);
  });
}

// ---------------------------------------------------------------------------------------------
// Generation

/**
 * A step's decision and the bias made of it, settled once: right away for a decision made before
 * the step, while the model evaluates for a deferred one. A decision that allows nothing (or only
 * the end, where the mask is a real one) ends the generation: `ended`. When the decision ends it or
 * fails, the bias is cleared, so that a runtime already evaluating samples something, which is
 * dropped.
 */
class SettledStep {
  decision: StepDecision | undefined;
  failed: unknown;
  ended: StopReason | undefined;
  allowed = 0;
  /** Milliseconds in `settle`: the decision (its mask, when deferred) and the bias. */
  ms = 0;
  /** Of which handing the bias over. */
  biasMs = 0;
  done = false;

  constructor(private readonly answer: StepAnswer, private readonly bias: TokenBiasBuilder, private readonly eosCount: number) {}

  settle(): void {
    if (this.done) return;
    this.done = true;
    const t0 = performance.now();
    try {
      const d = decided(this.answer);
      if (d.forced !== undefined && d.forced.length > 0) throw new AnankeError('INTERNAL', 'a deferred step decision forced tokens; only decisions that sample may be deferred');
      this.decision = d;
      const b0 = performance.now();
      this.allowed = this.bias.fill(d.mask, d.eosAllowed, d.softBias ?? null);
      this.biasMs = performance.now() - b0;
      if (this.allowed === 0) this.ended = 'no_allowed_token';
      else if (d.eosAllowed && d.mask !== null && this.allowed === this.eosCount) this.ended = 'eos'; // only EOS can follow
    } catch (e) {
      this.failed = e ?? new AnankeError('INTERNAL', 'a step decision failed');
    }
    if (this.failed !== undefined || this.ended !== undefined) this.bias.clear();
    this.ms = performance.now() - t0;
  }
}

/**
 * One context sequence with its own bias: a generation holds one from start to end. `beforeSample`
 * is called when the runtime is about to sample for it (routeBias): a deferred decision is settled
 * there at the latest.
 */
interface Slot {
  sequence: LlamaSequence;
  bias: TokenBiasBuilder;
  beforeSample: (() => void) | null;
}

class LlamaLocalModel implements LocalModel {
  readonly name: string;
  readonly architecture: string;
  readonly isTestModel: boolean;
  readonly eosTokens: readonly number[];
  readonly contextSize: number;
  private readonly isEos: Uint8Array;
  private readonly vocabSize: number;
  readonly sequences: number;
  /** Sequences no generation holds, and the calls waiting for one (first come, first served). */
  private readonly free: Slot[];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private readonly running = new Set<Promise<unknown>>();
  private disposed = false;

  constructor(
    info: ModelFileInfo,
    readonly path: string,
    readonly tokenizer: Tokenizer,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    slots: Slot[],
    readonly threads: number,
    readonly loadMs: number,
  ) {
    this.name = info.name;
    this.architecture = info.architecture;
    this.isTestModel = info.isTestModel;
    this.contextSize = context.contextSize;
    this.vocabSize = tokenizer.vocabSize;
    this.eosTokens = tokenizer.eosTokens;
    this.sequences = slots.length;
    this.free = [...slots];
    this.isEos = new Uint8Array(this.vocabSize);
    for (const id of this.eosTokens) this.isEos[id] = 1;
  }

  promptTokens(prompt: string): number[] {
    const ids = Array.from(this.model.tokenize(prompt, true));
    const bos = this.model.tokens.bos;
    if (bos !== null && (this.model.tokens.shouldPrependBosToken || ids.length === 0) && ids[0] !== bos) ids.unshift(bos);
    return ids;
  }

  generate(prompt: string, opts: LocalGenerateOptions): Promise<StepGeneration> {
    // One generation per context sequence; the others wait for one to be released.
    const run = (async () => {
      const slot = this.free.pop() ?? await new Promise<Slot>((resolve) => this.waiting.push(resolve));
      try {
        return await this.run(slot, prompt, opts);
      } finally {
        const next = this.waiting.shift();
        if (next) next(slot); else this.free.push(slot);
      }
    })();
    this.running.add(run);
    void run.catch(() => undefined).finally(() => this.running.delete(run));
    return run;
  }

  private isAllowed(d: StepDecision, id: number): boolean {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) return false;
    if (this.isEos[id] === 1) return d.eosAllowed;
    return d.mask === null || ((d.mask[id >>> 5]! >>> (id & 31)) & 1) === 1;
  }

  private async run(slot: Slot, prompt: string, opts: LocalGenerateOptions): Promise<StepGeneration> {
    if (this.disposed) throw new AnankeError('INTERNAL', `the model ${this.name} was disposed`);
    checkPositiveInt('max tokens', opts.maxTokens);
    const temperature = opts.temperature ?? DEFAULT_SAMPLING.temperature;
    const topP = opts.topP ?? DEFAULT_SAMPLING.topP;
    const topK = opts.topK ?? DEFAULT_SAMPLING.topK;
    if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new AnankeError('USAGE', `temperature must be a number ≥ 0, not ${temperature}`);
    if (!(topP > 0 && topP <= 1)) throw new AnankeError('USAGE', `top-p must be in (0, 1], not ${topP}`);
    if (!Number.isInteger(topK) || topK < 0) throw new AnankeError('USAGE', `top-k must be an integer ≥ 0, not ${topK}`);
    if (opts.seed !== undefined && !(Number.isInteger(opts.seed) && opts.seed >= 0)) throw new AnankeError('USAGE', `seed must be an integer ≥ 0, not ${opts.seed}`);
    // A seed is always set, so the sampler's random stream runs on from step to step.
    const seed = opts.seed !== undefined ? opts.seed % 4294967296 : (Math.random() * 4294967296) >>> 0;

    const promptIds = this.promptTokens(prompt);
    if (promptIds.length === 0) throw new AnankeError('USAGE', `the prompt is empty and ${this.name} has no BOS token to start from: give a prompt`);
    if (promptIds.length >= this.contextSize) {
      throw new AnankeError('LIMIT', `the prompt is ${promptIds.length} tokens, and the model's context window is ${this.contextSize}: shorten the prompt or give a larger context size`);
    }
    // Never past the context window (node-llama-cpp would otherwise drop the prompt's beginning).
    const budget = Math.min(opts.maxTokens, this.contextSize - promptIds.length);

    const generated: number[] = [];
    const modelMs: number[] = [];
    const biasMs: number[] = [];
    let pending: number[] = [];
    let iterator: AsyncGenerator<number, void, number[] | undefined> | undefined;
    let stop: StopReason = 'max_tokens';
    const append = (id: number): void => {
      generated.push(id);
      pending.push(id);
      opts.onToken?.(id);
    };

    // Presence and frequency penalties over the tokens generated so far (read by the runtime before
    // every sampling; llama.cpp's penalties sampler runs after the grammar's bias, and subtracting
    // at most 2 × PENALTY_WINDOW + 2 from a +1e4 lift, or from -Infinity, keeps the mask as it is).
    // The window is fixed, so the runtime adds each new token instead of rebuilding its history.
    const presence = opts.penalties?.presence ?? 0;
    const frequency = opts.penalties?.frequency ?? 0;
    if (!(Number.isFinite(presence) && Math.abs(presence) <= 2)) throw new AnankeError('USAGE', `the presence penalty must be in [-2, 2], not ${presence}`);
    if (!(Number.isFinite(frequency) && Math.abs(frequency) <= 2)) throw new AnankeError('USAGE', `the frequency penalty must be in [-2, 2], not ${frequency}`);
    const penalties = presence !== 0 || frequency !== 0
      ? { punishTokens: () => generated.map(asToken), maxPunishTokens: Math.min(budget, PENALTY_WINDOW), penalty: 1, presencePenalty: presence, frequencyPenalty: frequency }
      : undefined;

    const { sequence, bias } = slot;
    let overlapped = 0;
    await sequence.clearHistory();
    try {
      for (;;) {
        if (opts.signal?.aborted) { stop = 'aborted'; break; }
        if (generated.length >= budget) { stop = 'max_tokens'; break; }
        const answer = opts.step(generated);
        const now = 'decide' in answer ? null : answer;
        if (now?.forced !== undefined && now.forced.length > 0) {
          let ended = false;
          for (const id of now.forced) {
            if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) throw new AnankeError('INTERNAL', `forced token ${id} is outside the vocabulary of ${this.vocabSize}`);
            if (this.isEos[id] === 1) { ended = true; break; }
            if (generated.length >= budget) break;
            append(id);
          }
          if (ended) { stop = 'forced_end'; break; }
          continue;
        }

        // The decision with its bias handed over: before the evaluation for a decision made now,
        // during it for a deferred one (at the latest when the runtime is about to sample).
        const s = new SettledStep(answer, bias, this.eosTokens.length);
        if (now !== null) {
          s.settle();
          if (s.failed !== undefined) throw s.failed;
          if (s.ended !== undefined) { stop = s.ended; break; }
        }
        slot.beforeSample = () => s.settle();
        const e0 = performance.now();
        let next: Promise<IteratorResult<number, void>>;
        if (iterator === undefined) {
          // No tokenBias here: routeBias puts the builder's entries into the sampler settings.
          iterator = sequence.evaluate([...promptIds, ...pending].map(asToken), {
            temperature, topP, topK, seed, yieldEogToken: true,
            ...(penalties ? { repeatPenalty: penalties } : {}),
          }) as AsyncGenerator<number, void, number[] | undefined>;
          next = iterator.next();
        } else {
          next = iterator.next(pending);
        }
        pending = [];
        if (now === null) {
          // The runtime dispatches its batch on a later turn of the event loop (node-llama-cpp's
          // default dispatch schedule, setImmediate): past these turns (one sufficed with the test
          // model; the second for a dispatch that waits on the context's lock) the model evaluates
          // on llama.cpp's threads while this one works out the mask.
          await nextTurn();
          await nextTurn();
          if (!s.done) overlapped++;
          s.settle();
        }
        let res: IteratorResult<number, void>;
        try {
          res = await next;
        } finally {
          slot.beforeSample = null;
        }
        if (s.failed !== undefined) throw s.failed;
        // The runtime sampled anyway (with no bias); its token is dropped.
        if (s.ended !== undefined) { stop = s.ended; break; }
        const d = s.decision!;
        // The step's wall time less Ananke's part of it (the native sampler's copy and application
        // of the bias run inside the step: model time).
        modelMs.push(Math.max(0, performance.now() - e0 - (now === null ? s.ms : 0)));
        biasMs.push(s.biasMs);
        if (res.done) throw new AnankeError('INTERNAL', `${this.name}: the runtime stopped generating without a token`);
        const id = res.value;
        if (!this.isAllowed(d, id)) {
          throw new AnankeError('INTERNAL', `${this.name}: the runtime sampled token ${id} (${JSON.stringify(this.tokenizer.decode([id]))}), which the mask did not allow (${s.allowed} allowed${d.eosAllowed ? ', end allowed' : ''})`);
        }
        if (this.isEos[id] === 1) { stop = 'eos'; break; }
        append(id);
      }
    } finally {
      slot.beforeSample = null;
      bias.clear();
      if (iterator !== undefined) await iterator.return(undefined);
    }
    return { tokens: generated, stop, modelMsPerToken: modelMs, biasMsPerToken: biasMs, overlappedSteps: overlapped };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    // Calls already waiting for a sequence fail at once (disposed); running ones finish first.
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    await this.context.dispose();
    await this.model.dispose();
  }
}
