/**
 * Explicit bounds on the engine's work. Going past one raises EngineError('LIMIT', ...) naming the
 * limit, never a hang or an out-of-memory crash. Defaults are sized so real grammars (MaskBench
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
}

export const DEFAULT_LIMITS: Limits = {
  maxGrammarSize: 2_000_000,
  maxLexerStates: 200_000,
  maxRegexSize: 4_000_000,
  maxItemsPerRow: 100_000,
  maxLexerStepsPerMask: 5_000_000,
  maxNesting: 200,
};

export function withLimits(partial?: Partial<Limits>): Limits {
  return { ...DEFAULT_LIMITS, ...partial };
}
