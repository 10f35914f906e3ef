/**
 * Every error Ananke raises on purpose is an AnankeError with a stable code. The CLI prints the
 * message (no stack) and exits with the code's exit status. Codes never change meaning.
 */

/**
 * Every exit status of the `ananke` command, one table for all commands (the README's table is
 * this one). 0 and 1 are answers; the others are errors, each reached through an error code below.
 */
export const EXIT = {
  /** Done, and the answer is yes (text accepted, instances valid, no regression). */
  OK: 0,
  /** Ran fine, and the answer is no (text rejected, an instance invalid, no source file, a regression). */
  NO: 1,
  /** Bad usage, or an invalid grammar, regex, schema or tokenizer. */
  INVALID: 2,
  NOT_FOUND: 3,
  PARSE: 4,
  LIMIT: 5,
  UNSUPPORTED: 6,
  /** An inference server could not be reached, timed out, kept failing, or refused the request. */
  UNAVAILABLE: 7,
  INTERNAL: 70,
} as const;

export const ERROR_CODES = {
  USAGE: { exit: EXIT.INVALID, what: 'bad command-line usage or option value' },
  NOT_FOUND: { exit: EXIT.NOT_FOUND, what: 'a path or resource does not exist' },
  IO: { exit: EXIT.NOT_FOUND, what: 'a file could not be read or written' },
  PARSE: { exit: EXIT.PARSE, what: 'input could not be parsed (source file, config, JSON)' },
  GRAMMAR: { exit: EXIT.INVALID, what: 'a grammar is invalid or uses an unsupported construct' },
  REGEX: { exit: EXIT.INVALID, what: 'a regex is invalid or uses an unsupported construct' },
  SCHEMA: { exit: EXIT.INVALID, what: 'a JSON Schema is invalid or uses a keyword that cannot be enforced' },
  TOKENIZER: { exit: EXIT.INVALID, what: 'a tokenizer could not be loaded' },
  LIMIT: { exit: EXIT.LIMIT, what: 'an explicit work limit was exceeded' },
  UNSUPPORTED: { exit: EXIT.UNSUPPORTED, what: 'the request needs something Ananke does not support' },
  SERVER: { exit: EXIT.UNAVAILABLE, what: 'an inference server could not be reached, did not answer in time, kept failing, or refused the request' },
  CONFLICT: { exit: EXIT.INVALID, what: 'constraints contradict each other and no rule decides which to keep (hard constraints tied, or a hard constraint that nothing satisfies)' },
  INTERNAL: { exit: EXIT.INTERNAL, what: 'a bug in Ananke; please report it' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(s: string): s is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, s);
}

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
