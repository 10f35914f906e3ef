import { BYTE_TO_CHAR } from './byte-unicode.ts';
import { MergeTable } from './merge-table.ts';
import type { IdEncoder } from './reference-encoder.ts';

/**
 * Our own encoder for byte-level BPE tokenizers (GPT-2, Llama-3, Qwen2.5/3), ~4× faster to build
 * and several times faster to run than the reference port: the merge table is keyed by pairs of
 * token ids (a MergeTable), pieces are cached, and long pieces merge through a heap (O(n log n),
 * so a megabyte of spaces cannot stall it).
 *
 * Supported shape (anything else returns undefined and the caller uses the reference encoder):
 * model BPE without subword prefixes/suffixes or dropout; normalizer none or NFC; pre-tokenizer a
 * `Split` regex (behavior Isolated) followed by `ByteLevel` without its own regex, or a lone
 * `ByteLevel` with the GPT-2 regex; no prefix space; added tokens without lstrip/rstrip/single_word.
 *
 * Semantics follow the reference (Hugging Face `tokenizers`): added tokens are split out first
 * (leftmost, longest; only those that are not special when special tokens are plain text, as with the
 * reference's `split_special_tokens`), the rest is normalized, split by the regex into pieces (matches and the gaps
 * between them), each piece's UTF-8 bytes become byte-level symbols, and the lowest-ranked adjacent
 * pair is merged repeatedly (leftmost first among equal ranks). With `ignore_merges`, a piece that
 * is itself a vocabulary entry is emitted whole.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Oniguruma's \s (Unicode White_Space), which differs from JS's \s (U+0085 in, U+FEFF out). */
const WS = '\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** The GPT-2 pre-tokenizer regex, used by `ByteLevel` with use_regex. */
const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/**
 * Translates a tokenizer's Oniguruma pattern into a JS regex (flags gu): `(?i:…)` groups of plain
 * text become per-letter classes, `\s`/`\S` become White_Space classes. Undefined when the
 * pattern uses something this translation does not cover.
 */
export function translatePattern(pattern: string): RegExp | undefined {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) return undefined;
      if (e === 's') out += inClass ? WS : `[${WS}]`;
      else if (e === 'S') {
        if (inClass) return undefined;
        out += `[^${WS}]`;
      } else if (e === 'p' || e === 'P') {
        const close = pattern.indexOf('}', i);
        if (pattern[i + 2] !== '{' || close < 0) return undefined;
        out += pattern.slice(i, close + 1);
        i = close;
        continue;
      } else out += c + e;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[') return undefined; // nested classes / set operations
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      continue;
    }
    if (pattern.startsWith('(?i:', i)) {
      const close = pattern.indexOf(')', i);
      const body = pattern.slice(i + 4, close);
      if (close < 0 || /[\\[\](]/.test(body)) return undefined;
      out += '(?:' + body.replace(/[a-zA-Z]/g, (l) => `[${l.toLowerCase()}${l.toUpperCase()}]`) + ')';
      i = close;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?' && !(pattern[i + 2] === ':' || pattern[i + 2] === '=' || pattern[i + 2] === '!')) {
      return undefined; // other inline flags, atomic groups, lookbehind
    }
    out += c;
  }
  try {
    return new RegExp(out, 'gu');
  } catch {
    return undefined;
  }
}

function components(v: Json | undefined, key: string): JsonObject[] | undefined {
  if (v === null || v === undefined) return [];
  if (!isObject(v)) return undefined;
  if (v['type'] === 'Sequence') {
    const inner = v[key];
    if (!Array.isArray(inner)) return undefined;
    const out: JsonObject[] = [];
    for (const c of inner) {
      const sub = components(c, key);
      if (!sub) return undefined;
      out.push(...sub);
    }
    return out;
  }
  return [v];
}

/** Ids and ranks stay below 2^21, so a heap key rank · 2^32 + position is an exact double. */
const PAIR = 2 ** 21;
/** Piece cache entries before the cache is cleared (bounds memory on long varied inputs). */
const PIECE_CACHE_LIMIT = 50_000;

