/**
 * `ananke eval`'s task folders: bad input is a clear error with the right exit status (the built
 * CLI, as a user runs it), and every task shipped in examples/tasks holds up: its reference
 * solution is read by the IR grammar, parses, breaks no hard constraint, type-checks and passes
 * its own test, judged exactly as a generated sample is. A wrong solution is judged wrong.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, ROOT } from '../helpers/cli.ts';
import { HAS_PYTHON } from '../helpers/python.ts';
import { checkReferences, loadTasks } from '../../src/eval/index.ts';

const TASKS = path.join(ROOT, 'examples/tasks');
const INVENTORY = path.join(ROOT, 'examples/ts-inventory');
let dir = '';
const cli = (args: string[]) => runCli(args, { cwd: dir, env: { ANANKE_CACHE_DIR: path.join(dir, '.cache') } });

/** A task folder written here, against the TypeScript example. */
function writeTask(name: string, json: Record<string, unknown>, files: Record<string, string> = {}): string {
  const d = path.join(dir, 'tasks', name);
  mkdirSync(d, { recursive: true });
  writeFileSync(path.join(d, 'task.json'), JSON.stringify(json));
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(d, f), text);
  return d;
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ananke-eval-tasks-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the shipped task set: at least 20 tasks over both example codebases, in both languages', () => {
  const tasks = loadTasks(TASKS);
  assert.ok(tasks.length >= 20, `${tasks.length} tasks`);
  const codebases = new Set(tasks.map((t) => path.basename(t.codebase)));
  assert.deepEqual([...codebases].sort(), ['py-ledger', 'ts-inventory']);
  assert.ok(tasks.some((t) => t.target.kind === 'new' && t.reference), 'a new: target with its reference file');
});

test('every shipped task\'s reference solution passes its test and every hard constraint', { timeout: 600_000 }, async () => {
  const tasks = loadTasks(TASKS);
  const { results, tools } = await checkReferences(tasks, { cacheDir: path.join(dir, '.cache') });
  assert.equal(results.length, tasks.length);
  // Without python3 the Python tests cannot run: those references are reported as not run, never as passed.
  if (!HAS_PYTHON) for (const r of results) if (r.language === 'python') assert.deepEqual([r.ok, r.tests], [false, 'not_run'], r.id);
  const failing = results.filter((r) => !r.ok && (HAS_PYTHON || r.language !== 'python')).map((r) => `${r.id}: grammar ${r.grammar} ${r.grammarError ?? ''}, parses ${r.parses}, violations ${JSON.stringify(r.violations)}, type errors ${r.typeErrors}, test ${r.tests}\n${r.testOutput ?? ''}`);
  assert.deepEqual(failing, []);
  // The typescript package is a development dependency here, so nothing TypeScript was left unmeasured.
  assert.ok(tools.typescript?.typeChecker && tools.typescript.testRunner, JSON.stringify(tools));
  assert.equal(Boolean(tools.python?.testRunner), HAS_PYTHON, JSON.stringify(tools));
  for (const r of results) if (r.language === 'typescript') assert.equal(r.typeErrors, 0, r.id);
});

