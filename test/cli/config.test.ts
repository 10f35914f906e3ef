/**
 * ananke.toml, ANANKE_* variables and flags (src/cli/config.ts), and `ananke init`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONFIG_TEMPLATE, loadConfig } from '../../src/cli/config.ts';
import { AnankeError } from '../../src/core/index.ts';
import { runCli } from '../helpers/cli.ts';

let dir = '';
before(() => { dir = mkdtempSync(path.join(tmpdir(), 'ananke-config-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

function inDir(name: string, toml?: string): string {
  const d = path.join(dir, name);
  mkdirSync(d, { recursive: true });
  if (toml !== undefined) writeFileSync(path.join(d, 'ananke.toml'), toml);
  return d;
}

test('the file, then the environment: each later one wins; paths are relative to the file', () => {
  const d = inDir('a', '[model]\npath = "m.gguf"\nthreads = 2\n[generate]\nmax_tokens = 64\n[constraints]\nfiles = ["p.ariadne"]\nmin_examples = 5\n[cache]\ndir = "c"\n');
  const c = loadConfig(d, {});
  assert.deepEqual({ ...c, file: undefined }, { model: 'm.gguf', threads: 2, maxTokens: 64, constraints: [path.join(d, 'p.ariadne')], minExamples: 5, cacheDir: path.join(d, 'c'), file: undefined });
  const e = loadConfig(d, { ANANKE_MODEL: 'test', ANANKE_MAX_TOKENS: '8' });
  assert.equal(e.model, 'test');
  assert.equal(e.maxTokens, 8);
  assert.equal(e.threads, 2);
  assert.deepEqual(loadConfig(inDir('none'), {}), {});
});

test('unknown keys, wrong types, bad TOML and a missing ANANKE_CONFIG are errors that name them', () => {
  const err = (d: string, env: NodeJS.ProcessEnv, re: RegExp) => assert.throws(() => loadConfig(d, env), (e: unknown) => e instanceof AnankeError && re.test(e.message));
  err(inDir('b', '[model]\npaht = "x"\n'), {}, /unknown key model\.paht/);
  err(inDir('c', '[generate]\nmax_tokens = "many"\n'), {}, /generate\.max_tokens: expected an integer/);
  err(inDir('d', '[generate]\ntop_p = 3\n'), {}, /outside 0\.\.1/);
  err(inDir('e', '[model\n'), {}, /not valid TOML/);
  err(inDir('f'), { ANANKE_THREADS: 'lots' }, /ANANKE_THREADS/);
  err(inDir('g'), { ANANKE_CONFIG: 'nowhere.toml' }, /does not exist/);
  // The template itself reads as a valid, empty configuration.
  assert.deepEqual({ ...loadConfig(inDir('h', CONFIG_TEMPLATE), {}), file: undefined }, { file: undefined });
});

test('ananke init writes the template once; --force overwrites', () => {
  const d = inDir('init');
  const r = runCli(['init'], { cwd: d });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(path.join(d, 'ananke.toml'), 'utf8'), CONFIG_TEMPLATE);
  assert.equal(runCli(['init'], { cwd: d }).status, 2);
  assert.equal(runCli(['init', '--force'], { cwd: d }).status, 0);
});

test('compile reads the constraint files ananke.toml names; a missing one is NOT_FOUND', () => {
  const d = inDir('proj', '[constraints]\nfiles = ["policy.ariadne"]\n');
  writeFileSync(path.join(d, 'policy.ariadne'), 'constraint no_parse {\n  forbidden_calls: { calls: ["parseInt"] }\n  severity: .Error\n}\n');
  writeFileSync(path.join(d, 'c.ts'), 'const x = parseInt("1");\n');
  const r = runCli(['compile', '--target', 'module:typescript', '--check', 'c.ts'], { cwd: d });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /no_parse/);
  writeFileSync(path.join(d, 'ananke.toml'), '[constraints]\nfiles = ["missing.ariadne"]\n');
  assert.equal(runCli(['compile', '--target', 'module:typescript'], { cwd: d }).status, 3);
});
