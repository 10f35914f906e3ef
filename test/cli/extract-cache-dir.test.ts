import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-cachedir-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const src = path.join(tmp, 'src');
fs.mkdirSync(src);
fs.writeFileSync(path.join(src, 'a.ts'), 'export function addOne(n: number): number { return n + 1; }\n');

/** The folders directly under `dir` (empty when it does not exist). */
const entries = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

test('extract: ANANKE_CACHE_DIR moves the cache, --cache-dir wins over it, --help says so', () => {
  const work = path.join(tmp, 'work');
  fs.mkdirSync(work);
  const env = { ANANKE_CACHE_DIR: path.join(tmp, 'env-cache') };
  const r1 = runCli(['extract', src, '--jobs', '0'], { cwd: work, env });
  assert.equal(r1.status, 0, r1.stderr);
  assert.equal(entries(env.ANANKE_CACHE_DIR).filter((n) => n !== '.gitignore').length, 1, 'one version folder');
  assert.equal(fs.existsSync(path.join(work, '.ananke')), false);

  const flag = path.join(tmp, 'flag-cache');
  const r2 = runCli(['extract', src, '--jobs', '0', '--cache-dir', flag, '--json'], { cwd: work, env });
  assert.equal(r2.status, 0, r2.stderr);
  assert.equal((JSON.parse(r2.stdout) as { stats: { cacheHits: number } }).stats.cacheHits, 0, 'the environment cache was not read');
  assert.ok(entries(flag).includes('.gitignore'));

  assert.match(runCli(['extract', '--help']).stdout, /\$ANANKE_CACHE_DIR/);
});
