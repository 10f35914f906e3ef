import type { Regex } from '../regex/ast.ts';
import { EMPTY, NEVER, literal } from '../regex/ast.ts';

/**
 * Regexes for JSON numbers within bounds: exact digit-range construction for integers (canonical
 * spelling, no leading zeros), and decimal ranges by comparing the integer part numerically and the
 * fraction digits lexicographically (zero-padded), which is exact for decimal bounds.
 *
 * Bounded numbers are written without an exponent (`1e3` is refused when a bound applies; the
 * schema compiler documents this as a rejected rare form, never an accepted invalid one).
 */

const D: Regex = { kind: 'chars', ranges: [[0x30, 0x39]] };
const D19: Regex = { kind: 'chars', ranges: [[0x31, 0x39]] };

function digitRange(lo: number, hi: number): Regex {
  return lo > hi ? NEVER : { kind: 'chars', ranges: [[0x30 + lo, 0x30 + hi]] };
}

function seq(...items: Regex[]): Regex {
  const out: Regex[] = [];
  for (const it of items) {
    if (it.kind === 'empty') continue;
    if (it.kind === 'never') return NEVER;
    if (it.kind === 'concat') out.push(...it.items);
    else out.push(it);
  }
  return out.length === 0 ? EMPTY : out.length === 1 ? out[0]! : { kind: 'concat', items: out };
}

function anyOf(items: Regex[]): Regex {
  const live = items.filter((x) => x.kind !== 'never');
  return live.length === 0 ? NEVER : live.length === 1 ? live[0]! : { kind: 'alt', items: live };
}

function reps(item: Regex, min: number, max: number): Regex {
  if (max === 0) return EMPTY;
  if (min === 1 && max === 1) return item;
  return { kind: 'repeat', item, min, max };
}

/** Digit strings of length a.length with a ≤ s ≤ b (a, b the same length). */
function sameLength(a: string, b: string): Regex {
  if (a.length === 0) return EMPTY;
  const a0 = a.charCodeAt(0) - 48;
  const b0 = b.charCodeAt(0) - 48;
  const ra = a.slice(1);
  const rb = b.slice(1);
  if (a0 === b0) return seq(digitRange(a0, a0), sameLength(ra, rb));
  const n = ra.length;
  const alts: Regex[] = [];
  // Full inner ranges collapse: a0 000 .. b0 999 is one class followed by any digits.
  if (/^0*$/.test(ra) && /^9*$/.test(rb)) return seq(digitRange(a0, b0), reps(D, n, n));
  alts.push(seq(digitRange(a0, a0), sameLength(ra, '9'.repeat(n))));
  if (b0 - a0 >= 2) alts.push(seq(digitRange(a0 + 1, b0 - 1), reps(D, n, n)));
  alts.push(seq(digitRange(b0, b0), sameLength('0'.repeat(n), rb)));
  return anyOf(alts);
}

/** Canonical non-negative integers (no leading zeros) in [lo, hi]; hi null = unbounded. */
export function uintRange(lo: bigint, hi: bigint | null): Regex {
  if (lo < 0n) lo = 0n;
  if (hi !== null && hi < lo) return NEVER;
  const alts: Regex[] = [];
  if (lo === 0n) {
    alts.push(literal('0'));
    lo = 1n;
    if (hi !== null && hi < 1n) return alts[0]!;
  }
  const ls = lo.toString();
  const hs = hi === null ? null : hi.toString();
  if (hs !== null && hs.length === ls.length) {
    alts.push(sameLength(ls, hs));
    return anyOf(alts);
  }
  alts.push(sameLength(ls, '9'.repeat(ls.length)));
  if (hs === null) {
    alts.push(seq(D19, reps(D, ls.length, Infinity)));
  } else {
    if (hs.length - ls.length >= 2) alts.push(seq(D19, reps(D, ls.length, hs.length - 2)));
    alts.push(sameLength('1' + '0'.repeat(hs.length - 1), hs));
  }
  return anyOf(alts);
}

