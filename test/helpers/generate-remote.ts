/**
 * `ananke generate --json` against a server at an endpoint, on a small project written to a
 * temporary folder: a json: target and a new: TypeScript function. For any server that speaks one
 * of the formats (a loopback stand-in, or `ananke serve`):
 *
 *   const r = await generateAgainst(url, ['--backend', 'openai', '--server', 'ananke'], 'json');
 *   assert.equal(r.status, 0); assert.equal(r.out?.report.grammarAccepted, true);
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCliAsync } from './cli-async.ts';

export const REMOTE_SCHEMA = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false };
export const REMOTE_SIGNATURE = 'export function sumAll(values: number[]): number';

export interface GenerateOutput {
  code: string;
  report: {
    backend: string; model: string; stop: string; grammarAccepted: boolean; truncated: boolean;
    remote?: { url: string; server?: string; model: string; attempts: number; constraint: string; grammarFormat?: string; rejection?: { line?: number; column?: number; message?: string } };
    constraints: Array<{ id: string; mode: string; checked?: boolean; satisfied?: boolean }>;
  };
  stats: Record<string, unknown>;
}

export interface RemoteRun {
  status: number;
  stdout: string;
  stderr: string;
  /** The parsed --json output, when the run printed one. */
  out?: GenerateOutput;
}

/** A folder with schema.json and src/math.ts (camelCase functions, so naming rules apply). */
export function remoteProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ananke-remote-'));
  writeFileSync(path.join(dir, 'schema.json'), JSON.stringify(REMOTE_SCHEMA));
  mkdirSync(path.join(dir, 'src'));
  const fns = Array.from({ length: 24 }, (_, i) => `export function scaleValue${i}(inputValue: number): number {\n  const scaledValue = inputValue * ${i};\n  return scaledValue;\n}\n`);
  writeFileSync(path.join(dir, 'src/math.ts'), fns.join('\n'));
  return dir;
}

export async function generateAgainst(
  endpoint: string, backendArgs: string[], target: 'json' | 'function',
  opts: { dir?: string; env?: NodeJS.ProcessEnv; extra?: string[] } = {},
): Promise<RemoteRun> {
  const dir = opts.dir ?? remoteProject();
  try {
    const targetArgs = target === 'json'
      ? ['--target', 'json:schema.json']
      : ['--context', 'src', '--target', 'new:src/math.ts:1', '--signature', REMOTE_SIGNATURE];
    const r = await runCliAsync(['generate', 'the task', ...targetArgs, '--endpoint', endpoint, ...backendArgs, '--max-tokens', '64', '--json', ...(opts.extra ?? [])], {
      cwd: dir, env: { ANANKE_CACHE_DIR: path.join(dir, '.cache'), ANANKE_API_KEY: undefined, ...opts.env },
    });
    let out: GenerateOutput | undefined;
    try {
      out = JSON.parse(r.stdout) as GenerateOutput;
    } catch {
      out = undefined;
    }
    return { ...r, ...(out ? { out } : {}) };
  } finally {
    if (opts.dir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
