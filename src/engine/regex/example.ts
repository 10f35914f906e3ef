import type { Regex } from './ast.ts';

/**
 * A short string a regex matches, read off its tree in one pass: each repetition at its minimum,
 * the first alternative that has a string, and from each character class a readable character
 * (a lowercase letter, then an uppercase one, a digit, printable ASCII, anything else). Not the
 * shortest (regex/witness.ts decides that exactly, on derivatives, in milliseconds); this costs
 * microseconds. Undefined for what one pass cannot read: intersections, complements (lookaheads),
 * raw bytes, or a string longer than `maxLength` characters. For a pattern the caller should still
 * test the string against it (the compile-time prewalk does, with JavaScript's RegExp).
 */
export function regexExample(re: Regex, maxLength = 64): string | undefined {
  const out: string[] = [];
  let length = 0;
  const write = (r: Regex): boolean => {
    switch (r.kind) {
      case 'empty':
        return true;
      case 'never':
      case 'bytes':
      case 'and':
      case 'not':
        return false;
      case 'chars': {
        const cp = readableIn(r.ranges);
        if (cp === undefined || ++length > maxLength) return false;
        out.push(String.fromCodePoint(cp));
        return true;
      }
      case 'concat':
        return r.items.every(write);
      case 'alt':
        for (const item of r.items) {
          const mark = out.length;
          const before = length;
          if (write(item)) return true;
          out.length = mark;
          length = before;
        }
        return false;
      case 'repeat':
        for (let i = 0; i < r.min; i++) if (!write(r.item)) return false;
        return true;
    }
  };
  return write(re) ? out.join('') : undefined;
}

/** Code point ranges in the order a readable character is looked for. */
const PREFERRED: ReadonlyArray<readonly [number, number]> = [
  [0x61, 0x7a],
  [0x41, 0x5a],
  [0x30, 0x39],
  [0x21, 0x7e],
  [0x20, 0x20],
];

/**
 * The first preferred code point in the (sorted, disjoint) ranges, `"` and `\` passed over while
 * another is there (JSON escapes them); else a range's first that is not a control character or a
 * surrogate.
 */
function readableIn(ranges: ReadonlyArray<readonly [number, number]>): number | undefined {
  for (const [plo, phi] of PREFERRED) {
    for (const [lo, hi] of ranges) {
      for (let cp = Math.max(lo, plo), end = Math.min(hi, phi); cp <= end; cp++) if (cp !== 0x22 && cp !== 0x5c) return cp;
    }
  }
  for (const [lo, hi] of ranges) {
    // `"` or `\` alone, or a character outside ASCII.
    const from = lo === 0x22 || lo === 0x5c ? lo : Math.max(lo, 0xa0);
    if (from <= hi) return from >= 0xd800 && from <= 0xdfff ? (hi > 0xdfff ? 0xe000 : undefined) : from;
  }
  return undefined;
}