/** Integers (canonical text, `-0` allowed when 0 is in range) in [lo, hi]; null = unbounded. */
export function intRange(lo: bigint | null, hi: bigint | null): Regex {
  if (lo !== null && hi !== null && hi < lo) return NEVER;
  const alts: Regex[] = [];
  // Non-negative part.
  if (hi === null || hi >= 0n) alts.push(uintRange(lo === null || lo < 0n ? 0n : lo, hi));
  // Negative part: -x with x in [max(1,-hi), -lo].
  if (lo === null || lo < 0n) {
    const nlo = hi === null || hi >= 0n ? 1n : -hi;
    const nhi = lo === null ? null : -lo;
    alts.push(seq(literal('-'), uintRange(nlo, nhi)));
  }
  if ((lo === null || lo <= 0n) && (hi === null || hi >= 0n)) alts.push(literal('-0'));
  return anyOf(alts);
}

/** An exact decimal: sign, integer digits (no leading zeros), fraction digits (no trailing zeros). */
export interface Decimal {
  neg: boolean;
  int: string;
  frac: string;
}

/** The exact decimal a JS number prints as (shortest round-trip repr, exponent expanded). */
export function toDecimal(x: number): Decimal {
  let s = String(x);
  let neg = false;
  if (s.startsWith('-')) {
    neg = true;
    s = s.slice(1);
  }
  let exp = 0;
  const e = s.indexOf('e');
  if (e >= 0) {
    exp = Number(s.slice(e + 1));
    s = s.slice(0, e);
  }
  const dot = s.indexOf('.');
  let digits = dot < 0 ? s : s.slice(0, dot) + s.slice(dot + 1);
  let point = (dot < 0 ? s.length : dot) + exp;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  let int = digits.slice(0, point).replace(/^0+/, '');
  if (int === '') int = '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  if (int === '0' && frac === '') neg = false;
  return { neg, int, frac };
}

export function decimalIsInteger(d: Decimal): boolean {
  return d.frac === '';
}

/** Fraction digit strings (≥ 1 digit) whose value 0.F is ≥ 0.s (s without trailing zeros). */
function fracGE(s: string): Regex {
  if (s === '') return reps(D, 1, Infinity);
  const alts: Regex[] = [];
  for (let j = 0; j < s.length; j++) {
    const d = s.charCodeAt(j) - 48;
    if (d < 9) alts.push(seq(literal(s.slice(0, j)), digitRange(d + 1, 9), reps(D, 0, Infinity)));
  }
  alts.push(seq(literal(s), reps(D, 0, Infinity)));
  return anyOf(alts);
}

/** Fraction digit strings (≥ 1 digit) whose value 0.F is ≤ 0.s. */
function fracLE(s: string): Regex {
  if (s === '') return reps(literal('0'), 1, Infinity);
  const alts: Regex[] = [];
  for (let j = 0; j < s.length; j++) {
    const d = s.charCodeAt(j) - 48;
    if (d > 0) alts.push(seq(literal(s.slice(0, j)), digitRange(0, d - 1), reps(D, 0, Infinity)));
  }
  // Prefixes of s (the rest reads as zeros) and s followed by zeros.
  for (let m = 1; m < s.length; m++) alts.push(literal(s.slice(0, m)));
  alts.push(seq(literal(s), reps(literal('0'), 0, Infinity)));
  return anyOf(alts);
}

const FRACTION: Regex = seq(literal('.'), reps(D, 1, Infinity));
const OPT_FRACTION: Regex = reps(FRACTION, 0, 1);

/** Non-negative decimals (no sign, no exponent) ≥ a (a non-negative). */
function nonnegGE(a: Decimal): Regex {
  const ai = BigInt(a.int);
  return anyOf([
    seq(uintRange(ai + 1n, null), OPT_FRACTION),
    seq(literal(a.int), a.frac === '' ? OPT_FRACTION : seq(literal('.'), fracGE(a.frac))),
  ]);
}

/** Non-negative decimals (no sign, no exponent) ≤ b (b non-negative). */
function nonnegLE(b: Decimal): Regex {
  const bi = BigInt(b.int);
  const alts: Regex[] = [];
  if (bi > 0n) alts.push(seq(uintRange(0n, bi - 1n), OPT_FRACTION));
  alts.push(seq(literal(b.int), reps(seq(literal('.'), b.frac === '' ? fracLE('') : fracLE(b.frac)), 0, 1)));
  return anyOf(alts);
}

