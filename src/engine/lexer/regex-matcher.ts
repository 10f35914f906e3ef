import { parseRegex } from '../regex/parse.ts';
import type { RegexFlavor } from '../regex/parse.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import type { Limits } from '../limits.ts';
import { Lexer } from './lexer.ts';

/** Whole-string matching of one regex (tests, validation of results). */
export interface RegexMatcher {
  /** True when the whole of `text` (as UTF-8) matches the regex. */
  matches(text: string): boolean;
  /** True when the whole of `bytes` matches the regex. */
  matchesBytes(bytes: Uint8Array): boolean;
}

const encoder = new TextEncoder();

/**
 * Compile `source` (Rust `regex` syntax by default) into a one-lexeme Lexer and wrap it. With
 * `search`, the regex may match anywhere unless it anchors itself (`RegExp.test`'s reading);
 * either way matching is a DFA walk, linear in the text, its states bounded by `limits`.
 */
export function compileRegexMatcher(source: string, flavor: RegexFlavor = 'rust', limits: Limits = DEFAULT_LIMITS, search = false): RegexMatcher {
  const lexer = new Lexer([parseRegex(source, { flavor, limits, search })], limits);
  return {
    matches: (text: string) => lexer.matchesLexeme(0, encoder.encode(text)),
    matchesBytes: (bytes: Uint8Array) => lexer.matchesLexeme(0, bytes),
  };
}
