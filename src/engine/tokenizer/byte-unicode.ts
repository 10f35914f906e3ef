/**
 * The GPT-2 byte ↔ unicode table used by byte-level BPE vocabularies (GPT-2, Llama-3, Qwen2.5/3):
 * every byte is written as one printable code point in tokenizer.json, so a token string maps back
 * to its exact bytes one code point at a time.
 *
 * Printable bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves; the other 68 bytes are
 * given the code points 256, 257, … in byte order.
 */

/** BYTE_TO_CHAR[b] is the code point that stands for byte b. */
export const BYTE_TO_CHAR: Uint16Array = (() => {
  const table = new Uint16Array(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = printable ? b : next++;
  }
  return table;
})();

/** CHAR_TO_BYTE[cp] is the byte for code point cp (cp < 324), or -1 when cp stands for no byte. */
export const CHAR_TO_BYTE: Int16Array = (() => {
  const table = new Int16Array(324).fill(-1);
  for (let b = 0; b < 256; b++) table[BYTE_TO_CHAR[b]!] = b;
  return table;
})();

/**
 * Bytes of a byte-level token string, or undefined when some code point stands for no byte (then
 * the string is not byte-level encoded, e.g. an added token written as plain text).
 */
export function byteLevelDecode(token: string): Uint8Array | undefined {
  const out = new Uint8Array(token.length);
  for (let i = 0; i < token.length; i++) {
    const cp = token.charCodeAt(i);
    const b = cp < 324 ? CHAR_TO_BYTE[cp]! : -1;
    if (b < 0) return undefined;
    out[i] = b;
  }
  return out;
}

/** The byte-level string for raw bytes (inverse of byteLevelDecode). */
export function byteLevelEncode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(BYTE_TO_CHAR[bytes[i]!]!);
  return s;
}
