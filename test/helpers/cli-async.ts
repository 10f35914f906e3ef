/**
 * Runs the real `ananke` binary in a child process without blocking the test's event loop, so a
 * server the test itself runs (a loopback stand-in, `ananke serve`) can answer the CLI's requests.
 * (helpers/cli.ts's runCli is synchronous: a server in the same process could not answer.)
 */
import { spawn } from 'node:child_process';
import { BIN, ROOT, type CliResult } from './cli.ts';

export function runCliAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ANANKE_CACHE_DIR: undefined, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ananke ${args.join(' ')} ran past ${opts.timeoutMs ?? 60_000} ms\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}
