/**
 * Classifying identifiers by naming style. A one-word name like `add` fits camelCase, snake_case,
 * kebab-case and lowercase at once, so classification returns every style a name is compatible
 * with (a bit set), and the convention of a set of names is the style most of them fit.
 */
import type { NamingStyle } from '../../core/index.ts';

export const STYLE_ORDER: readonly NamingStyle[] = [
  'camelCase', 'snake_case', 'PascalCase', 'SCREAMING_SNAKE_CASE', 'kebab-case', 'lowercase',
];

/** Bit for each style, in STYLE_ORDER. */
export const STYLE_BIT: Readonly<Record<NamingStyle, number>> = {
  camelCase: 1, snake_case: 2, PascalCase: 4, SCREAMING_SNAKE_CASE: 8, 'kebab-case': 16, lowercase: 32,
};

const CAMEL = /^[a-z][a-z0-9]*([A-Z][A-Za-z0-9]*)*$/;
const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const SCREAMING = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const LOWER = /^[a-z][a-z0-9]*$/;

/**
 * The part of a name that carries its style: without sigils (`$x`, `#x`, `@x`), privacy
 * underscores (`_x`, `x_`) and Ruby's `?`/`!`/`=` suffixes. Empty for names with no style to read
 * (dunders like `__init__`, operators, `_`).
 */
export function styleCore(name: string): string {
  // Index arithmetic instead of chained replaces: this runs for every identifier of a code base.
  let start = 0;
  let end = name.length;
  if (end > 4 && name.startsWith('__') && name.endsWith('__')) return '';
  const last = name.charCodeAt(end - 1);
  if (last === 63 /* ? */ || last === 33 /* ! */ || last === 61 /* = */) end--;
  while (start < end && (name.charCodeAt(start) === 36 /* $ */ || name.charCodeAt(start) === 35 /* # */ || name.charCodeAt(start) === 64 /* @ */)) start++;
  while (start < end && name.charCodeAt(start) === 95 /* _ */) start++;
  while (end > start && name.charCodeAt(end - 1) === 95) end--;
  return start === 0 && end === name.length ? name : name.slice(start, end);
}

/** Every style `name` is compatible with, as STYLE_BIT flags (0 when none). */
export function styleBits(name: string): number {
  const n = styleCore(name);
  if (n.length === 0) return 0;
  let bits = 0;
  if (CAMEL.test(n)) bits |= STYLE_BIT.camelCase;
  if (SNAKE.test(n)) bits |= STYLE_BIT.snake_case;
  if (PASCAL.test(n)) bits |= STYLE_BIT.PascalCase;
  if (SCREAMING.test(n)) bits |= STYLE_BIT.SCREAMING_SNAKE_CASE;
  if (KEBAB.test(n)) bits |= STYLE_BIT['kebab-case'];
  if (LOWER.test(n)) bits |= STYLE_BIT.lowercase;
  return bits;
}

/** The styles a name fits, most specific first. */
export function stylesOf(name: string): NamingStyle[] {
  const bits = styleBits(name);
  return STYLE_ORDER.filter((s) => (bits & STYLE_BIT[s]) !== 0);
}

/** Whether a name fits exactly one style, so it is evidence for that style and against others. */
export function isDistinctive(bits: number): boolean {
  return bits !== 0 && (bits & (bits - 1)) === 0;
}

export interface StyleVerdict {
  style: NamingStyle;
  /** Names compatible with `style`. */
  matching: number;
  /** Names with any classifiable style. */
  total: number;
  /** Names that fit only `style`. */
  distinctive: number;
}

/**
 * The dominant style of a set of names (as styleBits values): the one most names fit, ties broken
 * by distinctive names. Undefined when that style has no distinctive name (no evidence).
 */
export function dominantStyle(bitsList: ArrayLike<number>): StyleVerdict | undefined {
  const fit = new Uint32Array(STYLE_ORDER.length);
  const only = new Uint32Array(STYLE_ORDER.length);
  let total = 0;
  for (let i = 0; i < bitsList.length; i++) {
    const b = bitsList[i]!;
    if (b === 0) continue;
    total++;
    const distinct = isDistinctive(b);
    for (let s = 0; s < STYLE_ORDER.length; s++) {
      if ((b & (1 << s)) === 0) continue;
      fit[s]!++;
      if (distinct) only[s]!++;
    }
  }
  let best = -1;
  for (let s = 0; s < STYLE_ORDER.length; s++) {
    if (fit[s] === 0) continue;
    if (best < 0 || fit[s]! > fit[best]! || (fit[s] === fit[best] && only[s]! > only[best]!)) best = s;
  }
  // The style most names fit must also be the only fit of some name; otherwise (mostly one-word
  // names) the names cannot tell camelCase from snake_case and there is no convention to report.
  if (best < 0 || only[best] === 0) return undefined;
  return { style: STYLE_ORDER[best]!, matching: fit[best]!, total, distinctive: only[best]! };
}
