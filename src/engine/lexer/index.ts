/** The lexer: one lazily built byte-level DFA shared by all lexemes of a grammar. */
export { Lexer } from './lexer.ts';
export { compileRegexMatcher } from './regex-matcher.ts';
export type { RegexMatcher } from './regex-matcher.ts';
