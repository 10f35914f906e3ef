/**
 * Soft constraints as soft biases (docs/braid.md, "Soft biases"): which soft constraints pull the
 * model toward or away from some tokens, with what pattern and weight. Maze adds the weights to the
 * logits of the tokens the mask allows (src/maze/soft-biases.ts); a bias never allows a token.
 *
 * A pattern is a JavaScript regular expression source (no flags, no lookarounds or backreferences),
 * read as `RegExp.prototype.test` reads it against a token's text (its bytes as UTF-8, leading
 * spaces included) and run by the engine's automaton: unanchored unless the pattern anchors itself,
 * and every pattern written here does (`^…$`), so a pattern names exactly the tokens it is about.
 * Control and end tokens never match.
 *
 * Weights are logits: `scale × confidence` (an Ariadne `weight:` is stored as the confidence),
 * rounded to 0.01, negative for what the constraint warns against:
 * - naming styles (BIAS_SCALE.naming = 1.5): toward the tokens that join words in the style
 *   (`_user` for snake_case, `Name` for camelCase and PascalCase, `_MAX` for SCREAMING_SNAKE_CASE);
 * - forbidden identifiers, calls and patterns that name them (BIAS_SCALE.avoid = 4, negative):
 *   away from the tokens that spell the whole name, after optional spaces (` eval`, `eval(`);
 * - error-handling and async styles (BIAS_SCALE.preference = 3): toward their keywords (`try`,
 *   `await`, `Ok`/`Err`, `err`, `go`, …); `sync` away from `async`/`await`.
 * Everything else soft stays advisory (no token pattern says it: tests, pre/postconditions,
 * imports, signatures, lengths, …).
 */
import type { Constraint, Language, NamingStyle, SoftBias } from '../core/index.ts';

export const BIAS_SCALE = { naming: 1.5, avoid: 4, preference: 3 } as const;

/** What a soft constraint becomes: biases with a sentence for the enforcement entry, or why none. */
export type SoftBiasPlan = { biases: SoftBias[]; what: string } | { biases: []; why: string };

/** The tokens that join the words of a name in a style (no leading space: inside a name). */
const STYLE_JOINT: Partial<Record<NamingStyle, { pattern: string; what: string }>> = {
  camelCase: { pattern: '^[A-Z][a-z0-9]+$', what: 'capitalised word tokens (camelCase humps)' },
  PascalCase: { pattern: '^[A-Z][a-z0-9]+$', what: 'capitalised word tokens (PascalCase words)' },
  snake_case: { pattern: '^_[a-z0-9]+$', what: '`_word` tokens (snake_case joints)' },
  SCREAMING_SNAKE_CASE: { pattern: '^_?[A-Z][A-Z0-9]+$', what: 'upper-case word tokens (SCREAMING_SNAKE_CASE)' },
};

const ERROR_KEYWORDS: Record<string, string[]> = {
  exceptions: ['try'],
  result_type: ['Ok', 'Err'],
  error_return: ['err'],
  option_type: ['Some', 'None'],
};

const ASYNC_KEYWORDS: Record<string, { words: string[]; sign: 1 | -1; dotted?: boolean }> = {
  async_await: { words: ['async', 'await'], sign: 1 },
  promises: { words: ['then'], sign: 1, dotted: true },
  callbacks: { words: ['callback', 'cb', 'done'], sign: 1 },
  goroutines: { words: ['go'], sign: 1 },
  sync: { words: ['async', 'await'], sign: -1 },
};

const escapeRegex = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);

/** Tokens that are one of `words`, after optional spaces (and an optional `.` for members). */
export function wordPattern(words: readonly string[], dotted = false): string {
  return `^\\s*${dotted ? '\\.?' : ''}(?:${words.map(escapeRegex).join('|')})$`;
}

/** Tokens that spell the whole of one of `names` (after optional spaces), not followed by more of a name. */
export function namePattern(names: readonly string[]): string {
  // "Not followed by more of a name" without a lookahead: Maze runs patterns as automata.
  return `^\\s*(?:${names.map(escapeRegex).join('|')})(?:[^\\w$][\\s\\S]*)?$`;
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** Patterns by the names or words they are made of (a compile asks for the same lists again and again). */
const patternCache = new Map<string, string>();
function cachedPattern(key: string, make: () => string): string {
  let p = patternCache.get(key);
  if (p === undefined) {
    if (patternCache.size >= 4096) patternCache.clear();
    p = make();
    patternCache.set(key, p);
  }
  return p;
}

/** One bias of `c` (none when its weight rounds to 0), with the sentence for the enforcement entry. */
function one(c: Constraint, conf: number, pattern: string, scale: number, sign: 1 | -1, why: string, what: string): SoftBiasPlan {
  const weight = round(sign * scale * conf);
  if (weight === 0) return { biases: [], why: 'confidence 0: no weight' };
  return { biases: [{ pattern, weight, constraintId: c.id, why }], what };
}

/**
 * The biases of one soft constraint for a target language (`names`: the names a forbidden
 * identifier, call or pattern rule spells, as Braid's hard path reads them).
 */
export function softBiasPlan(c: Constraint, lang: Language | 'json', names: readonly string[] | undefined): SoftBiasPlan {
  if (lang === 'json') return { biases: [], why: 'a json target has no identifiers or keywords to bias' };
  const conf = Number.isFinite(c.confidence) ? Math.max(0, Math.min(1, c.confidence)) : 0;
  const r = c.rule;
  switch (r.type) {
    case 'naming': {
      if (r.identifierKind === 'file') return { biases: [], why: 'file names are not generated' };
      const j = STYLE_JOINT[r.style];
      if (!j) return { biases: [], why: `no token pattern tells ${r.style} names apart` };
      return one(c, conf, j.pattern, BIAS_SCALE.naming, 1, `${r.identifierKind} names are ${r.style}`, `toward ${j.what}`);
    }
    case 'forbidden_identifiers':
    case 'forbidden_calls':
    case 'forbidden_pattern': {
      if (!names || names.length === 0) return { biases: [], why: 'no plain name to bias against (dotted callees, arguments or strings): checked by nothing while decoding' };
      const list = names.join(', ');
      return one(c, conf, cachedPattern(`n\u0000${list}`, () => namePattern(names)), BIAS_SCALE.avoid, -1, `avoid ${list}`, `away from tokens spelling ${list}`);
    }
    case 'error_handling': {
      const words = ERROR_KEYWORDS[r.style];
      if (!words) return { biases: [], why: `no keyword marks ${r.style}` };
      return one(c, conf, cachedPattern(`e\u0000${r.style}`, () => wordPattern(words)), BIAS_SCALE.preference, 1, `errors handled by ${r.style}`, `toward ${words.join(', ')}`);
    }
    case 'async_style': {
      const k = ASYNC_KEYWORDS[r.style];
      if (!k) return { biases: [], why: `no keyword marks ${r.style}` };
      return one(c, conf, cachedPattern(`a\u0000${r.style}`, () => wordPattern(k.words, k.dotted)), BIAS_SCALE.preference, k.sign, `async style ${r.style}`, `${k.sign > 0 ? 'toward' : 'away from'} ${k.words.join(', ')}`);
    }
    default:
      return { biases: [], why: `no token pattern expresses ${r.type} rules` };
  }
}
