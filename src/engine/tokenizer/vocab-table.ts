import { EngineError } from '../errors.ts';
import { CHAR_TO_BYTE } from './byte-unicode.ts';
import type { ScannedVocab } from './vocab-scan.ts';

/**
 * Reads the vocabulary of a Hugging Face tokenizer.json (already parsed) into flat arrays: the exact
 * bytes of every token id, which ids are special, and the ids of the added tokens by text.
 *
 * How a token string becomes bytes depends on the vocabulary kind:
 * - `byte-level` (GPT-2, Llama-3, Qwen2.5/3): each code point stands for one byte (byte-unicode.ts).
 * - `sentencepiece` (Llama-2, Mistral, Gemma): `<0xAB>` is the byte 0xAB (byte fallback); otherwise
 *   UTF-8 of the piece with the meta-space `▁` read as a space.
 * - `raw`: UTF-8 of the token string as written.
 * Added tokens (added_tokens[]) are matched on raw text by the tokenizer, so their bytes are the
 * UTF-8 of their `content` whatever the kind.
 */
export type VocabKind = 'byte-level' | 'sentencepiece' | 'raw';

export interface VocabTable {
  kind: VocabKind;
  vocabSize: number;
  bytes: Uint8Array;
  offsets: Uint32Array;
  isSpecial: Uint8Array;
  /** Added tokens (special or not) by content. */
  added: Map<string, number>;
  /** Ids of the requested names (`lookup` argument) found in the model vocabulary. */
  named: Map<string, number>;
}

/** Ids above this are refused: a typo'd id in added_tokens must not allocate gigabytes. */
const MAX_VOCAB_SIZE = 4_000_000;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The components of a normalizer / pre_tokenizer / decoder, flattening `Sequence`. */
function components(v: Json | undefined): JsonObject[] {
  if (!isObject(v)) return [];
  const inner = v['decoders'] ?? v['pretokenizers'] ?? v['normalizers'];
  if (v['type'] === 'Sequence' && Array.isArray(inner)) return inner.flatMap((c) => components(c));
  return [v];
}

function detectKind(json: JsonObject, model: JsonObject): { kind: VocabKind; metaspace: string } {
  const parts = [...components(json['decoder']), ...components(json['pre_tokenizer'])];
  if (parts.some((p) => p['type'] === 'ByteLevel')) return { kind: 'byte-level', metaspace: '▁' };
  let metaspace = '▁';
  let sp = model['byte_fallback'] === true || model['type'] === 'Unigram';
  for (const p of [...parts, ...components(json['normalizer'])]) {
    if (p['type'] === 'Metaspace' || p['type'] === 'ByteFallback') sp = true;
    if (p['type'] === 'Metaspace' && typeof p['replacement'] === 'string') metaspace = p['replacement'];
    if (p['type'] === 'Prepend' && p['prepend'] === '▁') sp = true;
    if (p['type'] === 'Replace' && (p['content'] === '▁' || p['content'] === ' ')) sp = true;
  }
  return { kind: sp ? 'sentencepiece' : 'raw', metaspace };
}

const utf8 = new TextEncoder();

/** Writes the bytes of one token string into out at pos; returns the new position. */
function writeToken(token: string, kind: VocabKind, metaspace: string, out: Uint8Array, pos: number): number {
  if (kind === 'byte-level') {
    const start = pos;
    for (let i = 0; i < token.length; i++) {
      const cp = token.charCodeAt(i);
      const b = cp < 324 ? CHAR_TO_BYTE[cp]! : -1;
      if (b < 0) {
        // Not byte-level encoded after all (a plain-text token in the model vocab): take its UTF-8.
        return start + utf8.encodeInto(token, out.subarray(start)).written;
      }
      out[pos++] = b;
    }
    return pos;
  }
  if (kind === 'sentencepiece') {
    if (token.length === 6 && token.startsWith('<0x') && token.endsWith('>')) {
      const b = parseInt(token.slice(3, 5), 16);
      if (!Number.isNaN(b)) {
        out[pos] = b;
        return pos + 1;
      }
    }
    if (token.includes(metaspace)) token = token.split(metaspace).join(' ');
  }
  return pos + utf8.encodeInto(token, out.subarray(pos)).written;
}

