/**
 * Errors as HTTP answers, in the shape OpenAI's API and its clients use
 * (`{ "error": { "message", "type", "param", "code" } }`): every refusal names what was wrong, and
 * `param` names the field when one is at fault. Ananke's and the engine's own errors map to a
 * status by their stable codes; anything else is a 500 whose detail goes to the server's log only.
 */
import { AnankeError } from '../core/index.ts';
import { EngineError } from '../engine/index.ts';

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'unavailable_error'
  | 'server_error';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly type: ErrorType = status >= 500 ? 'server_error' : 'invalid_request_error',
    /** The request field at fault (`guided_json`, `messages[2].content`). */
    readonly param: string | null = null,
    /** A stable machine-readable code (`unknown_field`, `conflicting_constraints`, `queue_full`…). */
    readonly code: string | null = null,
    /** Extra response headers (`Retry-After`, `WWW-Authenticate`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { message: string; type: ErrorType; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** A 400 naming the field. */
export function badRequest(message: string, param: string | null = null, code: string | null = 'invalid_value'): HttpError {
  return new HttpError(400, message, 'invalid_request_error', param, code);
}

/**
 * Any error thrown while handling a request, as an HttpError. `param` is the field whose content
 * was being compiled when a grammar, regex or schema error was raised.
 */
export function toHttpError(e: unknown, param: string | null = null): HttpError {
  if (e instanceof HttpError) return e;
  if (e instanceof EngineError) {
    if (e.code === 'TOKENIZER' || e.code === 'STATE') return new HttpError(500, `engine: ${e.message}`, 'server_error', null, e.code.toLowerCase());
    return badRequest(`${param ? `${param}: ` : ''}${e.message}`, param, e.code === 'LIMIT' ? 'limit_exceeded' : `invalid_${e.code.toLowerCase()}`);
  }
  if (e instanceof AnankeError) {
    switch (e.code) {
      case 'INTERNAL':
      case 'IO':
      case 'TOKENIZER':
        return new HttpError(500, e.message, 'server_error', null, e.code.toLowerCase());
      case 'LIMIT':
        return badRequest(e.message, param, 'limit_exceeded');
      case 'NOT_FOUND':
        return new HttpError(404, e.message, 'not_found_error', param, 'not_found');
      default:
        return badRequest(`${param ? `${param}: ` : ''}${e.message}`, param, e.code.toLowerCase());
    }
  }
  return new HttpError(500, 'internal server error (the server log has the details)', 'server_error', null, 'internal');
}
