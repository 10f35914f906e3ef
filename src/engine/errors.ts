/**
 * The engine's own error type: the engine imports nothing from the rest of Ananke, so it cannot use
 * core's AnankeError. The CLI maps `code` to its exit status. Codes are stable.
 */
export type EngineErrorCode =
  | 'GRAMMAR'      // a grammar (Lark, GBNF) is malformed or uses an unsupported construct
  | 'REGEX'        // a regex is malformed or uses an unsupported construct
  | 'SCHEMA'       // a JSON Schema is malformed or uses a keyword that cannot be enforced
  | 'TOKENIZER'    // a tokenizer could not be loaded or a token id is out of range
  | 'LIMIT'        // an explicit work limit (see limits.ts) was exceeded
  | 'STATE';       // an API was used out of order (consume after a rejected token, rollback too far)

export interface SourcePosition {
  line: number;
  column: number;
}

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly position?: SourcePosition,
  ) {
    super(position ? `${message} (line ${position.line}, column ${position.column})` : message);
  }
}