/** Transforms the raw UTF-8 bytes of a vocab key into token bytes (scanner path). */
function transformKey(src: Uint8Array, a: number, b: number, kind: VocabKind, meta: Uint8Array, out: Uint8Array, pos: number): number {
  if (kind === 'byte-level') {
    const start = pos;
    for (let i = a; i < b; i++) {
      const c = src[i]!;
      let cp: number;
      if (c < 0x80) cp = c;
      else if ((c & 0xe0) === 0xc0 && i + 1 < b) cp = ((c & 31) << 6) | (src[++i]! & 63);
      else cp = 0xffff; // 3- and 4-byte sequences stand for no byte
      const byte = cp < 324 ? CHAR_TO_BYTE[cp]! : -1;
      if (byte < 0) {
        out.set(src.subarray(a, b), start); // plain-text token: its UTF-8 as is
        return start + (b - a);
      }
      out[pos++] = byte;
    }
    return pos;
  }
  if (kind === 'sentencepiece') {
    if (b - a === 6 && src[a] === 0x3c && src[a + 1] === 0x30 && src[a + 2] === 0x78 && src[a + 5] === 0x3e) {
      const v = parseInt(String.fromCharCode(src[a + 3]!, src[a + 4]!), 16);
      if (!Number.isNaN(v)) {
        out[pos] = v;
        return pos + 1;
      }
    }
    for (let i = a; i < b; i++) {
      if (src[i] === meta[0] && i + meta.length <= b) {
        let k = 1;
        while (k < meta.length && src[i + k] === meta[k]) k++;
        if (k === meta.length) {
          out[pos++] = 0x20;
          i += meta.length - 1;
          continue;
        }
      }
      out[pos++] = src[i]!;
    }
    return pos;
  }
  out.set(src.subarray(a, b), pos);
  return pos + (b - a);
}

function sameBytes(src: Uint8Array, a: number, b: number, want: Uint8Array): boolean {
  if (b - a !== want.length) return false;
  for (let k = 0; k < want.length; k++) if (src[a + k] !== want[k]) return false;
  return true;
}

/**
 * `parsed` is the tokenizer.json object; when `scanned` is given (vocab-scan.ts), its model.vocab
 * is an empty stand-in and the entries come from the scan. `lookup` names are resolved against the
 * model vocabulary into `named` (for eos_token).
 */
