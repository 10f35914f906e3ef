/** What one engine did with one MaskBench schema: shared by our runner and the peer's. */
export type SchemaStatus = 'passing' | 'compileError' | 'validationError' | 'invalidationError' | 'crash' | 'timeout';

/** One instance the engine judged wrongly (or could not finish). */
export interface InstanceFailure {
  /** Index in the file's `tests`. */
  test: number;
  valid: boolean;
  /** What happened: `rejected at token 12 of 40 ("foo")`, `accepted`, `not accepting at the end`. */
  outcome: string;
  /** A valid instance accepted once its object keys are in the grammar's order (maskbench-order.ts). */
  orderOnly?: true;
}

export interface EngineSchemaResult {
  status: SchemaStatus;
  /** Time to first mask (compile + first mask), µs; absent when compilation failed. */
  ttfmUs?: number;
  /** Masks computed (one per instance token walked). */
  tokens: number;
  /** Slowest mask of this schema, µs. */
  maxTbmUs: number;
  /** Why it is not passing (compile error message, crash message, timeout). */
  error?: string;
  /** Instances judged wrongly (at most MAX_FAILURES listed). */
  failures?: InstanceFailure[];
  /** A validation error where every valid instance refused is refused only for its key order. */
  orderOnly?: true;
  /** Keywords the grammar holds as a superset and a post-check of the document decides (`oneOf at #/…`). */
  postChecks?: string[];
  /** Instances the grammar accepted and the post-check refused (with `postChecks`). */
  postCheckRejections?: number;
  /** Our engine: where its slowest mask was and what it built. */
  slowestMask?: SlowestMask;
}

/** One mask, located, with what the compiled grammar built while computing it. */
export interface SlowestMask {
  us: number;
  /** Instance index in the file, and token index in it (the mask before that token). */
  test: number;
  token: number;
  /** Up to 8 tokens before it, decoded (JSON-quoted). */
  before: string;
  /** Lexer DFA states created during the mask. */
  newLexerStates: number;
  /** Top-level plans (per-lexer-state trie walks) built during the mask. */
  plansBuilt: number;
  /** Whether it came from the full-mask cache. */
  fullMaskHit: boolean;
  /** Milliseconds of garbage-collection pause inside it (set at the end of the run; absent under 1 ms). */
  gcMs?: number;
}
