import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { utf8Sequences, encodeCodePoint } from '../../src/engine/regex/utf8.ts';
import type { ByteSequence } from '../../src/engine/regex/utf8.ts';

const enc = new TextEncoder();

function seqMatches(seq: ByteSequence, bytes: Uint8Array | number[]): boolean {
  if (seq.length !== bytes.length) return false;
  for (let i = 0; i < seq.length; i++) if (bytes[i]! < seq[i]![0] || bytes[i]! > seq[i]![1]) return false;
  return true;
}

function countMatches(seqs: ByteSequence[], bytes: Uint8Array | number[]): number {
  let n = 0;
  for (const s of seqs) if (seqMatches(s, bytes)) n++;
  return n;
}

const isSurrogate = (cp: number) => cp >= 0xd800 && cp <= 0xdfff;

test('encodeCodePoint agrees with TextEncoder on every length boundary', () => {
  for (const cp of [0, 0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff]) {
    assert.deepEqual(encodeCodePoint(cp), [...enc.encode(String.fromCodePoint(cp))], `U+${cp.toString(16)}`);
  }
});

test('the full range splits into the canonical UTF-8 well-formed byte sequences', () => {
  const seqs = utf8Sequences([[0, 0x10ffff]]);
  const shown = seqs.map((s) => s.map(([a, b]) => (a === b ? a.toString(16) : `${a.toString(16)}-${b.toString(16)}`)).join(' '));
  assert.deepEqual(shown, [
    '0-7f',
    'c2-df 80-bf',
    'e0 a0-bf 80-bf',
    'e1-ec 80-bf 80-bf',
    'ed 80-9f 80-bf',
    'ee-ef 80-bf 80-bf',
    'f0 90-bf 80-bf 80-bf',
    'f1-f3 80-bf 80-bf 80-bf',
    'f4 80-8f 80-bf 80-bf',
  ]);
});

test('a code point is matched by exactly one sequence iff it is in the ranges (surrogates never)', () => {
  const cpArb = fc.oneof(
    fc.integer({ min: 0, max: 0x10ffff }),
    fc.integer({ min: 0, max: 0x7ff }),
    fc.constantFrom(0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xd800, 0xdfff, 0xe000, 0xffff, 0x10000, 0x10ffff),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(cpArb, cpArb), { minLength: 1, maxLength: 4 }), fc.array(cpArb, { minLength: 1, maxLength: 20 }), (pairs, probes) => {
      const ranges = pairs.map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]);
      const seqs = utf8Sequences(ranges);
      // Probe the range ends too.
      const all = [...probes, ...ranges.flat()];
      for (const cp of all) {
        if (isSurrogate(cp)) continue;
        const inRanges = ranges.some(([a, b]) => cp >= a && cp <= b);
        const n = countMatches(seqs, encodeCodePoint(cp));
        if (inRanges) assert.ok(n >= 1, `U+${cp.toString(16)} should be matched`);
        else assert.equal(n, 0, `U+${cp.toString(16)} should not be matched`);
      }
      // Every sequence only matches well-formed UTF-8 (decode its low and high corners).
      for (const s of seqs) {
        for (const corner of [s.map((r) => r[0]), s.map((r) => r[1])]) {
          const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(corner));
          assert.equal([...text].length, 1);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('sequences of one range are disjoint', () => {
  const seqs = utf8Sequences([[0x20, 0x10fff0]]);
  for (let cp = 0; cp <= 0x10ffff; cp += 97) {
    if (isSurrogate(cp)) continue;
    const n = countMatches(seqs, encodeCodePoint(cp));
    assert.equal(n, cp >= 0x20 && cp <= 0x10fff0 ? 1 : 0, `U+${cp.toString(16)}`);
  }
});

test('a surrogate-only range has no sequences', () => {
  assert.deepEqual(utf8Sequences([[0xd800, 0xdfff]]), []);
});
