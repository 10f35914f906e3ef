/**
 * `ananke validate`, run as a user runs it (the built CLI): files written here checked against a small
 * project's conventions and an Ariadne policy.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';

let dir = '';
const cli = (args: string[]) => runCli(args, { cwd: dir, env: { ANANKE_CACHE_DIR: path.join(dir, '.cache') } });

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ananke-validate-'));
  mkdirSync(path.join(dir, 'src'));
  const fns = Array.from({ length: 24 }, (_, i) => `export function scaleValue${i}(inputValue: number): number {\n  const scaledValue = inputValue * ${i};\n  return scaledValue;\n}\n`);
  writeFileSync(path.join(dir, 'src/math.ts'), fns.join('\n'));
  writeFileSync(path.join(dir, 'clean.ts'), 'export function addAll(values: number[]): number {\n  let totalSum = 0;\n  for (const itemValue of values) totalSum += itemValue;\n  return totalSum;\n}\n');
  writeFileSync(path.join(dir, 'dirty.ts'), 'export function addAll(values: number[]): number {\n  let total_sum = 0;\n  return eval("total_sum");\n}\n');
  writeFileSync(path.join(dir, 'broken.ts'), 'export function addAll(values: number[]: number {\n}\n');
  writeFileSync(path.join(dir, 'policy.ariadne'), 'constraint no_math_random {\n  forbidden_calls: { calls: ["random"] }\n  severity: .Error\n}\n');
  writeFileSync(path.join(dir, 'rand.py'), 'import random\n\ndef pick(items):\n    return random.choice(items) if items else random()\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a clean file exits 0', () => {
  const r = cli(['validate', 'clean.ts', '--against', 'src']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /1 file checked against \d+ constraints: clean/);
});

test('violations are file:line diagnostics with the constraint id, exit 1', () => {
  const r = cli(['validate', 'dirty.ts', '--against', 'src']);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^dirty\.ts:2: error: variable name total_sum is not camelCase \[clew\.naming\.typescript\.variable\]$/m);
  assert.match(r.stdout, /^dirty\.ts:3:10: error: eval: .* \[clew\.security\.eval\]$/m);
  const j = JSON.parse(cli(['validate', 'dirty.ts', 'clean.ts', '--against', 'src', '--json']).stdout) as { violations: number; files: Array<{ path: string; diagnostics: unknown[] }> };
  assert.equal(j.violations, 2);
  assert.deepEqual(j.files.map((f) => [f.path, f.diagnostics.length]), [['dirty.ts', 2], ['clean.ts', 0]]);
});

test('syntax errors come from the program grammar; constraint files work without context', () => {
  const b = cli(['validate', 'broken.ts', '--against', 'src']);
  assert.equal(b.status, 1);
  assert.match(b.stdout, /^broken\.ts:1:\d+: error: syntax: /m);
  const p = cli(['validate', 'rand.py', '--against', 'policy.ariadne']);
  assert.equal(p.status, 1);
  assert.match(p.stdout, /rand\.py:4:\d+: error: calls random/);
});

test('a missing file is NOT_FOUND (3); --against is required (2)', () => {
  assert.equal(cli(['validate', 'nope.ts', '--against', 'src']).status, 3);
  assert.equal(cli(['validate', 'clean.ts']).status, 2);
});
