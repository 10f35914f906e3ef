/** What one engine did with one MaskBench schema: shared by our runner and the peer's. */
export type SchemaStatus = 'passing' | 'compileError' | 'validationError' | 'invalidationError' | 'crash' | 'timeout';

/** One instance the engine judged wrongly (or could not finish). */
export interface InstanceFailure {
  /** Index in the file's `tests`. */
  test: number;
  valid: boolean;
  /** What happened: `rejected at token 12 of 40 ("foo")`, `accepted`, `not accepting at the end`. */
  outcome: string;
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
}
