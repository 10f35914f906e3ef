import { EngineError } from '../errors.ts';
import type { Regex } from '../regex/ast.ts';
import { literal } from '../regex/ast.ts';

/**
 * JSON string lexemes from regexes over the string's characters (code points).
 *
 * A constrained string is written in one canonical spelling per character: literally, except `"`,
 * `\` and control characters U+0000–U+001F, which take their short escapes (`\"` `\\` `\b` `\f`
 * `\n` `\r` `\t`) or `\u00XX` (either hex case). Other `\uXXXX` escapes (and `\/`) are refused in
 * constrained strings: that rejects rare valid spellings, never accepts an invalid string. The
 * spelling is a prefix code, so the mapping commutes with concatenation, alternation, repetition
 * and intersection; complement is taken within the image of all strings.
 */

export const MAX_CP = 0x10ffff;
/** Any Unicode scalar value (surrogates excluded: they cannot be written in UTF-8). */
export const ANY_CHAR: Regex = { kind: 'chars', ranges: [[0, 0xd7ff], [0xe000, MAX_CP]] };
export const ANY_CHARS: Regex = { kind: 'repeat', item: ANY_CHAR, min: 0, max: Infinity };

const SHORT: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

const HEX_ANY: Regex = { kind: 'chars', ranges: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]] };

function escapeFor(cp: number): Regex {
  const s = SHORT[cp];
  if (s !== undefined) return literal(s);
  // \u00XX with either hex case for the last digit.
  const hi = cp >> 4;
  const lo = cp & 15;
  const loSet: Regex = lo < 10 ? literal(String(lo)) : { kind: 'chars', ranges: [[0x41 + lo - 10, 0x41 + lo - 10], [0x61 + lo - 10, 0x61 + lo - 10]] };
  return { kind: 'concat', items: [literal(`\\u00${hi}`), loSet] };
}

/** `\u0000`–`\u001F` in either hex case: every control character, in one small regex. */
const ALL_CONTROLS: Regex = { kind: 'concat', items: [literal('\\u00'), { kind: 'chars', ranges: [[0x30, 0x31]] }, HEX_ANY] };

/** True when no character of the ranges needs an escape (they are spelled as themselves). */
function allPlain(ranges: ReadonlyArray<readonly [number, number]>): boolean {
  for (const [lo, hi] of ranges) {
    if (lo < 0x20 || (lo <= 0x22 && hi >= 0x22) || (lo <= 0x5c && hi >= 0x5c)) return false;
  }
  return true;
}

function mapChars(ranges: ReadonlyArray<readonly [number, number]>): Regex {
  const plain: [number, number][] = [];
  const escapes: Regex[] = [];
  // When every control character is in the set, one `\u00[01]X` regex covers their \u spellings
  // (the short escapes are added too); otherwise each control is spelled on its own.
  const allControls = ranges.length > 0 && ranges[0]![0] === 0 && ranges[0]![1] >= 0x1f;
  for (const [lo, hi] of ranges) {
    let a = lo;
    for (let cp = lo; cp <= Math.min(hi, 0x5c); cp++) {
      if (cp < 0x20 || cp === 0x22 || cp === 0x5c) {
        if (a < cp) plain.push([a, cp - 1]);
        if (!allControls || cp >= 0x20 || SHORT[cp] !== undefined) escapes.push(allControls && cp < 0x20 ? literal(SHORT[cp]!) : escapeFor(cp));
        a = cp + 1;
      }
    }
    if (a <= hi) plain.push([a, hi]);
  }
  if (allControls) escapes.push(ALL_CONTROLS);
  const items: Regex[] = [];
  if (plain.length > 0) items.push({ kind: 'chars', ranges: plain });
  items.push(...escapes);
  if (items.length === 0) return { kind: 'never' };
  return items.length === 1 ? items[0]! : { kind: 'alt', items };
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

/** Lexemes by content object: one content (a shared format or pattern) gives one lexeme object. */
const lexemeOf = new WeakMap<Regex, Regex>();

/** A whole JSON string lexeme (quotes included) whose decoded value matches `content`. */
export function jsonStringRegex(content: Regex): Regex {
  let lexeme = lexemeOf.get(content);
  if (lexeme === undefined) {
    lexeme = { kind: 'concat', items: [QUOTE, spellContent(content), QUOTE] };
    lexemeOf.set(content, lexeme);
  }
  return lexeme;
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