export function createByteLevelBpeEncoder(parsed: unknown): IdEncoder | undefined {
  const json = parsed as Json;
  if (!isObject(json) || !isObject(json['model'])) return undefined;
  const model = json['model'];
  if (model['type'] !== 'BPE' || (model['dropout'] ?? null) !== null) return undefined;
  if (model['continuing_subword_prefix'] || model['end_of_word_suffix']) return undefined;
  const ignoreMerges = model['ignore_merges'] === true;

  const norms = components(json['normalizer'], 'normalizers');
  if (!norms || !norms.every((n) => n['type'] === 'NFC')) return undefined;
  const nfc = norms.length > 0;

  const pres = components(json['pre_tokenizer'], 'pretokenizers');
  if (!pres) return undefined;
  let regex: RegExp | undefined;
  const last = pres[pres.length - 1];
  if (!last || last['type'] !== 'ByteLevel' || last['add_prefix_space'] === true) return undefined;
  if (pres.length === 1 && last['use_regex'] !== false) regex = translatePattern(GPT2_PATTERN);
  else if (pres.length === 2 && last['use_regex'] === false) {
    const split = pres[0]!;
    const pat = isObject(split['pattern']) ? split['pattern']['Regex'] : undefined;
    if (split['type'] !== 'Split' || split['behavior'] !== 'Isolated' || split['invert'] === true || typeof pat !== 'string') return undefined;
    regex = translatePattern(pat);
  }
  if (!regex) return undefined;

  // Vocabulary (byte-level strings) and merges as id pairs.
  const vocabObj = model['vocab'];
  if (!isObject(vocabObj)) return undefined;
  const vocab = new Map<string, number>();
  for (const k of Object.keys(vocabObj)) {
    const id = vocabObj[k];
    if (typeof id !== 'number' || id < 0 || id >= PAIR) return undefined;
    vocab.set(k, id);
  }
  const byteId = new Int32Array(256);
  for (let b = 0; b < 256; b++) {
    const id = vocab.get(String.fromCharCode(BYTE_TO_CHAR[b]!));
    if (id === undefined) return undefined;
    byteId[b] = id;
  }
  const mergesJson = model['merges'];
  if (!Array.isArray(mergesJson) || mergesJson.length >= PAIR) return undefined;
  const merges = new MergeTable(mergesJson.length);
  for (let rank = 0; rank < mergesJson.length; rank++) {
    const m = mergesJson[rank];
    let a: Json | undefined;
    let b: Json | undefined;
    if (typeof m === 'string') {
      const sp = m.indexOf(' ');
      a = m.slice(0, sp);
      b = m.slice(sp + 1);
    } else if (Array.isArray(m)) [a, b] = m;
    if (typeof a !== 'string' || typeof b !== 'string') return undefined;
    const ia = vocab.get(a);
    const ib = vocab.get(b);
    const im = vocab.get(a + b);
    if (ia === undefined || ib === undefined || im === undefined) continue; // unusable merge
    merges.add(ia, ib, rank, im);
  }

  // Added tokens, split out before the regex. Read as plain text (split_special_tokens), only those
  // that are not special are.
  const addedJson = json['added_tokens'];
  const added = new Map<string, number>();
  const special = new Set<string>();
  if (Array.isArray(addedJson)) {
    for (const at of addedJson) {
      if (!isObject(at) || typeof at['content'] !== 'string' || typeof at['id'] !== 'number') return undefined;
      if (at['lstrip'] === true || at['rstrip'] === true || at['single_word'] === true) return undefined;
      if (at['normalized'] === true && nfc && at['content'] !== at['content'].normalize('NFC')) return undefined;
      if (at['content'].length > 0) added.set(at['content'], at['id']);
      if (at['special'] === true) special.add(at['content']);
    }
  }
  const addedRe = alternation([...added.keys()]);
  const plainAddedRe = alternation([...added.keys()].filter((t) => !special.has(t)));

  const cache = new Map<string, number[]>();
  const utf8 = new TextEncoder();
  // Scratch for merging, grown on demand.
  let sym = new Int32Array(64);
  let nxt = new Int32Array(64);
  let prv = new Int32Array(64);
  let heap = new Float64Array(64);

  function bpe(piece: string, out: number[]): void {
    const hit = cache.get(piece);
    if (hit) {
      for (let k = 0; k < hit.length; k++) out.push(hit[k]!);
      return;
    }
    const bytes = utf8.encode(piece);
    const n = bytes.length;
    const result: number[] = [];
    let whole: number | undefined;
    if (ignoreMerges) {
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(BYTE_TO_CHAR[bytes[i]!]!);
      whole = vocab.get(s);
    }
    if (whole !== undefined) result.push(whole);
    else if (n === 1) result.push(byteId[bytes[0]!]!);
    else {
      if (sym.length < n) {
        sym = new Int32Array(n * 2);
        nxt = new Int32Array(n * 2);
        prv = new Int32Array(n * 2);
        heap = new Float64Array(n * 2);
      }
      for (let i = 0; i < n; i++) {
        sym[i] = byteId[bytes[i]!]!;
        nxt[i] = i + 1 < n ? i + 1 : -1;
        prv[i] = i - 1;
      }
      // Min-heap of candidate merges keyed rank * 2^32 + left position (leftmost among equal ranks).
      let size = 0;
      const push = (key: number) => {
        let i = size++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (heap[p]! <= key) break;
          heap[i] = heap[p]!;
          i = p;
        }
        heap[i] = key;
      };
      const pop = (): number => {
        const top = heap[0]!;
        const lastKey = heap[--size]!;
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= size) break;
          if (c + 1 < size && heap[c + 1]! < heap[c]!) c++;
          if (heap[c]! >= lastKey) break;
          heap[i] = heap[c]!;
          i = c;
        }
        heap[i] = lastKey;
        return top;
      };
      const consider = (i: number) => {
        const j = nxt[i]!;
        if (j < 0) return;
        const m = merges.find(sym[i]!, sym[j]!);
        if (m >= 0) push(merges.rank[m]! * 4294967296 + i);
      };
      for (let i = 0; i + 1 < n; i++) consider(i);
      while (size > 0) {
        const key = pop();
        const i = key % 4294967296;
        const rank = Math.floor(key / 4294967296);
        if (sym[i]! < 0) continue; // removed
        const j = nxt[i]!;
        if (j < 0) continue;
        const m = merges.find(sym[i]!, sym[j]!);
        if (m < 0 || merges.rank[m] !== rank) continue; // stale
        sym[i] = merges.merged[m]!;
        sym[j] = -1;
        const k = nxt[j]!;
        nxt[i] = k;
        if (k >= 0) prv[k] = i;
        if (prv[i]! >= 0) consider(prv[i]!);
        consider(i);
      }
      for (let i = 0; i >= 0; i = nxt[i]!) result.push(sym[i]!);
    }
    if (cache.size >= PIECE_CACHE_LIMIT) cache.clear();
    cache.set(piece, result);
    for (let k = 0; k < result.length; k++) out.push(result[k]!);
  }

  function encodeSegment(text: string, out: number[]): void {
    if (text.length === 0) return;
    if (nfc) text = text.normalize('NFC');
    const re = regex!;
    re.lastIndex = 0;
    let pos = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      if (m.index > pos) bpe(text.slice(pos, m.index), out);
      bpe(m[0], out);
      pos = m.index + m[0].length;
    }
    if (pos < text.length) bpe(text.slice(pos), out);
  }

  return {
    encode(text: string, specialTokens: boolean): number[] {
      const out: number[] = [];
      const re = specialTokens ? addedRe : plainAddedRe;
      if (!re) {
        encodeSegment(text, out);
        return out;
      }
      re.lastIndex = 0;
      let pos = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        encodeSegment(text.slice(pos, m.index), out);
        out.push(added.get(m[0])!);
        pos = m.index + m[0].length;
      }
      encodeSegment(text.slice(pos), out);
      return out;
    },
  };
}

/** One alternation of the added tokens' texts, longest first, so the leftmost match is also the longest. */
function alternation(texts: string[]): RegExp | undefined {
  if (texts.length === 0) return undefined;
  return new RegExp(texts.sort((x, y) => y.length - x.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}
