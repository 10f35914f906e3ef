import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { makeMixedRepo, removeRepo } from '../helpers/mixed-repo.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-check-'));
const repo = makeMixedRepo();
after(() => {
  removeRepo(dir);
  removeRepo(repo);
});
const put = (rel: string, text: string): string => {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
};

put('rules/main.ariadne', 'module app\nimport shared.naming\n\nconstraint no_eval {\n  forbidden_calls: ["eval", "exec"]\n  priority: 90\n}\n');
put('rules/shared/naming.ariadne', 'constraint fns { naming: { kind: .Function, style: .CamelCase, language: .TypeScript } }\nconstraint legacy { forbid: [x], metadata: { owner: "me" } }\n');
put('bad.ariadne', 'constraint a {\n  naming: { kind: .Funktion, style: .CamelCase }\n}\n\nconstraint b {\n  sevrity: .Error\n  regex: "x"\n}\n');

interface CheckJson {
  files: { path: string; constraints: { id: string; description: string }[]; diagnostics: { severity: string; line: number; column: number; message: string }[] }[];
  summary: { files: number; constraints: number; errors: number; warnings: number };
}

test('check: a valid file and its imports exit 0 with a summary; warnings are shown but do not fail', () => {
  const r = runCli(['check', 'rules/main.ariadne'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /^rules\/shared\/naming\.ariadne:2:44: warning: field metadata has no effect/m);
  assert.match(r.stdout, / 2 \| constraint legacy \{ forbid: \[x\], metadata: \{ owner: "me" \} \}\n {3}\| {44}\^\n/);
  assert.match(r.stdout, /\n2 files, 3 constraints, 1 warning\n$/);
  assert.equal(r.stderr, '');
});

test('check: errors are reported with file:line:col, the line and a caret; exit 4', () => {
  const r = runCli(['check', 'bad.ariadne', 'rules'], { cwd: dir });
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stdout, /^bad\.ariadne:2:19: error: kind: unknown identifier kind \.Funktion \(did you mean \.Function\?\)/m);
  assert.match(r.stdout, / 2 \| {3}naming: \{ kind: \.Funktion, style: \.CamelCase \}\n {3}\| {19}\^~~~~~~~~\n/);
  assert.match(r.stdout, /^bad\.ariadne:6:3: error: unknown field sevrity \(did you mean severity\?\)$/m);
  assert.match(r.stdout, /\n3 files, 3 constraints, 2 errors, 1 warning\n$/);
});

test('check --json: files with their constraints and diagnostics, and a summary', () => {
  const r = runCli(['check', 'rules', 'bad.ariadne', '--json'], { cwd: dir });
  assert.equal(r.status, 4);
  const out = JSON.parse(r.stdout) as CheckJson;
  assert.deepEqual(out.files.map((f) => [f.path, f.constraints.map((c) => c.id), f.diagnostics.map((d) => `${d.severity} ${d.line}:${d.column}`)]), [
    ['rules/main.ariadne', ['app.no_eval'], []],
    ['rules/shared/naming.ariadne', ['fns', 'legacy'], ['warning 2:44']],
    ['bad.ariadne', [], ['error 2:19', 'error 6:3']],
  ]);
  assert.equal(out.files[0]!.constraints[0]!.description, 'do not call eval, exec');
  assert.deepEqual(out.summary, { files: 3, constraints: 3, errors: 2, warnings: 1, suppressed: 0 });
});

test('check: a missing path exits 3; help has examples and the exit statuses', () => {
  const r = runCli(['check', 'nope.ariadne'], { cwd: dir });
  assert.equal(r.status, 3);
  assert.match(r.stderr, /^ananke: error \[NOT_FOUND\]: nope\.ariadne: no such file or folder\n$/);
  const h = runCli(['check', '--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /Examples:\n {2}\$ ananke check/);
  assert.match(h.stdout, /Exit status: 0 no errors/);
  assert.match(runCli(['--help']).stdout, /check +Check Ariadne constraint files/);
});

test('check: a binary file is one clear error, not a crash', () => {
  const bin = put('blob.ariadne', '\u0000\u0001\u0002ELF');
  const r = runCli(['check', bin], { cwd: dir });
  assert.equal(r.status, 4);
  assert.match(r.stdout, /blob\.ariadne:1:1: error: is not a text file \(it holds NUL bytes\)/);
});

test('extract --format ariadne writes a file that check reads without a problem, with the same constraints as --json', () => {
  const out = path.join(dir, 'extracted.ariadne');
  const w = runCli(['extract', repo, '--jobs', '0', '--no-cache', '--format', 'ariadne', '-o', out], { cwd: dir });
  assert.equal(w.status, 0, w.stderr);
  const text = fs.readFileSync(out, 'utf8');
  assert.match(text, /^-- Constraints extracted by `ananke extract` from /);
  assert.match(text, /naming: \{ kind: \.Function, style: \.CamelCase, language: \.TypeScript \}/);
  const c = runCli(['check', out, '--json'], { cwd: dir });
  assert.equal(c.status, 0, c.stdout.slice(0, 2000));
  const checked = JSON.parse(c.stdout) as CheckJson;
  assert.equal(checked.summary.errors + checked.summary.warnings, 0);
  const j = runCli(['extract', repo, '--jobs', '0', '--no-cache', '--json'], { cwd: dir });
  const extracted = (JSON.parse(j.stdout) as { constraints: { id: string; rule: unknown; description: string }[] }).constraints;
  assert.deepEqual(checked.files[0]!.constraints.map((x) => [x.id, x.description]), extracted.map((x) => [x.id, x.description]));
});

test('extract: --format is text, json or ariadne, and not two formats at once', () => {
  assert.equal(runCli(['extract', repo, '--format', 'yaml'], { cwd: dir }).status, 2);
  const both = runCli(['extract', repo, '--json', '--format', 'ariadne'], { cwd: dir });
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--json and --format ariadne ask for two formats/);
});
