/**
 * `npm run profile -- <ananke command…>`: runs an ananke command under V8's CPU profiler and
 * writes a .cpuprofile (open it in Chrome DevTools → Performance, or speedscope).
 * Example: npm run profile -- extract src --no-cache
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (args.length === 0 || args[0] === '--help' || args[0] === '-h') {
  console.log('usage: npm run profile -- <ananke command and flags>   (e.g. npm run profile -- extract src)');
  process.exit(args.length === 0 ? 2 : 0);
}
const dir = path.join(ROOT, 'bench', 'profiles');
mkdirSync(dir, { recursive: true });
const started = Date.now();
const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, path.join(ROOT, 'bin/ananke.js'), ...args], { stdio: 'inherit' });
const written = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => path.join(dir, f))
  .filter((f) => statSync(f).mtimeMs >= started - 1000);
for (const f of written) console.error(`profile written: ${path.relative(process.cwd(), f)}`);
if (written.length === 0) console.error('no profile was written');
process.exit(r.status ?? 1);
