import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './cli.ts';

export const MIXED_FIXTURE = path.join(ROOT, 'test/fixtures/repos/mixed');

/**
 * A scratch copy of test/fixtures/repos/mixed with the files git cannot hold for us added back:
 * the ones the fixture's own .gitignore files ignore, and a node_modules folder.
 */
export function makeMixedRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-mixed-'));
  fs.cpSync(MIXED_FIXTURE, dir, { recursive: true });
  const put = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  put('generated/out.ts', 'export const generatedThing = 1;\n');
  put('scratch.tmp.ts', 'export const scratch = 1;\n');
  put('src/api/local-dev.ts', 'export function localOnly(): void {}\n');
  put('node_modules/leftpad/index.js', 'module.exports = function leftpad(s, n) { return s.padStart(n); };\n');
  return dir;
}

export function removeRepo(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