export function readVocabTable(parsed: unknown, source: string, lookup: readonly string[] = [], scanned?: ScannedVocab): VocabTable {
  const json = parsed as Json;
  if (!isObject(json) || !isObject(json['model'])) {
    throw new EngineError('TOKENIZER', `${source}: not a Hugging Face tokenizer.json (no "model" object)`);
  }
  const model = json['model'];
  const type = model['type'];
  if (type === 'WordPiece') {
    throw new EngineError('TOKENIZER', `${source}: WordPiece vocabularies (BERT-style "##" pieces) are not supported; use a BPE, Unigram or WordLevel tokenizer.json`);
  }
  const { kind, metaspace } = detectKind(json, model);
  const badId = (tok: string, id: Json | undefined) =>
    new EngineError('TOKENIZER', `${source}: token ${JSON.stringify(tok)} has an invalid id ${JSON.stringify(id)}`);

  // Model vocabulary → token bytes in a scratch buffer, located per id by modelStart/modelLen.
  const named = new Map<string, number>();
  let modelSize = 0;
  let scratch: Uint8Array;
  let modelStart: Uint32Array;
  let modelLen: Int32Array; // -1: no model token with this id
  let scratchLen = 0;
  const vocab = model['vocab'];
  if (scanned) {
    for (let k = 0; k < scanned.count; k++) {
      const id = scanned.ids[k]!;
      if (id >= MAX_VOCAB_SIZE) throw badId(new TextDecoder().decode(scanned.keyBytes.subarray(scanned.keyStart[k]!, scanned.keyStart[k + 1]!)), id);
      if (id + 1 > modelSize) modelSize = id + 1;
    }
    scratch = new Uint8Array(scanned.keyBytes.length);
    modelStart = new Uint32Array(modelSize);
    modelLen = new Int32Array(modelSize).fill(-1);
    const meta = utf8.encode(metaspace);
    const src = scanned.keyBytes;
    const wanted = lookup.map((n) => utf8.encode(n));
    for (let k = 0; k < scanned.count; k++) {
      const id = scanned.ids[k]!;
      const a = scanned.keyStart[k]!;
      const b = scanned.keyStart[k + 1]!;
      modelStart[id] = scratchLen;
      scratchLen = transformKey(src, a, b, kind, meta, scratch, scratchLen);
      modelLen[id] = scratchLen - modelStart[id]!;
      for (let w = 0; w < wanted.length; w++) if (sameBytes(src, a, b, wanted[w]!)) named.set(lookup[w]!, id);
    }
  } else {
    const strings: (string | undefined)[] = [];
    if (Array.isArray(vocab)) {
      // Unigram: [[piece, score], ...], id = index.
      if (vocab.length > MAX_VOCAB_SIZE) throw badId('', vocab.length);
      for (let i = 0; i < vocab.length; i++) {
        const entry = vocab[i];
        const piece = Array.isArray(entry) ? entry[0] : undefined;
        if (typeof piece !== 'string') throw new EngineError('TOKENIZER', `${source}: model.vocab[${i}] is not a [piece, score] pair`);
        strings[i] = piece;
      }
      for (const name of lookup) {
        const i = strings.indexOf(name);
        if (i >= 0) named.set(name, i);
      }
    } else if (isObject(vocab)) {
      const keys = Object.keys(vocab);
      for (let i = 0; i < keys.length; i++) {
        const tok = keys[i]!;
        const id = vocab[tok];
        if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= MAX_VOCAB_SIZE) throw badId(tok, id);
        strings[id] = tok;
      }
      for (const name of lookup) {
        const id = vocab[name];
        if (typeof id === 'number' && Object.hasOwn(vocab, name)) named.set(name, id);
      }
    } else {
      throw new EngineError('TOKENIZER', `${source}: model.vocab is missing`);
    }
    modelSize = strings.length;
    let bound = 0;
    for (let id = 0; id < modelSize; id++) bound += (strings[id]?.length ?? 0) * 3;
    scratch = new Uint8Array(bound);
    modelStart = new Uint32Array(modelSize);
    modelLen = new Int32Array(modelSize).fill(-1);
    for (let id = 0; id < modelSize; id++) {
      const tok = strings[id];
      if (tok === undefined) continue;
      modelStart[id] = scratchLen;
      scratchLen = writeToken(tok, kind, metaspace, scratch, scratchLen);
      modelLen[id] = scratchLen - modelStart[id]!;
    }
  }

  const addedTokens = json['added_tokens'];
  const added = new Map<string, number>();
  const addedById = new Map<number, { content: string; special: boolean }>();
  if (Array.isArray(addedTokens)) {
    for (const at of addedTokens) {
      if (!isObject(at) || typeof at['content'] !== 'string') {
        throw new EngineError('TOKENIZER', `${source}: an entry of added_tokens has no "content"`);
      }
      const id = at['id'];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= MAX_VOCAB_SIZE) {
        throw new EngineError('TOKENIZER', `${source}: added token ${JSON.stringify(at['content'])} has an invalid id`);
      }
      added.set(at['content'], id);
      addedById.set(id, { content: at['content'], special: at['special'] === true });
    }
  }
  let vocabSize = modelSize;
  for (const id of addedById.keys()) vocabSize = Math.max(vocabSize, id + 1);
  if (vocabSize === 0) throw new EngineError('TOKENIZER', `${source}: the vocabulary is empty`);

  let bound = scratchLen;
  for (const [content] of added) bound += content.length * 3;
  const buf = new Uint8Array(bound);
  const offsets = new Uint32Array(vocabSize + 1);
  const isSpecial = new Uint8Array(vocabSize);
  let pos = 0;
  for (let id = 0; id < vocabSize; id++) {
    offsets[id] = pos;
    const at = addedById.get(id);
    if (at !== undefined) {
      pos += utf8.encodeInto(at.content, buf.subarray(pos)).written;
      if (at.special) isSpecial[id] = 1;
      continue;
    }
    const len = id < modelSize ? modelLen[id]! : -1;
    if (len < 0) {
      // An id with no token (a hole in the numbering): it can never be produced by text.
      isSpecial[id] = 1;
      continue;
    }
    buf.set(scratch.subarray(modelStart[id]!, modelStart[id]! + len), pos);
    pos += len;
  }
  offsets[vocabSize] = pos;

  return { kind, vocabSize, bytes: buf.slice(0, pos), offsets, isSpecial, added, named };
}
