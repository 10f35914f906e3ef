/**
 * Code point sets for the regex parser: set algebra on sorted ranges, Unicode property classes
 * (`\p{…}`), Perl classes (`\d \w \s`), POSIX classes and simple case folding.
 *
 * Property classes are computed from the JS engine's own Unicode tables (Node's ICU): one global
 * `\p{…}+` scan over a string holding every scalar value in order gives the ranges directly, once
 * per class, cached.
 */

/** Sorted, disjoint, non-adjacent inclusive code point ranges. */
export type CpRanges = Array<[number, number]>;

export const MAX_CP = 0x10ffff;

export function normalizeRanges(ranges: ReadonlyArray<readonly [number, number]>): CpRanges {
  const sorted = ranges.filter(([lo, hi]) => lo <= hi).map(([lo, hi]) => [lo, hi] as [number, number]);
  sorted.sort((x, y) => x[0] - y[0]);
  const out: CpRanges = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r[0] <= last[1] + 1) {
      if (r[1] > last[1]) last[1] = r[1];
    } else out.push([r[0], r[1]]);
  }
  return out;
}

export function union(a: CpRanges, b: CpRanges): CpRanges {
  return normalizeRanges([...a, ...b]);
}

export function negate(a: CpRanges): CpRanges {
  const out: CpRanges = [];
  let next = 0;
  for (const [lo, hi] of a) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

export function intersect(a: CpRanges, b: CpRanges): CpRanges {
  const out: CpRanges = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

export function subtract(a: CpRanges, b: CpRanges): CpRanges {
  return intersect(a, negate(b));
}

export function symmetricDifference(a: CpRanges, b: CpRanges): CpRanges {
  return union(subtract(a, b), subtract(b, a));
}

export function contains(a: CpRanges, cp: number): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = a[mid]!;
    if (cp < r[0]) hi = mid - 1;
    else if (cp > r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

// ---- sets computed from JS regexes ----------------------------------------------------------

/**
 * Planes 0–3 and 14 hold every assigned non-private character; they are scanned code point by code
 * point. The other blocks are uniform (unassigned, private use, or noncharacters), so one
 * representative code point decides each whole block.
 */
const SCANNED_PLANES = [0, 1, 2, 3, 14];
const UNIFORM_BLOCKS: Array<[number, number]> = [
  [0x40000, 0xdffff],
  [0xf0000, 0xffffd],
  [0xffffe, 0xfffff],
  [0x100000, 0x10fffd],
  [0x10fffe, 0x10ffff],
];

let scanned: string | null = null;

/** Every scalar value of the scanned planes, in order (surrogates excluded). */
function scalarString(): string {
  if (scanned === null) {
    const parts: string[] = [];
    const CHUNK = 4096;
    for (const plane of SCANNED_PLANES) {
      const end = plane * 0x10000 + 0xffff;
      for (let start = plane * 0x10000; start <= end; start += CHUNK) {
        const cps: number[] = [];
        for (let cp = start; cp < start + CHUNK; cp++) if (cp < 0xd800 || cp > 0xdfff) cps.push(cp);
        parts.push(String.fromCodePoint(...cps));
      }
    }
    scanned = parts.join('');
  }
  return scanned;
}

const jsClassCache = new Map<string, CpRanges>();

/**
 * The code points matched by a one-character JS regex class (`\p{L}`, `\s`), with the `u` flag.
 * Returns null when JS does not accept the class.
 */
export function classFromJs(classSource: string): CpRanges | null {
  const hit = jsClassCache.get(classSource);
  if (hit !== undefined) return hit;
  let re: RegExp;
  let one: RegExp;
  try {
    re = new RegExp(`(?:${classSource})+`, 'gu');
    one = new RegExp(`^(?:${classSource})$`, 'u');
  } catch {
    return null;
  }
  const s = scalarString();
  const out: CpRanges = [];
  for (const m of s.matchAll(re)) {
    const text = m[0];
    const first = text.codePointAt(0)!;
    const lastUnit = text.charCodeAt(text.length - 1);
    const last = lastUnit >= 0xdc00 && lastUnit <= 0xdfff ? text.codePointAt(text.length - 2)! : lastUnit;
    out.push([first, last]);
  }
  for (const [lo, hi] of UNIFORM_BLOCKS) if (one.test(String.fromCodePoint(lo))) out.push([lo, hi]);
  const norm = normalizeRanges(out);
  jsClassCache.set(classSource, norm);
  return norm;
}

// ---- \p{…} ----------------------------------------------------------------------------------

/** Loose names Rust accepts that JS spells differently. */
const PROPERTY_ALIASES: Record<string, string> = {
  whitespace: 'White_Space',
  space: 'White_Space',
  alpha: 'Alphabetic',
  alphabetic: 'Alphabetic',
  uppercase: 'Uppercase',
  lowercase: 'Lowercase',
  digit: 'Nd',
  decimalnumber: 'Nd',
  any: 'Any',
  ascii: 'ASCII',
  assigned: 'Assigned',
  letter: 'L',
  number: 'N',
  punctuation: 'P',
  symbol: 'S',
  mark: 'M',
  separator: 'Z',
  other: 'C',
};

function loose(name: string): string {
  return name.replace(/[\s_-]/g, '').toLowerCase();
}

/** "old italic" / "old-italic" / "OLD_ITALIC" → "Old_Italic". */
function titleCase(name: string): string {
  return name
    .trim()
    .split(/[\s_-]+/)
    .map((w) => (w.length === 0 ? w : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
    .join('_');
}

function tryProperty(expr: string): CpRanges | null {
  if (!/^[A-Za-z0-9_=]+$/.test(expr)) return null;
  return classFromJs(`\\p{${expr}}`);
}

function valueCandidates(value: string): string[] {
  const c = [value, titleCase(value), value.toUpperCase()];
  const alias = PROPERTY_ALIASES[loose(value)];
  if (alias !== undefined) c.push(alias);
  // Two-letter general categories: "lu" → "Lu".
  if (value.length > 0 && value.length <= 2) c.push(value[0]!.toUpperCase() + value.slice(1).toLowerCase());
  return c;
}

/**
 * Code points of a Unicode property as Rust's `\p{…}` names it: a general category (`L`, `Lu`,
 * `Letter`), a script (`Greek`), a binary property (`Alphabetic`, `White_Space`), or
 * `key=value` / `key:value` / `key!=value` with key gc, sc, scx (or their long names).
 * Returns null for unknown names.
 */
export function unicodeProperty(name: string): CpRanges | null {
  if (name.trim() === '') return null;
  const m = /^\s*([^=:!]+?)\s*(!=|=|:)\s*(.+?)\s*$/.exec(name);
  if (m !== null) {
    const key = loose(m[1]!);
    const jsKey = key === 'gc' || key === 'generalcategory' ? 'gc' : key === 'sc' || key === 'script' ? 'sc' : key === 'scx' || key === 'scriptextensions' ? 'scx' : null;
    if (jsKey === null) return null;
    for (const v of valueCandidates(m[3]!)) {
      const r = tryProperty(`${jsKey}=${v}`);
      if (r !== null) return m[2] === '!=' ? negate(r) : r;
    }
    return null;
  }
  for (const v of valueCandidates(name.trim())) {
    const r = tryProperty(v) ?? tryProperty(`sc=${v}`);
    if (r !== null) return r;
  }
  return null;
}

// ---- Perl and POSIX classes -----------------------------------------------------------------

/** `\d`, `\w`, `\s` (lowercase letter; the caller negates for uppercase). */
export function perlClass(letter: 'd' | 'w' | 's', unicodeAware: boolean): CpRanges {
  if (!unicodeAware) {
    if (letter === 'd') return [[0x30, 0x39]];
    if (letter === 'w') return normalizeRanges([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
    return normalizeRanges(ECMA_SPACE);
  }
  if (letter === 'd') return classFromJs('\\p{Nd}')!;
  if (letter === 's') return normalizeRanges(WHITE_SPACE);
  return classFromJs('[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}]')!;
}

/** Unicode White_Space (stable since Unicode 6.3). */
const WHITE_SPACE: Array<[number, number]> = [
  [0x09, 0x0d], [0x20, 0x20], [0x85, 0x85], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a],
  [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000],
];
/** ECMA-262 `\s`: WhiteSpace (TAB VT FF SP NBSP ZWNBSP, Zs) and LineTerminator. */
const ECMA_SPACE: Array<[number, number]> = [
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029],
  [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
];

const POSIX: Record<string, Array<[number, number]>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

/** ASCII POSIX class by name (`alpha`), or null. */
export function posixClass(name: string): CpRanges | null {
  const r = POSIX[name];
  return r === undefined ? null : normalizeRanges(r);
}

// ---- case folding ---------------------------------------------------------------------------

/** Sorted code points that have case variants, and for each its orbit (all variants, itself included). */
let foldKeys: Int32Array | null = null;
let foldOrbits: number[][] = [];

/** Cased letters live below U+20000. */
const FOLD_SCAN_END = 0x1ffff;

function buildFoldTable(): void {
  // Union-find over code points linked by simple case folding. Candidates come from
  // toLowerCase/toUpperCase; a link is kept only when JS's /…/iu (which uses simple case folding,
  // as Rust's (?i) does) agrees that the two match each other.
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  const link = (x: number, y: number) => {
    if (!parent.has(x)) parent.set(x, x);
    if (!parent.has(y)) parent.set(y, y);
    const rx = find(x);
    const ry = find(y);
    if (rx !== ry) parent.set(rx, ry);
  };
  const single = (s: string): number => {
    const cp = s.codePointAt(0)!;
    return s.length === (cp > 0xffff ? 2 : 1) ? cp : -1;
  };
  const linkCaseVariants = (cp: number): void => {
    const ch = String.fromCodePoint(cp);
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    if (lo === ch && up === ch) return;
    const cands = new Set<number>();
    for (const s of [lo, up, lo.toUpperCase(), up.toLowerCase()]) {
      const c = single(s);
      if (c >= 0 && c !== cp) cands.add(c);
    }
    if (cands.size === 0) return;
    const re = new RegExp(`^${escapeForJs(cp)}$`, 'iu');
    for (const c of cands) if (re.test(String.fromCodePoint(c))) link(cp, c);
  };
  const cased = classFromJs('\\p{Changes_When_Casemapped}') ?? [[0, FOLD_SCAN_END]];
  for (const [lo, hi] of cased) {
    for (let cp = lo; cp <= Math.min(hi, FOLD_SCAN_END); cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      linkCaseVariants(cp);
    }
  }
  const groups = new Map<number, number[]>();
  for (const x of parent.keys()) {
    const r = find(x);
    let g = groups.get(r);
    if (g === undefined) groups.set(r, (g = []));
    g.push(x);
  }
  const keys: number[] = [];
  const orbitOf = new Map<number, number[]>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((p, q) => p - q);
    for (const x of g) {
      keys.push(x);
      orbitOf.set(x, g);
    }
  }
  keys.sort((p, q) => p - q);
  foldKeys = Int32Array.from(keys);
  foldOrbits = keys.map((k) => orbitOf.get(k)!);
}

function escapeForJs(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** The set closed under simple case folding (what `(?i)` matches for it). */
export function caseFold(set: CpRanges): CpRanges {
  if (foldKeys === null) buildFoldTable();
  const keys = foldKeys!;
  const extra: Array<[number, number]> = [];
  // Walk keys and ranges together.
  let k = 0;
  for (const [lo, hi] of set) {
    while (k < keys.length && keys[k]! < lo) k++;
    while (k < keys.length && keys[k]! <= hi) {
      for (const v of foldOrbits[k]!) extra.push([v, v]);
      k++;
    }
  }
  return extra.length === 0 ? set : normalizeRanges([...set, ...extra]);
}
