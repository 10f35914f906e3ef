/**
 * The example codebases (examples/ts-inventory, examples/py-ledger): their own tests pass, the
 * TypeScript one type-checks, and Clew extracts from each the conventions it was written with —
 * hard enough (≥ 95% over ≥ 20 names) for Braid to enforce its naming while decoding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { extractRepo } from '../../src/clew/index.ts';
import type { Constraint } from '../../src/core/index.ts';
import { ROOT } from '../helpers/cli.ts';
import { HAS_PYTHON, NO_PYTHON } from '../helpers/python.ts';

const TS = path.join(ROOT, 'examples/ts-inventory');
const PY = path.join(ROOT, 'examples/py-ledger');
// A child `node --test` under this runner would report to it instead of exiting with its own status;
// Python writes no __pycache__ into the checkout.
const { NODE_TEST_CONTEXT: _ctx, ...rest } = process.env;
const ENV = { ...rest, PYTHONDONTWRITEBYTECODE: '1' };

function run(cmd: string, args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, env: ENV, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function byId(cs: readonly Constraint[]): Map<string, Constraint> {
  return new Map(cs.map((c) => [c.id, c]));
}

test('examples/ts-inventory: its tests pass and it type-checks', () => {
  const tests = readdirSync(path.join(TS, 'test')).filter((f) => f.endsWith('.test.ts')).map((f) => `test/${f}`);
  assert.ok(tests.length >= 4);
  const r = run(process.execPath, ['--import', 'tsx', '--test', ...tests], TS);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /# fail 0/);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const t = run(process.execPath, [tsc, '-p', '.'], TS);
  assert.equal(t.status, 0, t.out);
});

test('examples/py-ledger: its tests pass', { skip: HAS_PYTHON ? false : NO_PYTHON }, () => {
  const r = run('python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], PY);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /^OK$/m);
});

test('Clew extracts each codebase\'s conventions', async () => {
  const ts = byId((await extractRepo([TS], { cache: false })).constraints);
  for (const kind of ['function', 'variable', 'parameter', 'field']) {
    const c = ts.get(`clew.naming.typescript.${kind}`);
    assert.equal(c?.rule.type === 'naming' && c.rule.style, 'camelCase', kind);
    assert.ok(c!.confidence >= 0.95 && c!.evidence!.total >= 20, `${kind}: ${c!.confidence} of ${c!.evidence!.total}`);
  }
  assert.deepEqual(ts.get('clew.error_handling.typescript')?.rule, { type: 'error_handling', style: 'exceptions', language: 'typescript' });
  assert.match(ts.get('clew.async_style.typescript')!.description, /async await/);
  for (const practice of ['no_any', 'annotate_params', 'annotate_returns']) assert.equal(ts.get(`clew.type_discipline.typescript.${practice}`)?.confidence, 1, practice);
  assert.equal(ts.get('clew.security.eval')?.severity, 'error');
  assert.match(ts.get('clew.module_boundary.src/stock')!.description, /src\/stock may import only src\/core/);

  const py = byId((await extractRepo([PY], { cache: false })).constraints);
  for (const kind of ['function', 'method', 'variable', 'parameter']) {
    const c = py.get(`clew.naming.python.${kind}`);
    assert.equal(c?.rule.type === 'naming' && c.rule.style, 'snake_case', kind);
    assert.ok(c!.confidence >= 0.95 && c!.evidence!.total >= 20, `${kind}: ${c!.confidence} of ${c!.evidence!.total}`);
  }
  assert.deepEqual(py.get('clew.error_handling.python')?.rule, { type: 'error_handling', style: 'exceptions', language: 'python' });
  assert.match(py.get('clew.security.eval')!.description, /exec/, 'Python\'s rule forbids exec too');
  for (const practice of ['no_any', 'annotate_params', 'annotate_returns']) assert.equal(py.get(`clew.type_discipline.python.${practice}`)?.confidence, 1, practice);
  assert.match(py.get('clew.imports.python')!.description, /decimal/);
});
