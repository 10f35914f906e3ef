/**
 * `ananke generate`, run as a user runs it (the built CLI, the real runtime, Ananke's test model in a
 * temporary cache): the whole pipeline on a small project written here.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';

let dir = '';
const cli = (args: string[]) => runCli(args, { cwd: dir, env: { ANANKE_CACHE_DIR: path.join(dir, '.cache'), ANANKE_MODEL: undefined } });

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ananke-generate-'));
  mkdirSync(path.join(dir, 'src'));
  const fns = Array.from({ length: 24 }, (_, i) => `export function scaleValue${i}(inputValue: number): number {\n  const scaledValue = inputValue * ${i};\n  return scaledValue;\n}\n`);
  writeFileSync(path.join(dir, 'src/math.ts'), fns.join('\n'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('generate a new function with the test model: the head as given, every hard constraint reported satisfied', () => {
  const r = cli(['generate', 'sum the values', '--context', 'src', '--target', 'new:src/math.ts:1', '--signature', 'export function sumAll(values: number[]): number', '--model', 'test', '--seed', '1', '--max-tokens', '32', '--json']);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const out = JSON.parse(r.stdout) as { code: string; report: { testModel: boolean; stop: string; grammarAccepted: boolean; truncated: boolean; constraints: Array<{ id: string; mode: string; checked?: boolean; satisfied?: boolean }> }; stats: { tokens: number; forced: number } };
  assert.ok(out.code.startsWith('export function sumAll(values: number[]): number '), out.code);
  assert.equal(out.report.testModel, true);
  assert.equal(r.status === 0, out.report.grammarAccepted, 'exit 0 exactly when complete and checked');
  if (!out.report.grammarAccepted) assert.equal(out.report.truncated, true);
  const variable = out.report.constraints.find((c) => c.id === 'clew.naming.typescript.variable')!;
  assert.equal(variable.mode, 'decode');
  for (const c of out.report.constraints) if (c.checked) assert.equal(c.satisfied, true, c.id);
  assert.ok(out.stats.tokens <= 32);
});

test('without --json: the code on stdout, a summary on stderr that names the test model; -o only when every check passes', () => {
  const r = cli(['generate', 'anything', '--target', 'json:schema.json', '--model', 'test', '--seed', '2', '--max-tokens', '8']);
  assert.equal(r.status, 3, 'the schema file does not exist yet');
  writeFileSync(path.join(dir, 'schema.json'), JSON.stringify({ type: 'boolean' }));
  const ok = cli(['generate', 'a flag', '--target', 'json:schema.json', '--model', 'test', '--seed', '2', '--max-tokens', '8', '-o', 'out.json']);
  assert.match(ok.stderr, /test model \(random weights\)/);
  assert.match(ok.stderr, /tokens \(\d+ forced\)/);
  assert.equal(existsSync(path.join(dir, 'out.json')), ok.status === 0);
});

test('bad input: a missing model file (3), a file that is not a model (4), an empty prompt (2)', () => {
  assert.equal(cli(['generate', 'x', '--target', 'module:typescript', '--model', 'nope.gguf']).status, 3);
  writeFileSync(path.join(dir, 'bad.gguf'), 'not a model at all');
  const bad = cli(['generate', 'x', '--target', 'module:typescript', '--model', 'bad.gguf']);
  assert.equal(bad.status, 4, bad.stderr);
  assert.equal(cli(['generate', ' ', '--target', 'module:typescript']).status, 2);
});

test('the model loads beside the extraction: a bad model file is reported before any extraction, a pipeline failure while it loads is reported cleanly, and --json gives the load and the wait', () => {
  // The model file is checked before the context is read: no "context files" line.
  const missing = cli(['generate', 'x', '--context', 'src', '--target', 'new:src/math.ts:1', '--signature', 'export function f(): number', '--model', 'nope.gguf']);
  assert.equal(missing.status, 3, missing.stderr);
  assert.doesNotMatch(missing.stderr, /context files/);
  assert.match(missing.stderr, /nope\.gguf: no such model file/);
  // What needs no context fails before the model loads; a failure after the load started is the
  // pipeline's own error, with no unhandled rejection or stack trace from the model beside it.
  const badContext = cli(['generate', 'x', '--context', 'no-such-folder', '--model', 'test']);
  assert.equal(badContext.status, 3, badContext.stderr);
  assert.match(badContext.stderr, /no-such-folder: no such file or folder/);
  mkdirSync(path.join(dir, 'empty'), { recursive: true });
  const noLanguage = cli(['generate', 'x', '--context', 'empty', '--model', 'test', '-o', 'never.ts']);
  assert.equal(noLanguage.status, 2, noLanguage.stderr);
  assert.match(noLanguage.stderr, /no source file in --context to tell the language/);
  assert.doesNotMatch(noLanguage.stderr, /Unhandled|at .*\.js:\d+/);
  assert.equal(existsSync(path.join(dir, 'never.ts')), false);
  const ok = cli(['generate', 'x', '--context', 'src', '--target', 'new:src/math.ts:1', '--signature', 'export function f(): number', '--model', 'test', '--seed', '1', '--max-tokens', '8', '--json']);
  assert.ok(ok.status === 0 || ok.status === 1, ok.stderr);
  const stats = (JSON.parse(ok.stdout) as { stats: Record<string, number> }).stats;
  for (const k of ['extractMs', 'braidMs', 'modelLoadMs', 'modelWaitMs']) assert.ok(Number.isFinite(stats[k]) && stats[k]! >= 0, `${k}: ${stats[k]}`);
  assert.ok(stats['modelWaitMs']! <= stats['modelLoadMs']!, 'the wait is what was left of the load');
});

test('ANANKE_LLAMA_BINARY_TEST=1 starts llama.cpp through node-llama-cpp\'s tested path: the same text for the same seed', () => {
  writeFileSync(path.join(dir, 'schema.json'), JSON.stringify({ type: 'boolean' }));
  const args = ['generate', 'a flag', '--target', 'json:schema.json', '--model', 'test', '--seed', '5', '--max-tokens', '8', '--json'];
  const direct = cli(args);
  const tested = runCli(args, { cwd: dir, env: { ANANKE_CACHE_DIR: path.join(dir, '.cache'), ANANKE_MODEL: undefined, ANANKE_LLAMA_BINARY_TEST: '1' } });
  assert.equal(tested.status, direct.status, tested.stderr);
  assert.equal((JSON.parse(tested.stdout) as { code: string }).code, (JSON.parse(direct.stdout) as { code: string }).code);
});
