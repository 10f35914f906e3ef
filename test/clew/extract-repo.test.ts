import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { extractRepo, sniff } from '../../src/clew/extract-repo.ts';
import { PoolUnavailableError, WorkerPool } from '../../src/clew/pool.ts';
import { makeMixedRepo, removeRepo } from '../helpers/mixed-repo.ts';

const repo = makeMixedRepo();
after(() => removeRepo(repo));

test('the mixed fixture: files per language, skipped with reasons, syntax errors as warnings', async () => {
  const r = await extractRepo([repo], { cache: false, jobs: 0 });
  const paths = r.facts.files.map((f) => f.path);
  assert.deepEqual(paths, [
    'go/calc/calc.go', 'go/calc/calc_test.go', 'keep.tmp.ts', 'rust/src/lib.rs', 'scripts/deploy', 'src/api/render.ts',
    'src/api/server.ts', 'src/broken.py', 'src/core/config.ts', 'src/core/math.ts', 'src/core/users.ts',
    'tests/math.spec.ts', 'tests/test_util.py', 'tools/migrate.py', 'tools/util.py',
  ]);
  assert.equal(r.facts.files.find((f) => f.path === 'scripts/deploy')!.language, 'python', 'shebang');
  const reasons = Object.fromEntries(r.facts.skipped.map((s) => [s.path, s.reason]));
  assert.equal(reasons['assets/image-data.js'], 'binary');
  assert.equal(reasons['web/app.min.js'], 'minified');
  assert.equal(reasons['web/app-data.js'], 'minified');
  assert.equal(reasons['node_modules/'], 'vendored');
  assert.deepEqual(r.stats.skipped, { binary: 1, ignored: 4, minified: 2, vendored: 3 });
  assert.equal(r.stats.languages.python!.files, 5);

  const broken = r.facts.files.find((f) => f.path === 'src/broken.py')!;
  assert.ok(broken.diagnostics.length > 0);
  assert.ok(broken.functions.some((f) => f.name === 'good_function'), 'facts before the error survive');
  const w = r.warnings.find((x) => x.code === 'syntax_error')!;
  assert.equal(w.path, 'src/broken.py');

  const server = r.facts.files.find((f) => f.path === 'src/api/server.ts')!;
  const h = server.functions.find((f) => f.name === 'handleGetUser')!;
  assert.equal(h.async, true);
  assert.deepEqual(h.params.map((p) => [p.name, p.type]), [['userId', 'number']]);
  assert.equal(h.returnType, 'Promise<string>');
});

test('constraints of the mixed fixture: security findings with file:line, tests linked, boundaries', async () => {
  const r = await extractRepo([repo], { cache: false, jobs: 0 });
  const findings = r.facts.files.flatMap((f) => f.security.map((s) => `${f.path}:${s.line} ${s.finding}`));
  for (const want of [
    'src/api/render.ts:4 inner_html', 'src/api/render.ts:8 shell_injection', 'src/api/render.ts:12 eval',
    'src/core/config.ts:3 hardcoded_secret', 'src/core/config.ts:4 hardcoded_secret', 'src/core/users.ts:17 sql_injection',
    'tools/migrate.py:11 unsafe_deserialization', 'tools/migrate.py:15 shell_injection', 'tools/migrate.py:16 sql_injection',
    'tools/migrate.py:21 unsafe_deserialization', 'tools/migrate.py:26 eval', 'scripts/deploy:6 shell_injection',
  ]) assert.ok(findings.includes(want), `${want} in ${findings.join(', ')}`);
  assert.equal(findings.length, 12);

  const ids = new Set(r.constraints.map((c) => c.id));
  for (const id of ['clew.naming.typescript.function', 'clew.naming.python.function', 'clew.async_style.typescript', 'clew.security.eval', 'clew.module_boundary.src/api']) {
    assert.ok(ids.has(id), id);
  }
  const api = r.constraints.find((c) => c.id === 'clew.module_boundary.src/api')!;
  assert.deepEqual(api.rule, { type: 'module_boundary', from: 'src/api', mayImport: ['src/core'] });
  const tests = r.constraints.filter((c) => c.source === 'test_mining');
  const subjects = tests.map((c) => c.rule.type === 'test_expectation' ? c.rule.subject : '');
  for (const s of ['add', 'multiply', 'parse_version', 'format_version']) assert.ok(subjects.includes(s), s);
  assert.ok(tests.filter((c) => c.confidence === 1).length >= 4);
});

test('worker threads give the same facts as in-process extraction', async () => {
  const inProcess = await extractRepo([repo], { cache: false, jobs: 0 });
  const workers = await extractRepo([repo], { cache: false, jobs: 2, workerMinBytes: 0 });
  assert.equal(workers.stats.workers, 2);
  assert.deepEqual(workers.facts.files, inProcess.facts.files);
  assert.deepEqual(workers.constraints, inProcess.constraints);
});

test('unreadable files are reported and skipped; the run goes on', async (t) => {
  if (process.getuid && process.getuid() === 0) {
    t.skip('root can read any file');
    return;
  }
  const p = path.join(repo, 'tools/locked.py');
  fs.writeFileSync(p, 'x = 1\n');
  fs.chmodSync(p, 0);
  try {
    const r = await extractRepo([repo], { cache: false, jobs: 0 });
    assert.equal(r.facts.skipped.find((s) => s.path === 'tools/locked.py')!.reason, 'unreadable');
    assert.ok(r.facts.files.length >= 15);
  } finally {
    fs.rmSync(p, { force: true });
  }
});

test('sniff: NUL bytes are binary, long lines are minified, ordinary code is neither', () => {
  assert.equal(sniff(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]), 'a.c')!.reason, 'binary');
  assert.equal(sniff(Buffer.from('a'.repeat(5000)), 'bundle.js')!.reason, 'minified');
  assert.equal(sniff(Buffer.from('x'), 'lib.min.js')!.reason, 'minified');
  assert.equal(sniff(Buffer.from('const a = 1;\n'.repeat(400)), 'a.ts'), undefined);
});

test('a pool whose workers cannot start gives up with PoolUnavailableError instead of looping', async () => {
  const pool = new WorkerPool(1, 'throw new Error("cannot boot")');
  try {
    await assert.rejects(pool.extract('a.ts', 'export const a = 1;', 'typescript'), (e: unknown) => e instanceof PoolUnavailableError);
    assert.match(pool.unavailable ?? '', /cannot boot/);
    assert.equal(pool.idle(), 0);
  } finally {
    await pool.close();
  }
});
