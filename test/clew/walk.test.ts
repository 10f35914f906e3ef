import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { walk } from '../../src/clew/walk.ts';
import { detectLanguage, languageFromPath, languageFromShebang } from '../../src/clew/language-detect.ts';
import { AnankeError } from '../../src/core/index.ts';
import { makeMixedRepo, removeRepo } from '../helpers/mixed-repo.ts';

const repo = makeMixedRepo();
after(() => removeRepo(repo));

test('walk honours .gitignore (with negation), nested .gitignore and .anankeignore; skips vendored folders', () => {
  const r = walk([repo]);
  const rels = r.files.map((f) => f.rel);
  assert.equal(r.root, repo);
  assert.ok(rels.includes('src/core/math.ts'));
  assert.ok(rels.includes('keep.tmp.ts'), 'un-ignored by !keep.tmp.ts');
  assert.ok(rels.includes('scripts/deploy'), 'extensionless script is a candidate (shebang read later)');
  for (const gone of ['scratch.tmp.ts', 'generated/out.ts', 'src/api/local-dev.ts', 'legacy/old.py', 'node_modules/leftpad/index.js', 'vendor/github.com/x/lib.go', 'dist/bundle.js']) {
    assert.ok(!rels.includes(gone), gone);
  }
  const reasons = Object.fromEntries(r.skipped.map((s) => [s.path, s.reason]));
  assert.equal(reasons['node_modules/'], 'vendored');
  assert.equal(reasons['vendor/'], 'vendored');
  assert.equal(reasons['dist/'], 'vendored');
  assert.equal(reasons['generated/'], 'ignored');
  assert.equal(reasons['legacy/'], 'ignored');
  assert.equal(reasons['scratch.tmp.ts'], 'ignored');
  assert.equal(reasons['src/api/local-dev.ts'], 'ignored');
  // README.md and logo.png are no language Clew reads: counted, not listed.
  assert.equal(r.unknownLanguage, 2);
  assert.deepEqual(rels, [...rels].sort());
});

test('globs, explicit files, language filter, size and count limits', () => {
  const g = walk(['src/**/*.ts'], { cwd: repo });
  assert.deepEqual(g.files.map((f) => f.rel), ['api/render.ts', 'api/server.ts', 'core/config.ts', 'core/math.ts', 'core/users.ts']);
  assert.equal(g.root, path.join(repo, 'src'));

  const explicit = walk([path.join(repo, 'README.md'), path.join(repo, 'tools/util.py')]);
  assert.deepEqual(explicit.files.map((f) => f.rel), ['tools/util.py']);
  assert.deepEqual(explicit.skipped.map((s) => [s.path, s.reason]), [['README.md', 'unknown_language']]);

  const py = walk([repo], { languages: new Set(['python']) });
  assert.ok(py.files.every((f) => f.language === 'python' || f.language === undefined));
  assert.ok(py.filtered > 0);

  const small = walk([repo], { maxFileBytes: 300 });
  assert.ok(small.skipped.some((s) => s.reason === 'too_large' && s.path === 'tools/migrate.py'));

  const few = walk([repo], { maxFiles: 3 });
  assert.equal(few.files.length, 3);
  assert.equal(few.truncated, true);
  assert.match(few.warnings[0]!, /stopped after 3 files/);
});

test('a missing path is a NOT_FOUND error; an empty glob is a warning', () => {
  assert.throws(() => walk([path.join(repo, 'no-such-dir')]), (e: unknown) => e instanceof AnankeError && e.code === 'NOT_FOUND' && e.exitCode === 3);
  assert.throws(() => walk([]), (e: unknown) => e instanceof AnankeError && e.code === 'USAGE');
  const r = walk(['**/*.nothing'], { cwd: repo });
  assert.equal(r.files.length, 0);
  assert.match(r.warnings.join('\n'), /matched no files/);
});

test('inside a git repository the root .gitignore applies to sub-folders; an ignored folder named explicitly is still walked', () => {
  const git = path.join(repo, '.git');
  const extra = path.join(repo, 'src/core/notes.tmp.ts');
  fs.mkdirSync(git);
  fs.writeFileSync(extra, 'export const n = 1;\n');
  try {
    const sub = walk([path.join(repo, 'src')]);
    assert.ok(!sub.files.some((f) => f.rel === 'core/notes.tmp.ts'), 'the repository root .gitignore (*.tmp.ts) applies');
    assert.ok(sub.files.some((f) => f.rel === 'core/math.ts'));
    const legacy = walk([path.join(repo, 'legacy')]);
    assert.deepEqual(legacy.files.map((f) => f.rel), ['old.py']);
  } finally {
    fs.rmSync(git, { recursive: true });
    fs.rmSync(extra);
  }
});

test('symlinks are not followed (no loops)', (t) => {
  const link = path.join(repo, 'loop');
  try {
    fs.symlinkSync(repo, link, 'dir');
  } catch {
    t.skip('symlinks not permitted here');
    return;
  }
  try {
    const r = walk([repo]);
    assert.ok(r.files.every((f) => !f.rel.startsWith('loop/')));
  } finally {
    fs.rmSync(link);
  }
});

test('language detection by extension, name and shebang', () => {
  assert.equal(languageFromPath('a/b.tsx'), 'tsx');
  assert.equal(languageFromPath('a/b.mjs'), 'javascript');
  assert.equal(languageFromPath('x.hpp'), 'cpp');
  assert.equal(languageFromPath('Rakefile'), 'ruby');
  assert.equal(languageFromPath('notes.md'), undefined);
  assert.equal(languageFromShebang('#!/usr/bin/env python3\nprint(1)'), 'python');
  assert.equal(languageFromShebang('#!/usr/bin/node'), 'javascript');
  assert.equal(languageFromShebang('#!/usr/bin/env -S deno run --allow-net'), 'javascript');
  assert.equal(languageFromShebang('#!/usr/bin/ruby -w'), 'ruby');
  assert.equal(languageFromShebang('#!/usr/bin/env php'), 'php');
  assert.equal(languageFromShebang('#!/bin/sh'), undefined);
  assert.equal(detectLanguage('bin/tool', '#!/usr/bin/env python3'), 'python');
  // An extension wins over a shebang line.
  assert.equal(detectLanguage('bin/tool.rb', '#!/usr/bin/env python3'), 'ruby');
});
