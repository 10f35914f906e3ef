/**
 * Fast path for reading a tokenizer.json: the `model.vocab` object (150k string keys) dominates
 * load time when it goes through UTF-8 decoding and JSON.parse (≈300 ms for Qwen3), and the
 * `model.merges` array is not needed for the vocabulary at all. This scanner reads the vocab
 * entries straight from the file's bytes into (unescaped UTF-8 bytes, id) pairs and cuts both the
 * vocab and the merges out of the text handed to JSON.parse.
 *
 * It returns undefined when the file does not have the expected shape (a vocab object with integer
 * ids); the caller then falls back to a plain JSON.parse of the whole file.
 */

export interface ScannedVocab {
  /** The file's JSON with model.vocab replaced by `{}` and model.merges by `[]`. */
  rest: string;
  /** Unescaped UTF-8 bytes of every vocab key, in file order. */
  keyBytes: Uint8Array;
  /** keyStart[k] .. keyStart[k + 1]: bytes of entry k. */
  keyStart: Uint32Array;
  ids: Int32Array;
  count: number;
}

const Q = 0x22; // "
const BS = 0x5c; // \

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index just past the string starting at buf[i] === '"'. */
function skipString(buf: Uint8Array, i: number): number {
  for (;;) {
    const q = buf.indexOf(Q, i + 1); // native search for the next quote
    if (q < 0) return -1;
    let k = q - 1;
    while (buf[k] === BS) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1; // an even run of backslashes: the quote is not escaped
    i = q;
  }
}

/** Index just past the JSON value (object or array) opening at buf[i]. */
function skipContainer(buf: Uint8Array, i: number): number {
  let depth = 0;
  while (i < buf.length) {
    const c = buf[i]!;
    if (c === Q) {
      i = skipString(buf, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
    i++;
  }
  return -1;
}

/** Position of the value ('{' or '[' as asked) of the first `"key": ` so followed, or -1. */
function findKeyValue(buf: Buffer, key: string, open: number): number {
  const pat = Buffer.from(`"${key}"`);
  for (let at = buf.indexOf(pat); at >= 0; at = buf.indexOf(pat, at + 1)) {
    let i = at + pat.length;
    while (i < buf.length && isWs(buf[i]!)) i++;
    if (buf[i] !== 0x3a) continue;
    i++;
    while (i < buf.length && isWs(buf[i]!)) i++;
    if (buf[i] === open) return i;
  }
  return -1;
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Writes the UTF-8 of code point cp at out[pos]; returns the new position. */
function putUtf8(out: Uint8Array, pos: number, cp: number): number {
  if (cp < 0x80) out[pos++] = cp;
  else if (cp < 0x800) {
    out[pos++] = 0xc0 | (cp >> 6);
    out[pos++] = 0x80 | (cp & 63);
  } else if (cp < 0x10000) {
    out[pos++] = 0xe0 | (cp >> 12);
    out[pos++] = 0x80 | ((cp >> 6) & 63);
    out[pos++] = 0x80 | (cp & 63);
  } else {
    out[pos++] = 0xf0 | (cp >> 18);
    out[pos++] = 0x80 | ((cp >> 12) & 63);
    out[pos++] = 0x80 | ((cp >> 6) & 63);
    out[pos++] = 0x80 | (cp & 63);
  }
  return pos;
}

export function scanVocab(file: Buffer): ScannedVocab | undefined {
  // A plain Uint8Array view: indexed reads on it are faster than on the Buffer subclass.
  const buf = new Uint8Array(file.buffer, file.byteOffset, file.length);
  const vStart = findKeyValue(file, 'vocab', 0x7b);
  if (vStart < 0) return undefined;
  const vEnd = skipContainer(buf, vStart);
  if (vEnd < 0) return undefined;
  const mStart = findKeyValue(file, 'merges', 0x5b);
  const mEnd = mStart >= 0 ? skipContainer(buf, mStart) : -1;

  // Entries: "key" ws : ws integer ws (, | })
  const keyBytes = new Uint8Array(vEnd - vStart);
  const starts: number[] = [0];
  const ids: number[] = [];
  let out = 0;
  let i = vStart + 1;
  for (;;) {
    while (isWs(buf[i]!)) i++;
    if (buf[i] === 0x7d) break;
    if (buf[i] !== Q) return undefined;
    // Key string, unescaped into keyBytes.
    for (i++; ; i++) {
      if (i >= vEnd) return undefined;
      const c = buf[i]!;
      if (c === Q) break;
      if (c !== BS) {
        keyBytes[out++] = c;
        continue;
      }
      const e = buf[++i]!;
      if (e === 0x75 /* u */) {
        let cp = 0;
        for (let k = 1; k <= 4; k++) {
          const h = hex(buf[i + k]!);
          if (h < 0) return undefined;
          cp = cp * 16 + h;
        }
        i += 4;
        if (cp >= 0xd800 && cp < 0xdc00 && buf[i + 1] === BS && buf[i + 2] === 0x75) {
          let lo = 0;
          for (let k = 3; k <= 6; k++) {
            const h = hex(buf[i + k]!);
            if (h < 0) return undefined;
            lo = lo * 16 + h;
          }
          if (lo >= 0xdc00 && lo < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i += 6;
          }
        }
        out = putUtf8(keyBytes, out, cp);
      } else {
        const map =
          e === 0x6e ? 0x0a : e === 0x74 ? 0x09 : e === 0x72 ? 0x0d : e === 0x62 ? 0x08 : e === 0x66 ? 0x0c : e;
        keyBytes[out++] = map; // \" \\ \/ map to themselves
      }
    }
    i++;
    while (isWs(buf[i]!)) i++;
    if (buf[i] !== 0x3a) return undefined;
    i++;
    while (isWs(buf[i]!)) i++;
    let id = 0;
    const d0 = i;
    while (buf[i]! >= 0x30 && buf[i]! <= 0x39) id = id * 10 + (buf[i++]! - 0x30);
    if (i === d0) return undefined;
    ids.push(id);
    starts.push(out);
    while (isWs(buf[i]!)) i++;
    if (buf[i] === 0x2c) i++;
    else if (buf[i] !== 0x7d) return undefined;
  }

  let rest: string;
  if (mStart > vEnd && mEnd > 0) {
    rest = file.toString('utf8', 0, vStart) + '{}' + file.toString('utf8', vEnd, mStart) + '[]' + file.toString('utf8', mEnd);
  } else if (mStart >= 0 && mEnd > 0 && mEnd < vStart) {
    rest = file.toString('utf8', 0, mStart) + '[]' + file.toString('utf8', mEnd, vStart) + '{}' + file.toString('utf8', vEnd);
  } else {
    rest = file.toString('utf8', 0, vStart) + '{}' + file.toString('utf8', vEnd);
  }
  return { rest, keyBytes, keyStart: Uint32Array.from(starts), ids: Int32Array.from(ids), count: ids.length };
}
