import { EngineError } from '../errors.ts';
import type { Regex } from '../regex/ast.ts';
import { literal } from '../regex/ast.ts';

/**
 * JSON string lexemes from regexes over the string's characters (code points).
 *
 * In a constrained string a character is written literally, except `"`, `\` and control
 * characters U+0000–U+001F, which take their short escapes (`\"` `\\` `\b` `\f` `\n` `\r` `\t`)
 * or `\u00XX` (either hex case). Non-ASCII characters may also be written `\uXXXX` (a surrogate
 * pair beyond the BMP; either hex case), as Python's json.dumps does by default, and `/` as `\/`
 * (PHP's json_encode). `\uXXXX` for the other ASCII characters is refused in constrained strings:
 * that rejects rare valid spellings, never accepts an invalid string. The spellings form a prefix
 * code, so the mapping commutes with concatenation, alternation, repetition and intersection;
 * complement is taken within the image of all strings.
 */

export const MAX_CP = 0x10ffff;
/** Any Unicode scalar value (surrogates excluded: they cannot be written in UTF-8). */
export const ANY_CHAR: Regex = { kind: 'chars', ranges: [[0, 0xd7ff], [0xe000, MAX_CP]] };
export const ANY_CHARS: Regex = { kind: 'repeat', item: ANY_CHAR, min: 0, max: Infinity };

const SHORT: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

const HEX_ANY: Regex = { kind: 'chars', ranges: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]] };

/** `\u00XX` for a control character, either hex case for the last digit. */
function unicodeControl(cp: number): Regex {
  const hi = cp >> 4;
  const lo = cp & 15;
  const loSet: Regex = lo < 10 ? literal(String(lo)) : { kind: 'chars', ranges: [[0x41 + lo - 10, 0x41 + lo - 10], [0x61 + lo - 10, 0x61 + lo - 10]] };
  return { kind: 'concat', items: [literal(`\\u00${hi}`), loSet] };
}

/** `\u0000`–`\u001F` in either hex case: every control character, in one small regex. */
const ALL_CONTROLS: Regex = { kind: 'concat', items: [literal('\\u00'), { kind: 'chars', ranges: [[0x30, 0x31]] }, HEX_ANY] };

/** True when every character of the ranges has its literal spelling only (printable ASCII but `"`, `/`, `\`). */
function allPlain(ranges: ReadonlyArray<readonly [number, number]>): boolean {
  for (const [lo, hi] of ranges) {
    if (lo < 0x20 || hi >= 0x80 || (lo <= 0x22 && hi >= 0x22) || (lo <= 0x2f && hi >= 0x2f) || (lo <= 0x5c && hi >= 0x5c)) return false;
  }
  return true;
}

/** The characters of one hex digit with a value in [lo, hi], either case. */
function hexDigitRanges(lo: number, hi: number): [number, number][] {
  const ranges: [number, number][] = [];
  if (lo > hi) return ranges;
  if (lo <= 9) ranges.push([0x30 + lo, 0x30 + Math.min(hi, 9)]);
  if (hi >= 10) {
    const a = Math.max(lo, 10) - 10;
    const b = hi - 10;
    ranges.push([0x41 + a, 0x41 + b], [0x61 + a, 0x61 + b]);
  }
  return ranges;
}

/** One hex digit with a value in [lo, hi], either case. */
function hexDigits(lo: number, hi: number): Regex {
  return { kind: 'chars', ranges: hexDigitRanges(lo, hi) };
}

/** `width` hex digits (either case) whose value is in [lo, hi]. */
function hexRange(lo: number, hi: number, width: number): Regex {
  if (width === 0) return { kind: 'empty' };
  const unit = 16 ** (width - 1);
  if (lo === 0 && hi === 16 * unit - 1) return { kind: 'repeat', item: HEX_ANY, min: width, max: width };
  const dlo = Math.floor(lo / unit);
  const dhi = Math.floor(hi / unit);
  const rest = (d: number, a: number, b: number): Regex => ({ kind: 'concat', items: [hexDigits(d, d), hexRange(a, b, width - 1)] });
  if (dlo === dhi) return rest(dlo, lo % unit, hi % unit);
  const items: Regex[] = [rest(dlo, lo % unit, unit - 1)];
  if (dhi - dlo > 1) items.push({ kind: 'concat', items: [hexDigits(dlo + 1, dhi - 1), { kind: 'repeat', item: HEX_ANY, min: width - 1, max: width - 1 }] });
  items.push(rest(dhi, 0, hi % unit));
  return { kind: 'alt', items };
}

const BACKSLASH = literal('\\');
const BACKSLASH_U = literal('\\u');
const HEX4: Regex = { kind: 'repeat', item: HEX_ANY, min: 4, max: 4 };
const HEX2: Regex = { kind: 'repeat', item: HEX_ANY, min: 2, max: 2 };
const D_HEX: Regex = { kind: 'chars', ranges: [[0x44, 0x44], [0x64, 0x64]] };

