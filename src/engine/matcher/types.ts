/**
 * The per-sequence matching state (docs/architecture.md, "Matcher"). Created cheaply from a compiled
 * grammar; all methods are bounded by the grammar's limits.
 */
export interface Matcher {
  /**
   * Fill `bits` (length ceil(vocabSize / 32)) with the allowed next tokens: bit i of word i>>5 is
   * token i. End-of-sequence tokens are set exactly when the grammar accepts here.
   */
  computeMask(bits: Uint32Array): void;
  /** Advance by one token. Returns false (and changes nothing) if the token is not allowed. */
  consume(token: number): boolean;
  /** Undo the last n consumed tokens. */
  rollback(n: number): void;
  /** An independent copy sharing the compiled grammar. */
  clone(): Matcher;
  /** True when the text so far is a complete sentence of the grammar. */
  isAccepting(): boolean;
  /** True once an end-of-sequence token has been consumed, or nothing more can follow. */
  isStopped(): boolean;
  /**
   * Tokens that are forced from here (the only way to continue), in the tokenizer's canonical
   * tokenization of the forced bytes. Empty when there is a choice.
   */
  forcedTokens(): number[];
  /** Number of tokens consumed so far. */
  readonly position: number;
}
