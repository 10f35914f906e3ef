/**
 * Every error Ananke raises on purpose is an AnankeError with a stable code. The CLI prints the
 * message (no stack) and exits with the code's exit status. Codes never change meaning.
 */
export const ERROR_CODES = {
  USAGE: { exit: 2, what: 'bad command-line usage or option value' },
  NOT_FOUND: { exit: 3, what: 'a path or resource does not exist' },
  IO: { exit: 3, what: 'a file could not be read or written' },
  PARSE: { exit: 4, what: 'input could not be parsed (source file, config, JSON)' },
  GRAMMAR: { exit: 2, what: 'a grammar is invalid or uses an unsupported construct' },
  SCHEMA: { exit: 2, what: 'a JSON Schema is invalid or uses a keyword that cannot be enforced' },
  LIMIT: { exit: 5, what: 'an explicit work limit was exceeded' },
  UNSUPPORTED: { exit: 6, what: 'the request needs something Ananke does not support' },
  TOKENIZER: { exit: 2, what: 'a tokenizer could not be loaded' },
  INTERNAL: { exit: 70, what: 'a bug in Ananke; please report it' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
}

export class AnankeError extends Error {
  override readonly name = 'AnankeError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly location?: ErrorLocation,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
}
