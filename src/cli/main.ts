import { Command, CommanderError } from 'commander';
import { EXIT, VERSION } from '../core/index.ts';
import { registerCommands } from './commands/index.ts';
import { reportError } from './report-error.ts';
import { followParent, isPoolCommand, relaunchWithPool } from './v8-pool.ts';

export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('ananke')
    .description('Constraint-driven code generation: extract constraints, compile them, enforce them per token.')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    // Commander's own error lines are replaced by ours (reportError), in the one format.
    .configureOutput({ outputError: () => {} })
    .addHelpText('after', '\nRun `ananke <command> --help` for a command\'s options and an example.\nExit statuses and error codes: see the README ("Errors and exit codes").');
  await registerCommands(program, argv);
  return program;
}

/** Runs the CLI; returns the exit status instead of exiting, so tests can call it in-process. */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version arrive here with exit code 0; a bare group (`ananke bench`) prints help.
      if (e.exitCode === 0 || e.code === 'commander.help' || e.code === 'commander.helpDisplayed') return EXIT.OK;
      if (e.code === 'commander.executeSubCommandAsync') return EXIT.OK;
      const cmd = argv.find((a) => !a.startsWith('-'));
      return reportError(e, json, `(run \`ananke ${cmd && !e.code.endsWith('unknownCommand') ? `${cmd} ` : ''}--help\` for usage)`);
    }
    return reportError(e, json);
  }
}

/**
 * The `ananke` executable: a reader that stops early (`ananke extract src --json | head`) closes
 * the pipe; that ends the run quietly, as it does for any Unix tool, instead of an EPIPE trace.
 */
export async function run(argv: string[]): Promise<number> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.OK);
    throw e;
  });
  return main(argv);
}

/**
 * The `ananke` executable (`script` is its path): runs the CLI, or, for the commands that compute
 * masks for long, starts it again with V8's helper pool sized for the machine (v8-pool.ts). Returns
 * the exit status, or undefined when a child process runs the command.
 */
export async function start(script: string, argv: string[]): Promise<number | undefined> {
  try {
    followParent();
    if (isPoolCommand(argv) && relaunchWithPool(script, argv)) return undefined;
  } catch (e) {
    return reportError(e, argv.includes('--json'));
  }
  return run(argv);
}
