import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/cli.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-lockstep-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/lockstep-ab.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

test('lockstep-ab walks both builds over the same tokens and reports each side and their ratio', () => {
  const snapshot = path.join(tmp, 'texts.json');
  const text = 'def area(w, h):\n    """Width times height."""\n    return w * h\n';
  fs.writeFileSync(snapshot, JSON.stringify({ python: [text] }));
  const out = path.join(tmp, 'out.json');
  // Both sides this checkout's engine: the tool's plumbing, not a speed claim.
  const r = run(['--a', 'src', '--b', 'src', '--lang', 'python', '--mode', 'fresh', '--reps', '1', '--snapshot', snapshot, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /python\s+fresh rep 0: a p50 .* \| b p50 .* \| b\/a sum \d/);
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { results: { masks: number; a: { sumMs: number }; b: { sumMs: number }; sumRatio: number }[] };
  assert.equal(report.results.length, 1);
  const row = report.results[0]!;
  assert.ok(row.masks > 10, `masks: ${row.masks}`);
  assert.ok(row.a.sumMs > 0 && row.b.sumMs > 0);
  assert.ok(Math.abs(row.sumRatio - row.b.sumMs / row.a.sumMs) < 1e-9);
});

test('lockstep-ab without --a, with an unknown mode, or with a folder holding no engine is a usage error', () => {
  assert.equal(run([]).status, 2);
  const bad = run(['--a', 'src', '--mode', 'sometimes']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--mode must be one of per-request, warmed, fresh/);
  const none = run(['--a', tmp]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /no engine\/index\.js or engine\/index\.ts/);
});
