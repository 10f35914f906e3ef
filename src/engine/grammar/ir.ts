import type { Regex } from '../regex/ast.ts';

/**
 * The engine's grammar form. Every front end (Lark dialect, GBNF, regex, JSON Schema) produces
 * this; the Earley parser and the lexer consume it.
 *
 * Terminals are lexemes: each one regex, lexed by the shared lazy DFA. Rules are context-free over
 * lexemes, rules and special tokens. `ignore` lexemes may appear between any two lexemes.
 */
export interface LexemeDef {
  /** Terminal name (`STRING`), or a generated name for literals (`"if"` → `"if"`). */
  name: string;
  regex: Regex;
  /** Set when the lexeme is a plain string literal; used for display and forced tokens. */
  literal?: string;
  /** End the lexeme at the first match instead of the longest (`[lazy]`, `stop=`). */
  lazy?: boolean;
  /** `[max_tokens=N]` on the rule wrapping this lexeme. */
  maxTokens?: number;
  /**
   * `%declare NAME`: a zero-width terminal with no regex (`regex` is never), produced only by the
   * engine's machinery (indentation tokens, gap markers; GrammarOptions).
   */
  declared?: boolean;
}

export type Sym =
  | { kind: 'lexeme'; id: number }
  | { kind: 'rule'; id: number }
  /** A special token matched by id, not by bytes (`<|eot_id|>`, `<[128010]>`, ranges, `<[^…]>`). */
  | { kind: 'token'; ids: TokenSet };

/** A set of token ids: explicit ranges, optionally negated (`<[^…]>`), or every token (`<[*]>`). */
export interface TokenSet {
  ranges: ReadonlyArray<readonly [number, number]>;
  negated: boolean;
  /** Names as written (`<|eot_id|>`), resolved to ids against the tokenizer at compile time. */
  names?: readonly string[];
}

export interface RuleDef {
  name: string;
  alternatives: Sym[][];
  /** `[capture]` / `[capture="x"]` in the Lark dialect: recorded for callers, not enforced. */
  capture?: string;
  /** `[temperature=T]` in the Lark dialect: recorded for samplers, not enforced by the matcher. */
  temperature?: number;
}

export interface Grammar {
  lexemes: LexemeDef[];
  rules: RuleDef[];
  /** Index into `rules`. */
  start: number;
  /** Lexeme ids that may appear between any two lexemes (`%ignore`). */
  ignore: number[];
  /** Options from `%llguidance { … }`. */
  options?: GrammarOptions;
}

/** Options from `%llguidance { … }` (docs/engine-grammars.md, "Features for program grammars"). */
export interface GrammarOptions {
  ignoreOnce?: boolean;
  /** Python-style indentation (Lark's Indenter), computed in the parser and lexer state. */
  indentation?: IndentationOptions;
  /** End a dying lexeme at its last complete prefix and lex the rest again. */
  lexemeFallback?: boolean;
  /** Zero-width markers that constrain the %ignore'd gap between two lexemes. */
  gaps?: GapMarker[];
  /** Two touching lexemes may not both be "word" at the seam (`word_boundary`). */
  wordBoundary?: WordBoundaryOptions;
  /** In every JSON object, each tracked key lexeme at most once (`unique_keys`, parser/unique-keys.ts). */
  uniqueKeys?: UniqueKeysOptions;
}

/**
 * `unique_keys`: lexeme ids of JSON's punctuation (which tell objects, arrays and key positions
 * apart) and of the keys tracked: each tracked key may appear at most once among the keys of one
 * object. Costs nothing to grammars without it.
 */
export interface UniqueKeysOptions {
  openObject: number[];
  closeObject: number[];
  openArray: number[];
  closeArray: number[];
  comma: number[];
  keys: number[];
}

/**
 * `word_boundary`: where one lexeme ends and the next starts (any two lexemes, %ignore'd ones
 * included), the last byte of the first and the first byte of the second may not both be word
 * characters; the first byte may not be an `extraStart` character either.
 */
export interface WordBoundaryOptions {
  /** ASCII word characters, each listed once, in byte order (default `$0-9A-Z_a-z`). */
  word: string;
  /** Every byte 0x80–0xFF (every non-ASCII character) is a word character. */
  nonAscii: boolean;
  /** ASCII characters that may not start a lexeme right after a lexeme ending with a word character. */
  extraStart: string;
}

export interface IndentationOptions {
  /** Lexeme ids: the newline terminal, and the declared (zero-width) indent and dedent terminals. */
  newline: number;
  indent: number;
  dedent: number;
  /** Lexeme ids of the bracket literals that count depth (inside brackets newlines are ignored). */
  open: number[];
  close: number[];
  /** Columns a tab counts (Lark: spaces + tabs × tab_width after the last line break). */
  tabWidth: number;
}

export type GapKind = 'none' | 'no_newline' | 'newline';

export interface GapMarker {
  /** A declared (zero-width) lexeme placed between two symbols of a rule. */
  lexeme: number;
  kind: GapKind;
}
