/**
 * Explicit bounds on the engine's work. Going past one of the `max…` limits raises
 * EngineError('LIMIT', ...) naming the limit, never a hang or an out-of-memory crash. Going past one
 * of the `…CacheBytes` budgets never fails: that cache stops growing and what it would have held is
 * computed each time (the same result, slower). Defaults are sized so real grammars (MaskBench
 * schemas, program grammars) fit with a wide margin.
 */
export interface Limits {
  /** Rules + alternatives + symbols after desugaring. */
  maxGrammarSize: number;
  /** Distinct lexer DFA states built lazily over the life of a compiled grammar. */
  maxLexerStates: number;
  /**
   * Regex AST nodes (counting counted repetition as expanded) for one lexeme. The lexer never
   * unrolls a repetition; this bounds terminals built by nesting and doubling, while a JSON string
   * with a maxLength of 32,767 (31 nodes per spelled character) still fits.
   */
  maxRegexSize: number;
  /** Earley items in one parser row. */
  maxItemsPerRow: number;
  /** Lexer transitions computed (not cached) during one computeMask call. */
  maxLexerStepsPerMask: number;
  /** Nesting depth of a JSON Schema / grammar expression. */
  maxNesting: number;
  /**
   * Memory for the per-lexer-state plans of one compiled grammar (matcher/mask.ts): what a trie walk
   * from a lexer state yields without the parser. A top-level plan is one vocabulary bitmap (16 KB
   * for Llama-3, 19 KB for Qwen3) plus its exit groups; the default holds a few thousand lexer
   * states. Past it, a mask walks the trie (a few ms for Llama-3) instead of copying a plan (µs).
   */
  planCacheBytes: number;
  /**
   * Memory for whole masks of one compiled grammar, keyed by (interned parser state, lexer state,
   * fresh) (matcher/mask.ts): a dense mask costs one vocabulary bitmap the first time its content is
   * stored and 64 bytes for every later position with the same content, a sparse one 4 bytes per
   * allowed token. The default holds 2,000 distinct dense Llama-3 masks (program grammars make
   * ~500–1,100 distinct masks over 20,000 positions of real code). Past it, no new mask is stored
   * and masks are assembled from the plans (a few parser pushes each).
   */
  fullMaskCacheBytes: number;
  /**
   * Memory for interned parser states of one compiled grammar (parser/row-intern.ts), 8 bytes per
   * kernel item of each distinct row. Past it, new rows get no id, so their masks skip the
   * full-mask cache.
   */
  internedStateBytes: number;
  /**
   * Memory for the memo of exit-group contributions of one compiled grammar (matcher/group-memo.ts):
   * per group, the tokens its parser pushes allowed, keyed by the parser rows they read. Past it, no
   * new contribution is stored and groups met for the first time push the parser. Off (0) when
   * planCacheBytes is 0.
   */
  memoCacheBytes: number;
  /**
   * Memory for trie walks shared between the grammars compiled for one tokenizer
   * (matcher/shared-plans.ts): a process-wide store, keyed by the canonical terms of a lexer state,
   * that a grammar reads and adds to while it holds less than this grammar's value. 0 keeps this
   * grammar out of it (neither reading nor adding); off when planCacheBytes is 0.
   */
  sharedPlanBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxGrammarSize: 2_000_000,
  maxLexerStates: 200_000,
  maxRegexSize: 4_000_000,
  maxItemsPerRow: 100_000,
  maxLexerStepsPerMask: 5_000_000,
  maxNesting: 200,
  planCacheBytes: 64 * 1024 * 1024,
  fullMaskCacheBytes: 32 * 1024 * 1024,
  internedStateBytes: 16 * 1024 * 1024,
  memoCacheBytes: 64 * 1024 * 1024,
  sharedPlanBytes: 128 * 1024 * 1024,
};

export function withLimits(partial?: Partial<Limits>): Limits {
  return { ...DEFAULT_LIMITS, ...partial };
}
