/**
 * The size of V8's pool of helper threads (Node's `--v8-pool-size`, 4 by default) for the commands
 * that compute masks for a long time: `serve`, `generate`, `bench`. The pool runs the collector's
 * concurrent marking and the optimizing compiler; on a machine with few cores, four busy helpers
 * and the thread computing masks are more runnable threads than cores, and the scheduler stops that
 * thread for a time slice (2–4 ms here) in the middle of a mask. With one helper on a 2-core machine
 * the largest mask of a MaskBench dev-set run without a collector pause inside went from 7.9–8.4 ms
 * to 4.6–5.6 ms (six alternated pairs; docs/engine-maskbench.md).
 *
 * The size can only be set when Node starts, so the `ananke` command starts itself again with the
 * flag when the process was started without it: the child shares stdio, gets the signals this
 * process gets, and this process exits as the child does.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { AnankeError, EXIT, startedPoolSize } from '../core/index.ts';

/** Node's own default pool size. */
const NODE_DEFAULT_POOL = 4;
/** The commands that run masks long enough for the helpers to matter. */
const POOL_COMMANDS = new Set(['serve', 'generate', 'bench']);
export const POOL_ENV = 'ANANKE_V8_POOL_SIZE';

/**
 * The pool size to start a command with, or undefined to leave Node's default: `env` is
 * ANANKE_V8_POOL_SIZE (a positive integer, or 0: leave the default), else one fewer than the cores
 * where that is below Node's default, so that the helpers and the main thread fit the machine.
 */
export function v8PoolSize(env: string | undefined, cores: number): number | undefined {
  if (env !== undefined && env.trim() !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 0 || n > 1024) throw new AnankeError('USAGE', `${POOL_ENV} must be an integer from 0 to 1024 (0: Node's default), not ${JSON.stringify(env)}`);
    return n === 0 ? undefined : n;
  }
  return cores - 1 < NODE_DEFAULT_POOL ? Math.max(1, cores - 1) : undefined;
}

/** Whether `args` run a command that computes masks for long (POOL_COMMANDS): their first argument that is not an option. */
export function isPoolCommand(args: readonly string[]): boolean {
  const command = args.find((a) => !a.startsWith('-'));
  return command !== undefined && POOL_COMMANDS.has(command);
}

/** Signals passed on to the child. A terminal's Ctrl-C reaches both (one process group): the commands take a second SIGINT while stopping. */
const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Starts `script` with `args` again under the pool size v8PoolSize gives, unless the process was
 * started with a size or v8PoolSize leaves Node's default; true when it did: this process then only
 * passes signals on and, when the child ends, exits with its status (or is killed by its signal).
 * Throws AnankeError USAGE for a bad ANANKE_V8_POOL_SIZE.
 */
export function relaunchWithPool(script: string, args: readonly string[]): boolean {
  if (startedPoolSize() !== undefined) return false;
  const size = v8PoolSize(process.env[POOL_ENV], availableParallelism());
  if (size === undefined) return false;
  // The IPC channel only tells the child when this process is gone (followParent).
  const child = spawn(process.execPath, [...process.execArgv, `--v8-pool-size=${size}`, script, ...args], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  for (const s of FORWARDED) process.on(s, forward);
  child.on('error', (e) => {
    process.stderr.write(`ananke: error [INTERNAL]: could not start ${process.execPath} with --v8-pool-size=${size}: ${e.message} (${POOL_ENV}=0 runs without it)\n`);
    process.exitCode = EXIT.INTERNAL;
  });
  child.on('exit', (code, signal) => {
    for (const s of FORWARDED) process.removeListener(s, forward);
    if (signal !== null) process.kill(process.pid, signal);
    else process.exitCode = code ?? EXIT.INTERNAL;
  });
  return true;
}

/**
 * In a child relaunchWithPool started (an IPC channel and a pool size given): when the first process
 * ends without passing a signal on (killed with SIGKILL), stop as on SIGTERM, so that no server is
 * left holding its port. The channel does not keep the process alive.
 */
export function followParent(): void {
  if (process.channel === undefined || startedPoolSize() === undefined) return;
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
