/**
 * Code point ranges → UTF-8 byte-range sequences. A sequence [[0xE1,0xEC],[0x80,0xBF],[0x80,0xBF]]
 * matches every 3-byte encoding whose first byte is in E1..EC and whose continuation bytes are in
 * 80..BF. The sequences for one range are disjoint and together match exactly the UTF-8 encodings
 * of its code points (surrogates D800..DFFF are skipped: they have no valid UTF-8 encoding).
 */
export type ByteRange = readonly [number, number];
export type ByteSequence = readonly ByteRange[];

const MAX_CP = 0x10ffff;

/** UTF-8 byte sequences for a list of inclusive code point ranges. */
export function utf8Sequences(ranges: ReadonlyArray<readonly [number, number]>): ByteSequence[] {
  const out: ByteSequence[] = [];
  for (const [lo, hi] of ranges) {
    const s = Math.max(0, lo);
    const e = Math.min(MAX_CP, hi);
    if (s > e) continue;
    // Skip surrogates.
    if (s <= 0xd7ff) splitRange(s, Math.min(e, 0xd7ff), out);
    if (e >= 0xe000) splitRange(Math.max(s, 0xe000), e, out);
  }
  return out;
}

/** Largest code point encoded with 1, 2, 3 bytes. */
const LENGTH_BOUNDS = [0x7f, 0x7ff, 0xffff];

function splitRange(s: number, e: number, out: ByteSequence[]): void {
  if (s > e) return;
  // Same encoded length on both ends.
  for (const bound of LENGTH_BOUNDS) {
    if (s <= bound && e > bound) {
      splitRange(s, bound, out);
      splitRange(bound + 1, e, out);
      return;
    }
  }
  const n = encodedLength(s);
  if (n === 1) {
    out.push([[s, e]]);
    return;
  }
  // Split until every trailing group of 6 bits spans its full range (00..3F) or is fixed, so the
  // range is a product of byte ranges.
  for (let i = 1; i < n; i++) {
    const m = (1 << (6 * i)) - 1;
    if ((s & ~m) !== (e & ~m)) {
      if ((s & m) !== 0) {
        splitRange(s, s | m, out);
        splitRange((s | m) + 1, e, out);
        return;
      }
      if ((e & m) !== m) {
        splitRange(s, (e & ~m) - 1, out);
        splitRange(e & ~m, e, out);
        return;
      }
    }
  }
  const a = encodeCodePoint(s);
  const b = encodeCodePoint(e);
  const seq: ByteRange[] = [];
  for (let i = 0; i < n; i++) seq.push([a[i]!, b[i]!]);
  out.push(seq);
}

function encodedLength(cp: number): number {
  return cp <= 0x7f ? 1 : cp <= 0x7ff ? 2 : cp <= 0xffff ? 3 : 4;
}

/** UTF-8 bytes of one code point (surrogates are encoded as-is; callers skip them). */
export function encodeCodePoint(cp: number): number[] {
  if (cp <= 0x7f) return [cp];
  if (cp <= 0x7ff) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp <= 0xffff) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}
