/**
 * How every command reports a failure: `ananke: error [CODE]: message` on stderr, or with `--json`
 * one JSON object `{ "error": { code, message, exit, … } }` on stderr, and the exit status from the
 * one table in core/errors.ts. Errors of the engine and commander's usage errors are mapped onto
 * the same codes, so there is exactly one format and one table.
 */
import { CommanderError } from 'commander';
import { AnankeError, ERROR_CODES, EXIT, isErrorCode, type ErrorCode } from '../core/index.ts';
import type { EngineError, JsonSchemaError } from '../engine/index.ts';

export interface ReportedError {
  code: ErrorCode;
  message: string;
  exit: number;
  file?: string;
  line?: number;
  column?: number;
  /** JSON Schema errors: where in the schema, and which keyword. */
  pointer?: string;
  keyword?: string;
}

// Recognised by name, not instanceof: importing the engine here would load it for every command,
// `--help` included (startup time is measured: bench/cli.ts).
function isEngineError(e: unknown): e is EngineError {
  return e instanceof Error && e.name === 'EngineError' && typeof (e as { code?: unknown }).code === 'string';
}

function isSchemaError(e: EngineError): e is JsonSchemaError {
  return typeof (e as { pointer?: unknown }).pointer === 'string';
}

/** The error as the CLI reports it. */
export function describeError(e: unknown): ReportedError {
  if (e instanceof AnankeError) {
    return { code: e.code, message: e.message, exit: e.exitCode, ...e.location };
  }
  if (isEngineError(e)) {
    const code: ErrorCode = isErrorCode(e.code) ? e.code : 'INTERNAL'; // STATE: an API misuse is our bug
    const out: ReportedError = { code, message: e.message, exit: ERROR_CODES[code].exit, ...e.position };
    if (isSchemaError(e)) Object.assign(out, { pointer: e.pointer === '' ? '#' : `#${e.pointer}`, keyword: e.keyword });
    return out;
  }
  if (e instanceof CommanderError) {
    return { code: 'USAGE', message: e.message.replace(/^error: /, ''), exit: EXIT.INVALID };
  }
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  return { code: 'INTERNAL', message: `internal error (please report it with the command line): ${message}`, exit: EXIT.INTERNAL };
}

/** Writes the error to stderr and returns the exit status. */
export function reportError(e: unknown, json: boolean, hint?: string): number {
  const d = describeError(e);
  if (json) {
    process.stderr.write(JSON.stringify({ error: d }) + '\n');
  } else {
    const where = d.file !== undefined && !d.message.startsWith(d.file) ? `${d.file}${d.line !== undefined ? `:${d.line}` : ''}: ` : '';
    process.stderr.write(`ananke: error [${d.code}]: ${where}${d.message}\n${hint ? `${hint}\n` : ''}`);
  }
  return d.exit;
}