/** One hex digit whose value is in any of the spans [lo, hi], either case. */
function hexDigitSet(...spans: Array<readonly [number, number]>): Regex {
  const ranges = spans.flatMap(([lo, hi]) => hexDigitRanges(lo, hi)).sort((x, y) => x[0] - y[0]);
  return { kind: 'chars', ranges };
}

/**
 * `\uXXXX`: four hex digits, not a surrogate, not ASCII from U+0000 (floor 0) or from U+0020
 * (floor 2) on. Written as plain alternatives of digit ranges, not as HEX4 with complements: an
 * intersection or complement in a lexeme makes every lexer state of a long string a new derivative
 * to test for emptiness (a first mask inside a maxLength string then costs tens of milliseconds).
 */
function bmpEscape(asciiFloor: number): Regex {
  const cat = (...items: Regex[]): Regex => ({ kind: 'concat', items });
  return cat(BACKSLASH_U, {
    kind: 'alt',
    items: [
      cat(hexDigits(0, 0), hexDigits(0, 0), hexDigitSet([0, asciiFloor - 1], [8, 15]), HEX_ANY), // 0000–00FF less the ASCII refused
      cat(hexDigits(0, 0), hexDigits(1, 15), HEX2), // 0100–0FFF
      cat(hexDigitSet([1, 12], [14, 15]), HEX2, HEX_ANY), // 1000–CFFF, E000–FFFF
      cat(D_HEX, hexDigits(0, 7), HEX2), // D000–D7FF
    ],
  });
}

// Whole families in one small regex each: a `.` or `[^"]` repeated by a maxLength multiplies its
// size (the same strings as unicodeEscapes over them, in ~30 nodes instead of ~250).
/** Every non-ASCII BMP character as `\uXXXX`. */
const NON_ASCII_BMP_ESCAPE = bmpEscape(0);
/** Every control character and every non-ASCII BMP character as `\uXXXX`. */
const CONTROL_OR_NON_ASCII_ESCAPE = bmpEscape(2);
/** Every character beyond U+FFFF as a surrogate pair. */
const SURROGATE_PAIR_ESCAPE: Regex = { kind: 'concat', items: [BACKSLASH_U, D_HEX, hexDigits(8, 11), HEX2, BACKSLASH_U, D_HEX, hexDigits(12, 15), HEX2] };
const NON_ASCII_COUNT = 0xd800 - 0x80 + (0x110000 - 0xe000);

/** `\uXXXX` spellings of the non-ASCII code points in [lo, hi] (surrogate pairs beyond U+FFFF). */
function unicodeEscapes(lo: number, hi: number, out: Regex[]): void {
  const bmpLo = Math.max(lo, 0x80);
  const bmpHi = Math.min(hi, 0xffff);
  if (bmpLo <= bmpHi) out.push({ kind: 'concat', items: [BACKSLASH_U, hexRange(bmpLo, bmpHi, 4)] });
  const a = Math.max(lo, 0x10000);
  if (a > hi) return;
  const high = (cp: number) => 0xd800 + ((cp - 0x10000) >> 10);
  const low = (cp: number) => 0xdc00 + ((cp - 0x10000) & 0x3ff);
  const pair = (h1: number, h2: number, l1: number, l2: number): Regex => ({ kind: 'concat', items: [BACKSLASH_U, hexRange(h1, h2, 4), BACKSLASH_U, hexRange(l1, l2, 4)] });
  const ha = high(a);
  const hb = high(hi);
  if (ha === hb) {
    out.push(pair(ha, ha, low(a), low(hi)));
    return;
  }
  out.push(pair(ha, ha, low(a), 0xdfff));
  if (hb - ha > 1) out.push(pair(ha + 1, hb - 1, 0xdc00, 0xdfff));
  out.push(pair(hb, hb, 0xdc00, low(hi)));
}

function mapChars(ranges: ReadonlyArray<readonly [number, number]>): Regex {
  const plain: [number, number][] = [];
  /** Letters after `\` of the short escapes of the characters in the set. */
  const shortLetters = new Set<number>();
  const escapes: Regex[] = [];
  const allControls = ranges.length > 0 && ranges[0]![0] === 0 && ranges[0]![1] >= 0x1f;
  let nonAscii = 0;
  for (const [lo, hi] of ranges) if (hi >= 0x80) nonAscii += hi - Math.max(lo, 0x80) + 1 - Math.max(0, Math.min(hi, 0xdfff) - Math.max(lo, 0xd800) + 1);
  const allNonAscii = nonAscii === NON_ASCII_COUNT;
  for (const [lo, hi] of ranges) {
    let a = lo;
    for (let cp = lo; cp <= Math.min(hi, 0x5c); cp++) {
      if (cp < 0x20 || cp === 0x22 || cp === 0x5c) {
        if (a < cp) plain.push([a, cp - 1]);
        const short = SHORT[cp];
        if (short !== undefined) shortLetters.add(short.charCodeAt(1));
        if (cp < 0x20 && !allControls) escapes.push(unicodeControl(cp));
        a = cp + 1;
      }
    }
    if (a <= hi) plain.push([a, hi]);
    if (lo <= 0x2f && hi >= 0x2f) shortLetters.add(0x2f);
    if (hi >= 0x80 && !allNonAscii) unicodeEscapes(lo, hi, escapes);
  }
  if (shortLetters.size > 0) {
    const letters = [...shortLetters].sort((x, y) => x - y).map((c): [number, number] => [c, c]);
    escapes.push({ kind: 'concat', items: [BACKSLASH, { kind: 'chars', ranges: letters }] });
  }
  if (allControls && allNonAscii) escapes.push(CONTROL_OR_NON_ASCII_ESCAPE, SURROGATE_PAIR_ESCAPE);
  else {
    if (allControls) escapes.push(ALL_CONTROLS);
    if (allNonAscii) escapes.push(NON_ASCII_BMP_ESCAPE, SURROGATE_PAIR_ESCAPE);
  }
  const items: Regex[] = [];
  if (plain.length > 0) items.push({ kind: 'chars', ranges: plain });
  items.push(...escapes);
  if (items.length === 0) return { kind: 'never' };
  return items.length === 1 ? items[0]! : { kind: 'alt', items };
}