/** JSON numbers without exponent equal to d (trailing fraction zeros allowed). */
export function equalTo(d: Decimal): Regex {
  const body = d.frac === '' ? seq(literal(d.int), reps(seq(literal('.'), reps(literal('0'), 1, Infinity)), 0, 1)) : seq(literal(`${d.int}.${d.frac}`), reps(literal('0'), 0, Infinity));
  if (d.int === '0' && d.frac === '') return seq(reps(literal('-'), 0, 1), body);
  return d.neg ? seq(literal('-'), body) : body;
}

/** JSON numbers (no exponent) x ≥ a, or > a when exclusive. */
export function numberAtLeast(a: Decimal, exclusive: boolean): Regex {
  const abs: Decimal = { neg: false, int: a.int, frac: a.frac };
  const ge = a.neg
    ? anyOf([seq(literal('-'), nonnegLE(abs)), seq(reps(literal('-'), 0, 0), nonnegGE({ neg: false, int: '0', frac: '' }))])
    : nonnegGE(abs);
  return exclusive ? { kind: 'and', items: [ge, { kind: 'not', item: equalTo(a) }] } : ge;
}

/** JSON numbers (no exponent) x ≤ b, or < b when exclusive. */
export function numberAtMost(b: Decimal, exclusive: boolean): Regex {
  const abs: Decimal = { neg: false, int: b.int, frac: b.frac };
  const le = b.neg
    ? seq(literal('-'), nonnegGE(abs))
    : anyOf([seq(literal('-'), nonnegGE({ neg: false, int: '0', frac: '' })), nonnegLE(abs)]);
  return exclusive ? { kind: 'and', items: [le, { kind: 'not', item: equalTo(b) }] } : le;
}

/** Any JSON number. */
export const JSON_NUMBER: Regex = seq(
  reps(literal('-'), 0, 1),
  anyOf([literal('0'), seq(D19, reps(D, 0, Infinity))]),
  OPT_FRACTION,
  reps(seq({ kind: 'chars', ranges: [[0x45, 0x45], [0x65, 0x65]] }, reps({ kind: 'chars', ranges: [[0x2b, 0x2b], [0x2d, 0x2d]] }, 0, 1), reps(D, 1, Infinity)), 0, 1),
);

/** JSON numbers without exponent. */
export const PLAIN_NUMBER: Regex = seq(reps(literal('-'), 0, 1), anyOf([literal('0'), seq(D19, reps(D, 0, Infinity))]), OPT_FRACTION);

/** Integer-valued spellings of a digit regex: `n` or `n.0…0`. */
export function withZeroFraction(r: Regex): Regex {
  return seq(r, reps(seq(literal('.'), reps(literal('0'), 1, Infinity)), 0, 1));
}

/** Numbers whose fraction has at most k significant digits (multiples of 10^-k). */
export function fractionDigitsAtMost(k: number): Regex {
  return seq(reps(literal('-'), 0, 1), anyOf([literal('0'), seq(D19, reps(D, 0, Infinity))]), reps(seq(literal('.'), reps(D, 1, k), reps(literal('0'), 0, Infinity)), 0, 1));
}

/**
 * Canonical non-negative integers that are multiples of m, where m divides 10^k (m = 2^a·5^b):
 * decided by the last k digits. Returns null when m is not of that form or too many suffixes.
 */
export function uintMultipleOf(m: bigint): Regex | null {
  if (m <= 0n) return null;
  if (m === 1n) return uintRange(0n, null);
  let k = 0;
  let p = 1n;
  while (p % m !== 0n) {
    p *= 10n;
    k++;
    if (k > 4) return null;
  }
  const count = p / m;
  if (count > 1000n) return null;
  const alts: Regex[] = [];
  const suffixes: Regex[] = [];
  for (let v = 0n; v < p; v += m) {
    const text = v.toString();
    // Numbers with at most k digits are enumerated; longer ones end in a k-digit multiple.
    alts.push(literal(text));
    suffixes.push(literal(text.padStart(k, '0')));
  }
  alts.push(seq(D19, reps(D, 0, Infinity), anyOf(suffixes)));
  return anyOf(alts);
}
