import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/ananke.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `ananke` binary in a child process, as a user would. */
export function runCli(args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    // A cache moved by the developer's own ANANKE_CACHE_DIR would change what tests see; a test sets it when it means to.
    env: { ...process.env, NO_COLOR: '1', ANANKE_CACHE_DIR: undefined, ...opts.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