/**
 * r with its character sets limited to scalar values (no surrogate code points) where that keeps
 * every word made of scalars: through concatenations, alternations, repetitions and intersections
 * (a word of scalars splits into words of scalars), not below a complement. Beside `ANY_CHAR{m,n}`
 * in an intersection the language is the same, and the pattern's side spells no lone `\uD800`,
 * so its words are words of spelled characters (what lexer/length-bounds.ts needs to drop the
 * length bound for trie walks: `\S` and `.` cover the surrogates, ANY_CHAR does not).
 */
export function scalarsOnly(r: Regex): Regex {
  switch (r.kind) {
    case 'chars': {
      const ranges: [number, number][] = [];
      for (const [lo, hi] of r.ranges) {
        if (lo < 0xd800) ranges.push([lo, Math.min(hi, 0xd7ff)]);
        if (hi > 0xdfff) ranges.push([Math.max(lo, 0xe000), hi]);
      }
      if (ranges.length === r.ranges.length && ranges.every(([lo, hi], i) => lo === r.ranges[i]![0] && hi === r.ranges[i]![1])) return r;
      return ranges.length === 0 ? { kind: 'never' } : { kind: 'chars', ranges };
    }
    case 'concat':
    case 'alt':
    case 'and':
      return { kind: r.kind, items: r.items.map(scalarsOnly) };
    case 'repeat':
      return { kind: 'repeat', item: scalarsOnly(r.item), min: r.min, max: r.max };
    default:
      return r;
  }
}

let anyImage: Regex | undefined;

/** The spelled form (string content, no quotes) of a regex over characters. */
export function spellContent(r: Regex): Regex {
  switch (r.kind) {
    case 'empty':
    case 'never':
      return r;
    case 'chars':
      // Most characters (every letter of a property name) are spelled as themselves.
      return allPlain(r.ranges) ? r : mapChars(r.ranges);
    case 'bytes':
      throw new EngineError('SCHEMA', 'byte-level regexes cannot describe JSON string content');
    case 'concat':
    case 'alt':
    case 'and':
      return { kind: r.kind, items: r.items.map(spellContent) };
    case 'repeat':
      return { kind: 'repeat', item: spellContent(r.item), min: r.min, max: r.max };
    case 'not':
      anyImage ??= spellContent(ANY_CHARS);
      return { kind: 'and', items: [{ kind: 'not', item: spellContent(r.item) }, anyImage] };
  }
}

const QUOTE = literal('"');

/**
 * A whole JSON string lexeme (quotes included) whose decoded value matches `content`: a new object
 * on each call (the schema emitter keeps one per content for its compile).
 */
export function jsonStringRegex(content: Regex): Regex {
  return { kind: 'concat', items: [QUOTE, spellContent(content), QUOTE] };
}

/** Any JSON string, every escape JSON allows (exact: used when no constraint applies). */
export const ANY_JSON_STRING: Regex = {
  kind: 'concat',
  items: [
    QUOTE,
    {
      kind: 'repeat',
      min: 0,
      max: Infinity,
      item: {
        kind: 'alt',
        items: [
          { kind: 'chars', ranges: [[0x20, 0x21], [0x23, 0x5b], [0x5d, 0xd7ff], [0xe000, MAX_CP]] },
          { kind: 'concat', items: [literal('\\'), { kind: 'chars', ranges: [[0x22, 0x22], [0x2f, 0x2f], [0x5c, 0x5c], [0x62, 0x62], [0x66, 0x66], [0x6e, 0x6e], [0x72, 0x72], [0x74, 0x74]] }] },
          { kind: 'concat', items: [literal('\\u'), { kind: 'repeat', item: HEX_ANY, min: 4, max: 4 }] },
        ],
      },
    },
    QUOTE,
  ],
};

/** The canonical spelling of a string value (what `jsonStringRegex` accepts for it). */
export function jsonStringLiteral(s: string): Regex {
  const items: Regex[] = [QUOTE];
  for (const ch of s) items.push(mapChars([[ch.codePointAt(0)!, ch.codePointAt(0)!]]));
  items.push(QUOTE);
  return { kind: 'concat', items };
}

