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
  /**
   * The shortest text (in bytes, approximately: docs/engine-matcher.md) that, appended to what was
   * read, makes the text a sentence of the grammar (with `options.suffix`, one the suffix can then
   * follow to a sentence), with its tokens; verified by reading it on a copy. Null when none is
   * found within the options' bounds. The matcher itself is not changed.
   */
  shortestCompletion(options?: CompletionOptions): Completion | null;
  /** Number of tokens consumed so far. */
  readonly position: number;
}

/** Bounds and goal of `Matcher.shortestCompletion` (defaults in matcher/completion.ts). */
export interface CompletionOptions {
  /** Longest completion considered, in bytes (default 4,096). */
  maxBytes?: number;
  /** Work bound: chart items read, lexer states visited and bytes read in all (default 1,000,000). */
  maxSteps?: number;
  /** Candidate texts read on a copy of the matcher before giving up (default 32). */
  maxCandidates?: number;
  /**
   * Fixed text that must follow the completion (a fill-in-the-middle suffix): the completion is
   * one after which this text reads to a sentence, instead of one that is a sentence by itself.
   */
  suffix?: string;
}

/** A completion: bytes that make the text a sentence, and the tokens that spell them. */
export interface Completion {
  /** The bytes decoded (U+FFFD where they end or start inside a character). */
  text: string;
  bytes: Uint8Array;
  /**
   * The bytes as tokens of the vocabulary: the tokenizer's own encoding where the matcher takes it
   * token by token, else the longest tokens it takes, byte run by byte run. Consuming them in order
   * leaves the matcher accepting (with `suffix`: able to read the suffix to a sentence).
   */
  tokens: number[];
}
