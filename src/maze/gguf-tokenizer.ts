/**
 * The engine's Tokenizer for a GGUF model, built from the file's own vocabulary metadata, so its
 * ids are exactly the model's: `tokenizer.ggml.tokens` (byte-level strings for `gpt2`-type
 * vocabularies, as in a Hugging Face tokenizer.json), `tokenizer.ggml.token_type`,
 * `tokenizer.ggml.merges` and `tokenizer.ggml.pre`, the name of the pre-tokenizer (the regex that
 * splits text before BPE merges). They are rewritten as the tokenizer.json the engine already
 * reads (engine `tokenizerFromJson`).
 *
 * Supported: byte-level BPE vocabularies (`tokenizer.ggml.model = gpt2`) with the pre-tokenizers of
 * GPT-2, Llama 3 and Qwen 2/2.5/3 (PRE_TOKENIZERS). Text is not normalized (llama.cpp does not
 * normalize BPE input). Other vocabularies are refused with UNSUPPORTED, rather than guessed: a
 * tokenizer that disagrees with the model would let masks drift from what the model reads.
 */
import { AnankeError } from '../core/index.ts';
import { tokenizerFromJson, type Tokenizer } from '../engine/index.ts';
import { metaArray, metaNumber, metaString, type GgufHeader } from './gguf.ts';

/** llama.cpp's token attributes (llama_token_attr in its C API), as node-llama-cpp reports them. */
export const TOKEN_ATTR = {
  unknown: 1, unused: 2, normal: 4, control: 8, userDefined: 16, byte: 32, lstrip: 128, rstrip: 256,
} as const;

/** GGUF token types (tokenizer.ggml.token_type) → attributes, for when no runtime is loaded. */
const TYPE_ATTR: Readonly<Record<number, number>> = {
  1: TOKEN_ATTR.normal, 2: TOKEN_ATTR.unknown, 3: TOKEN_ATTR.control, 4: TOKEN_ATTR.userDefined, 5: TOKEN_ATTR.unused, 6: TOKEN_ATTR.byte,
};

/** Contraction alternatives written without inline flags (as llama.cpp does); same meaning as `(?i:'s|…)`. */
const CONTRACTIONS = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";

/**
 * Pre-tokenizer regexes by the names llama.cpp gives them in `tokenizer.ggml.pre`. `pattern`
 * undefined: GPT-2's own regex (the engine's ByteLevel default). `ignoreMerges`: a piece that is
 * itself a token is taken whole (Llama 3).
 */
const PRE_TOKENIZERS: Readonly<Record<string, { pattern?: string; ignoreMerges?: boolean }>> = {
  'gpt-2': {},
  'phi-2': {},
  'llama3': { pattern: `${CONTRACTIONS}|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`, ignoreMerges: true },
  'qwen2': { pattern: `${CONTRACTIONS}|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+` },
};
const PRE_ALIASES: Readonly<Record<string, string>> = { 'llama-bpe': 'llama3', 'llama-v3': 'llama3', 'deepseek-r1-qwen': 'qwen2' };

export function supportedPreTokenizers(): string[] {
  return [...Object.keys(PRE_TOKENIZERS), ...Object.keys(PRE_ALIASES)].sort();
}

function preTokenizerOf(pre: string): { pattern?: string; ignoreMerges?: boolean } | undefined {
  const name = Object.prototype.hasOwnProperty.call(PRE_ALIASES, pre) ? PRE_ALIASES[pre]! : pre;
  return Object.prototype.hasOwnProperty.call(PRE_TOKENIZERS, name) ? PRE_TOKENIZERS[name] : undefined;
}

/**
 * Whether the engine can reproduce this file's tokenizer (without loading it): undefined when it
 * can, else why not.
 */
export function vocabUnsupported(h: GgufHeader, file: string): string | undefined {
  try {
    const v = ggufVocab(h, file);
    if (!preTokenizerOf(v.pre)) return `pre-tokenizer '${v.pre}' is not one Ananke reproduces (supported: ${supportedPreTokenizers().join(', ')})`;
    return undefined;
  } catch (e) {
    if (e instanceof AnankeError) return e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message;
    throw e;
  }
}

/** The vocabulary part of a GGUF header, checked. */
export interface GgufVocab {
  tokens: readonly string[];
  /** GGUF token types, one per token (1 when the file has none). */
  types: Int32Array;
  merges: readonly string[];
  /** `tokenizer.ggml.model` and `tokenizer.ggml.pre`. */
  model: string;
  pre: string;
  bos?: number;
  eos?: number;
}

