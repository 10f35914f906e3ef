/**
 * A tool run on a candidate (a test, a parser, a type checker): exit status, whether it ran past its
 * time, and the end of what it printed. Generated code runs here, so every run has a time limit
 * and its output is cut to a tail.
 */
import { spawnSync } from 'node:child_process';

export interface ProcessOutcome {
  /** Exit status; null when the process was killed (time limit) or could not start. */
  status: number | null;
  timedOut: boolean;
  /** Could not start at all (the program is missing). */
  missing: boolean;
  /** The last OUTPUT_TAIL characters of stdout and stderr together. */
  output: string;
}

const OUTPUT_TAIL = 2000;

export function runProcess(command: string, args: readonly string[], opts: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): ProcessOutcome {
  const r = spawnSync(command, args, {
    cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', timeout: opts.timeoutMs, killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const err = r.error as NodeJS.ErrnoException | undefined;
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  return {
    status: r.status,
    timedOut: err?.code === 'ETIMEDOUT' || (r.signal === 'SIGKILL' && r.status === null),
    missing: err?.code === 'ENOENT',
    output: output.length > OUTPUT_TAIL ? `…${output.slice(-OUTPUT_TAIL)}` : output,
  };
}
