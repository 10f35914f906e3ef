import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { makeMixedRepo, removeRepo } from '../helpers/mixed-repo.ts';

const repo = makeMixedRepo();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-extract-cli-'));
after(() => {
  removeRepo(repo);
  removeRepo(work);
});

interface JsonReport {
  version: number;
  root: string;
  files: { path: string; language: string; functions: { name: string; params: { name: string; type?: string }[]; returnType?: string; async: boolean; line: number }[] }[];
  constraints: { id: string; confidence: number; description: string }[];
  skipped: { path: string; reason: string }[];
  warnings: { code: string; path?: string }[];
  stats: { files: number; cacheHits: number; cacheMisses: number };
}

test('summary: languages, conventions with evidence, security findings with file:line, warnings', () => {
  const r = runCli(['extract', repo, '--jobs', '0'], { cwd: work });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Extracted 15 files/);
  assert.match(r.stdout, /python\s+5 files/);
  assert.match(r.stdout, /typescript function names are camelCase \(\d+ of \d+\)/);
  assert.match(r.stdout, /src\/api\/render\.ts:12 {2}eval {2}eval\(code\)/);
  assert.match(r.stdout, /tools\/migrate\.py:11 {2}unsafe_deserialization/);
  assert.match(r.stdout, /src\/broken\.py:\d+ {2}1 syntax error/);
  assert.match(r.stdout, /web\/app\.min\.js {2}minified/);
  assert.match(r.stdout, /src\/api may import only src\/core/);
  assert.doesNotMatch(r.stdout, /AKIAIOSFODNN7EXAMPLE/, 'secrets are masked');
  assert.equal(r.stderr, '', 'no progress bar when stderr is not a terminal');
  assert.ok(fs.existsSync(path.join(work, '.ananke/cache')), 'cache in the working directory');
});

test('--json: the documented format; a second run is served from the cache', () => {
  const r = runCli(['extract', repo, '--json', '--jobs', '0'], { cwd: work });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as JsonReport;
  assert.equal(j.version, 2);
  assert.equal(j.root, repo);
  assert.deepEqual(Object.keys(j), ['version', 'root', 'files', 'constraints', 'skipped', 'warnings', 'stats']);
  const server = j.files.find((f) => f.path === 'src/api/server.ts')!;
  assert.equal(server.language, 'typescript');
  const fn = server.functions.find((f) => f.name === 'startServer')!;
  assert.deepEqual(fn.params, [{ name: 'port', type: 'number' }]);
  assert.equal(fn.returnType, 'Promise<void>');
  assert.equal(fn.async, true);
  assert.equal(fn.line, 12);
  assert.ok(j.constraints.length > 10);
  assert.ok(j.constraints.every((c) => c.confidence >= 0.5), 'default --min-confidence 0.5');
  assert.ok(j.skipped.some((s) => s.reason === 'binary'));
  assert.ok(j.warnings.some((w) => w.code === 'syntax_error' && w.path === 'src/broken.py'));
  assert.equal(j.stats.cacheMisses, 0, 'the first test filled the cache');
  assert.equal(j.stats.cacheHits, 15);
});

test('-o, --lang, --min-confidence, --no-cache', () => {
  const out = path.join(work, 'report.json');
  const r = runCli(['extract', repo, '--json', '-o', out, '--lang', 'py', '--min-confidence', '0.99', '--no-cache', '--jobs', '0'], { cwd: work });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /wrote .*report\.json/);
  const j = JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport;
  assert.ok(j.files.every((f) => f.language === 'python'));
  assert.equal(j.files.length, 5);
  assert.ok(j.constraints.every((c) => c.confidence >= 0.99));
  assert.equal(j.stats.cacheHits, 0);
});

test('exit codes: 3 for a missing path, 2 for bad options, 1 when no supported files', () => {
  const missing = runCli(['extract', path.join(work, 'nope')], { cwd: work });
  assert.equal(missing.status, 3);
  assert.match(missing.stderr, /no such file or folder/);
  for (const bad of [['--min-confidence', '2']]) {
    const r = runCli(['extract', repo, ...bad], { cwd: work });
    assert.equal(r.status, 2, `${bad.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /error \[USAGE\]/);
  }
  const docs = path.join(work, 'docs');
  fs.mkdirSync(docs);
  fs.writeFileSync(path.join(docs, 'notes.md'), '# notes\n');
  const none = runCli(['extract', docs], { cwd: work });
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no supported source files/);
});