/** Reads the vocabulary metadata; PARSE when it is missing or inconsistent, UNSUPPORTED when it is not byte-level BPE. */
export function ggufVocab(h: GgufHeader, file: string): GgufVocab {
  const model = metaString(h, 'tokenizer.ggml.model');
  if (model === undefined) throw new AnankeError('PARSE', `${file}: the model file has no vocabulary (tokenizer.ggml.model is missing)`, { file });
  const tokensV = metaArray(h, 'tokenizer.ggml.tokens');
  if (!tokensV || tokensV.itemType !== 'string') throw new AnankeError('PARSE', `${file}: tokenizer.ggml.tokens is missing or not a list of strings`, { file });
  const tokens = tokensV.value as readonly string[];
  const typesV = metaArray(h, 'tokenizer.ggml.token_type');
  let types: Int32Array;
  if (!typesV) types = new Int32Array(tokens.length).fill(1);
  else if (typesV.value instanceof Int32Array || typesV.value instanceof Uint32Array) types = Int32Array.from(typesV.value);
  else throw new AnankeError('PARSE', `${file}: tokenizer.ggml.token_type is not a list of integers`, { file });
  if (types.length !== tokens.length) throw new AnankeError('PARSE', `${file}: ${tokens.length} tokens but ${types.length} token types`, { file });
  if (model !== 'gpt2') {
    throw new AnankeError('UNSUPPORTED', `${file}: the model's vocabulary is of type '${model}'; Ananke's local backend reads byte-level BPE vocabularies (tokenizer.ggml.model = gpt2: GPT-2, Llama 3, Qwen 2/2.5/3 and models built on them)`, { file });
  }
  const mergesV = metaArray(h, 'tokenizer.ggml.merges');
  if (!mergesV || mergesV.itemType !== 'string') throw new AnankeError('PARSE', `${file}: tokenizer.ggml.merges is missing (a BPE vocabulary needs its merges)`, { file });
  const pre = metaString(h, 'tokenizer.ggml.pre') ?? 'default';
  const id = (key: string): number | undefined => {
    const v = metaNumber(h, key);
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || v < 0 || v >= tokens.length) throw new AnankeError('PARSE', `${file}: ${key} is ${v}, outside the vocabulary of ${tokens.length}`, { file });
    return v;
  };
  return { tokens, types, merges: mergesV.value as readonly string[], model, pre, bos: id('tokenizer.ggml.bos_token_id'), eos: id('tokenizer.ggml.eos_token_id') };
}

export interface GgufTokenizerOptions {
  /** Attributes of token `id` as the runtime sees them (llama.cpp may correct the file's types); default: from the file's token types. */
  attributes?: (id: number) => number;
  /** End-of-generation ids as the runtime sees them (all of them end a sequence). */
  eog?: readonly number[];
}

/** UNSUPPORTED when the vocabulary's pre-tokenizer is not one the engine reproduces (checked before anything is built). */
export function checkPreTokenizer(name: string, vocab: GgufVocab): { pattern?: string; ignoreMerges?: boolean } {
  const pre = preTokenizerOf(vocab.pre);
  if (!pre) {
    throw new AnankeError('UNSUPPORTED', `${name}: the model's pre-tokenizer '${vocab.pre}' (tokenizer.ggml.pre) is not one Ananke can reproduce exactly; supported: ${supportedPreTokenizers().join(', ')}`);
  }
  return pre;
}

/** The engine Tokenizer for a GGUF vocabulary (see the top of this file). */
export function ggufTokenizer(name: string, vocab: GgufVocab, opts: GgufTokenizerOptions = {}): Tokenizer {
  const pre = checkPreTokenizer(name, vocab);
  const attrOf = opts.attributes ?? ((id: number) => TYPE_ATTR[vocab.types[id]!] ?? TOKEN_ATTR.normal);
  const vocabObj: Record<string, number> = Object.create(null) as Record<string, number>;
  const added: Array<{ id: number; content: string; special: boolean; lstrip: boolean; rstrip: boolean; normalized: boolean; single_word: boolean }> = [];
  for (let id = 0; id < vocab.tokens.length; id++) {
    const text = vocab.tokens[id]!;
    const attr = attrOf(id);
    if (attr & (TOKEN_ATTR.control | TOKEN_ATTR.userDefined | TOKEN_ATTR.unused | TOKEN_ATTR.unknown)) {
      added.push({
        id, content: text,
        // Control, unused and unknown tokens are never produced by matching text; user-defined ones
        // (<think>, <tool_call>) are text that is always one token.
        special: (attr & TOKEN_ATTR.userDefined) === 0,
        lstrip: (attr & TOKEN_ATTR.lstrip) !== 0, rstrip: (attr & TOKEN_ATTR.rstrip) !== 0, normalized: false, single_word: false,
      });
    } else if (!(text in vocabObj)) {
      vocabObj[text] = id;
    }
  }
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: pre.pattern === undefined };
  const json = {
    model: { type: 'BPE', dropout: null, continuing_subword_prefix: null, end_of_word_suffix: null, ignore_merges: pre.ignoreMerges === true, vocab: vocabObj, merges: vocab.merges },
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: pre.pattern === undefined
      ? byteLevel
      : { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: pre.pattern }, behavior: 'Isolated', invert: false }, byteLevel] },
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
  };
  const eos = new Set<number>(opts.eog ?? []);
  if (vocab.eos !== undefined) eos.add(vocab.eos);
  const tok = tokenizerFromJson(name, json, undefined, { eos_token_id: [...eos] });
  if (tok.vocabSize !== vocab.tokens.length) {
    throw new AnankeError('PARSE', `${name}: the vocabulary has ${vocab.tokens.length} tokens but reads as ${tok.vocabSize} ids (duplicate or missing tokens)`);
  }
  return tok;
}

/**
 * The same tokenizer with another set of end-of-sequence ids (all of them special tokens), without
 * rebuilding it: the runtime decides which tokens end a generation only once the model is loaded.
 */
export function withEosTokens(tok: Tokenizer, eos: readonly number[]): Tokenizer {
  for (const id of eos) {
    if (!Number.isInteger(id) || id < 0 || id >= tok.vocabSize || tok.isSpecial[id] !== 1) {
      throw new AnankeError('INTERNAL', `${tok.name}: end-of-sequence id ${id} is not a special token of the vocabulary`);
    }
  }
  const ids = [...new Set(eos)].sort((a, b) => a - b);
  return {
    name: tok.name, vocabSize: tok.vocabSize, bytes: tok.bytes, offsets: tok.offsets, isSpecial: tok.isSpecial, eosTokens: ids,
    tokenBytes: (id) => tok.tokenBytes(id),
    specialId: (text) => tok.specialId(text),
    encode: (text, opts) => tok.encode(text, opts),
    decode: (list) => tok.decode(list),
  };
}
