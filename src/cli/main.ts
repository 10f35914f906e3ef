import { Command, CommanderError } from 'commander';
import { AnankeError, ERROR_CODES, VERSION } from '../core/index.ts';
import { EngineError } from '../engine/index.ts';
import { registerCommands } from './commands/index.ts';

/** Exit statuses shared by every command (documented in the README). */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const;

function engineExit(e: EngineError): number {
  switch (e.code) {
    case 'GRAMMAR': case 'REGEX': case 'SCHEMA': case 'TOKENIZER': return ERROR_CODES.GRAMMAR.exit;
    case 'LIMIT': return ERROR_CODES.LIMIT.exit;
    case 'STATE': return ERROR_CODES.INTERNAL.exit;
  }
}

export function buildProgram(): Command {
  const program = new Command('ananke')
    .description('Constraint-driven code generation: extract constraints, compile them, enforce them per token.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerCommands(program);
  return program;
}

/** Runs the CLI; returns the exit status instead of exiting, so tests can call it in-process. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version arrive here with exit code 0.
      return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (e instanceof AnankeError) {
      const where = e.location?.file ? `${e.location.file}${e.location.line ? `:${e.location.line}` : ''}: ` : '';
      process.stderr.write(`ananke: error [${e.code}]: ${where}${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof EngineError) {
      process.stderr.write(`ananke: error [${e.code}]: ${e.message}\n`);
      return engineExit(e);
    }
    process.stderr.write(`ananke: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return ERROR_CODES.INTERNAL.exit;
  }
}
