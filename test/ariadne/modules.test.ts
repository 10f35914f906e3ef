import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileAriadne } from '../../src/ariadne/index.ts';
import { brief, compileFiles, shown } from './helpers.ts';

const FILES = {
  'main.ariadne': 'module app\nimport shared.naming\nimport shared.security.{no_eval, web}\n\nconstraint own { regex: "x" }\n',
  'shared/naming.ariadne': 'module shared.naming\nimport base\nconstraint fns { naming: { kind: .Function, style: .CamelCase } }\n',
  'shared/base.ariadne': 'constraint base_len { length: { max_lines: 100 } }\n',
  'shared/security.ariadne': [
    'module shared.security',
    'constraint no_eval { forbid: [eval] }',
    'constraint no_exec { forbid: [exec] }',
    'constraint no_html { forbidden_identifiers: [innerHTML] }',
    'constraint no_sql { forbidden_imports: [sqlite3] }',
    'pub const web = [no_html, no_sql]',
  ].join('\n'),
};

test('imports resolve next to the importing file (a.b → a/b.ariadne), transitively; a selective import brings only the names (or groups) listed', () => {
  const r = compileFiles(['main.ariadne'], FILES);
  assert.deepEqual(r.diagnostics, [], shown(r));
  assert.deepEqual(r.constraints.map((c) => c.id), [
    'app.own', 'shared.naming.fns', 'base_len', 'shared.security.no_eval', 'shared.security.no_html', 'shared.security.no_sql',
  ]);
  assert.deepEqual(r.files.map((f) => [f.path, f.constraints.length]), [
    ['main.ariadne', 1], ['shared/naming.ariadne', 1], ['shared/base.ariadne', 1], ['shared/security.ariadne', 4],
  ]);
  assert.deepEqual(r.constraints[1]!.provenance, { file: 'shared/naming.ariadne', line: 3, column: 1 });
});

test('a module imported twice is read once and its constraints counted once', () => {
  const r = compileFiles(['main.ariadne', 'shared/naming.ariadne', 'shared/security.ariadne'], FILES);
  assert.deepEqual(r.diagnostics, [], shown(r));
  assert.equal(r.files.length, 4);
  assert.deepEqual(r.constraints.map((c) => c.id).sort(), [
    'app.own', 'base_len', 'shared.naming.fns', 'shared.security.no_eval', 'shared.security.no_exec', 'shared.security.no_html', 'shared.security.no_sql',
  ]);
});

test('a missing module and a missing name are errors at their position; the rest still compiles', () => {
  const r = compileFiles(['main.ariadne'], {
    'main.ariadne': 'import nowhere.thing\nimport lib.{present, absent}\nconstraint c { regex: "a" }\n',
    'lib.ariadne': 'constraint present { regex: "p" }\n',
  });
  assert.deepEqual(brief(r.diagnostics), [
    '1:8 error: cannot find module nowhere.thing: no file nowhere/thing.ariadne (imports are resolved next to the importing file: a.b → a/b.ariadne)',
    '2:22 error: module lib has no constraint or group named absent (it has present)',
  ]);
  assert.deepEqual(r.constraints.map((c) => c.id), ['c', 'present']);
});

test('import cycles are reported at the import that closes them, with the chain', () => {
  const r = compileFiles(['a.ariadne'], {
    'a.ariadne': 'import b\nconstraint a { regex: "a" }\n',
    'b.ariadne': 'import c\nconstraint b { regex: "b" }\n',
    'c.ariadne': '\nimport a\nconstraint c { regex: "c" }\n',
  });
  assert.deepEqual(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`), [
    'c.ariadne:2:8 import cycle: a.ariadne → b.ariadne → c.ariadne → a.ariadne (a module cannot import itself, directly or through others)',
  ]);
  assert.deepEqual(r.constraints.map((c) => c.id), ['a', 'b', 'c']);
  const self = compileFiles(['s.ariadne'], { 's.ariadne': 'import s\n' });
  assert.match(self.diagnostics[0]!.message, /^import cycle: s\.ariadne → s\.ariadne/);
});

test('ids are unique across files: the second is an error at its block', () => {
  const r = compileFiles(['a.ariadne'], {
    'a.ariadne': 'import b\nconstraint x { id: "same", regex: "a" }\n',
    'b.ariadne': '\n\nconstraint y { id: "same", regex: "b" }\n',
  });
  assert.deepEqual(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`), [
    'b.ariadne:3:12 duplicate id same: a.ariadne:2 has it already (ids are unique; set one with id: "…")',
  ]);
  assert.equal(r.constraints.length, 1);
});

test('pub const groups must name constraints of their file', () => {
  const r = compileFiles(['g.ariadne'], { 'g.ariadne': 'constraint a { regex: "a" }\npub const all = [a, b]\npub const n = 3\n' });
  assert.deepEqual(brief(r.diagnostics), [
    '2:21 error: pub const all: no constraint named b in this file',
    '3:11 warning: pub const n has no effect: only a list of this file\'s constraint names is a group (pub const n = [a, b])',
  ]);
});

test('real files: paths relative to the working directory, one module per file, import std is a warning', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ariadne-mod-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'rules/common'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'rules/main.ariadne'), 'module a\nmodule b\nimport std.{clew, braid}\nimport common.style\n');
  fs.writeFileSync(path.join(dir, 'rules/common/style.ariadne'), 'constraint tabs { regex: "\\t" }\n');
  const r = compileAriadne(['rules/main.ariadne'], { cwd: dir });
  assert.deepEqual(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity}`), [
    'rules/main.ariadne:2:1 error', 'rules/main.ariadne:3:8 warning',
  ]);
  assert.match(r.diagnostics[0]!.message, /a file declares at most one module \(the first is 'a' at line 1\)/);
  assert.deepEqual(r.constraints.map((c) => [c.id, c.provenance?.file]), [['tabs', 'rules/common/style.ariadne']]);
  const missing = compileAriadne(['rules/none.ariadne'], { cwd: dir });
  assert.deepEqual(brief(missing.diagnostics), ['1:1 error: no such file']);
});