test('a wrong solution is judged wrong: its test fails, and a forbidden call is a violation the grammar refuses', async () => {
  const common = {
    codebase: INVENTORY, target: 'new:src/stock/warehouse.ts:1', signature: 'export function countItems(warehouse: Warehouse): number',
    prompt: 'How many distinct items the warehouse holds.', test: 'count.test.ts',
  };
  // Relative, as a task's test imports its codebase: the copy keeps the layout, so it reaches the copy.
  const WAREHOUSE_FROM_TASK = path.relative(path.join(dir, 'tasks', 'right'), path.join(INVENTORY, 'src/stock/warehouse.ts'));
  const testText = `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { countItems, createWarehouse } from '${WAREHOUSE_FROM_TASK}';\n\ntest('counts', () => {\n  assert.equal(countItems(createWarehouse('W')), 0);\n  assert.equal(countItems(createWarehouse('W', [{ sku: 'ABC-0001', name: 'A', onHand: 1, reserved: 0, unitCostCents: 1, reorderPoint: 0 }])), 1);\n});\n`;
  writeTask('right', { ...common, reference: 'ref.ts' }, { 'count.test.ts': testText, 'ref.ts': 'export function countItems(warehouse: Warehouse): number {\n  return warehouse.items.size;\n}\n' });
  writeTask('off-by-one', { ...common, reference: 'ref.ts' }, { 'count.test.ts': testText, 'ref.ts': 'export function countItems(warehouse: Warehouse): number {\n  return warehouse.items.size + 1;\n}\n' });
  writeTask('evil', { ...common, reference: 'ref.ts' }, { 'count.test.ts': testText, 'ref.ts': 'export function countItems(warehouse: Warehouse): number {\n  return eval("warehouse.items.size");\n}\n' });
  writeTask('untyped', { ...common, reference: 'ref.ts' }, { 'count.test.ts': testText, 'ref.ts': 'export function countItems(warehouse: Warehouse): number {\n  const count: string = warehouse.items.size;\n  return count;\n}\n' });
  const { results } = await checkReferences(loadTasks(path.join(dir, 'tasks')), { cacheDir: path.join(dir, '.cache') });
  const by = new Map(results.map((r) => [r.id, r]));
  assert.equal(by.get('right')!.ok, true, JSON.stringify(by.get('right')));
  const off = by.get('off-by-one')!;
  assert.deepEqual([off.ok, off.grammar, off.parses, off.violations.length, off.tests], [false, 'accepted', true, 0, 'failed']);
  assert.match(off.testOutput ?? '', /fail 1/);
  const evil = by.get('evil')!;
  assert.equal(evil.ok, false);
  assert.equal(evil.grammar, 'rejected', 'eval cannot be written under the IR grammar');
  assert.ok(evil.violations.some((v) => v.constraintId === 'clew.security.eval'), JSON.stringify(evil.violations));
  assert.equal(evil.tests, 'passed', 'it works, and is still refused');
  const untyped = by.get('untyped')!;
  assert.deepEqual([untyped.ok, untyped.typeErrors, untyped.tests], [false, 2, 'passed']);
});

test('bad input: a missing folder (3), a folder without tasks (3), malformed task.json (4), an unknown --only id (2)', () => {
  const missing = cli(['eval', 'no-such-folder', '--references']);
  assert.equal(missing.status, 3, missing.stderr);
  assert.match(missing.stderr, /tasks folder not found: no-such-folder/);
  mkdirSync(path.join(dir, 'empty'));
  const empty = cli(['eval', 'empty', '--references']);
  assert.equal(empty.status, 3);
  assert.match(empty.stderr, /no task in empty/);

  const bad = (name: string, json: unknown, pattern: RegExp): void => {
    const d = path.join(dir, 'bad', name);
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'task.json'), typeof json === 'string' ? json : JSON.stringify(json));
    writeFileSync(path.join(d, 't.ts'), '');
    const r = cli(['eval', d, '--references']);
    assert.equal(r.status, 4, `${name}: ${r.stderr}`);
    assert.match(r.stderr, pattern, name);
    rmSync(d, { recursive: true });
  };
  const ok = { codebase: INVENTORY, target: 'body:src/core/money.ts:toCents', prompt: 'p', test: 't.ts' };
  bad('not-json', '{ "codebase": ', /task\.json: not JSON/);
  bad('array', [], /expected a JSON object/);
  bad('typo', { ...ok, promt: 'p' }, /unknown key "promt"/);
  bad('no-prompt', { ...ok, prompt: undefined }, /"prompt" must be a non-empty string \(it is missing\)/);
  bad('module', { ...ok, target: 'module:typescript' }, /must be a function:, body:, new: or fim: target/);
  bad('bad-spec', { ...ok, target: 'body:src/core/money.ts' }, /"target":/);
  bad('new-without-reference', { ...ok, target: 'new:src/core/money.ts:1', signature: 'export function f(): number' }, /"reference" must name/);
  bad('outside', { ...ok, target: 'body:../py-ledger/ledger/fx.py:convert' }, /outside the codebase/);

  const notFound = path.join(dir, 'nf', 'x');
  mkdirSync(notFound, { recursive: true });
  writeFileSync(path.join(notFound, 'task.json'), JSON.stringify({ ...ok, test: 'missing.ts' }));
  const nf = cli(['eval', notFound, '--references']);
  assert.equal(nf.status, 3, nf.stderr);
  assert.match(nf.stderr, /test not found/);

  const only = cli(['eval', TASKS, '--references', '--only', 'ts-to-cents,nope']);
  assert.equal(only.status, 2);
  assert.match(only.stderr, /--only: no task nope/);
  assert.equal(cli(['eval', TASKS, '--references', '--model', 'test']).status, 2, '--references takes no model');
  assert.equal(cli(['eval', TASKS, '--samples', '0']).status, 2);
});
