import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractRepo } from '../../src/clew/extract-repo.ts';
import { StatIndex } from '../../src/clew/stat-index.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-statindex-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const OLD = new Date('2020-01-02T03:04:05Z');

test('the index answers only for an identical size, mtime, ctime and inode; racily clean files are not recorded', () => {
  const dir = path.join(tmp, 'unit');
  const now = Date.now();
  const stamp = { mtimeMs: now - 60_000, ctimeMs: now - 60_000, ino: 42 };
  const idx = new StatIndex(dir, '/repo', now);
  idx.record('a.ts', 100, stamp, 'k-a');
  idx.record('racy.ts', 100, { mtimeMs: now - 60_000, ctimeMs: now - 10, ino: 43 }, 'k-racy');
  idx.record('racy-m.ts', 100, { mtimeMs: now - 10, ctimeMs: now - 60_000, ino: 44 }, 'k-racy-m');
  idx.save('/repo');

  const again = new StatIndex(dir, '/repo', now);
  assert.equal(again.lookup('a.ts', 100, stamp), 'k-a');
  assert.equal(again.lookup('a.ts', 101, stamp), undefined);
  assert.equal(again.lookup('a.ts', 100, { ...stamp, mtimeMs: stamp.mtimeMs + 1 }), undefined);
  assert.equal(again.lookup('a.ts', 100, { ...stamp, ctimeMs: stamp.ctimeMs + 0.5 }), undefined);
  assert.equal(again.lookup('a.ts', 100, { ...stamp, ino: 7 }), undefined);
  assert.equal(again.lookup('racy.ts', 100, { mtimeMs: now - 60_000, ctimeMs: now - 10, ino: 43 }), undefined);
  assert.equal(again.lookup('racy-m.ts', 100, { mtimeMs: now - 10, ctimeMs: now - 60_000, ino: 44 }), undefined);
  // Another root has its own index; a damaged index is empty, not an error.
  assert.equal(new StatIndex(dir, '/other', now).lookup('a.ts', 100, stamp), undefined);
  const file = fs.readdirSync(path.join(dir, 'index'))[0]!;
  fs.writeFileSync(path.join(dir, 'index', file), '{"format":1,"root":"/repo","entries":[[');
  assert.equal(new StatIndex(dir, '/repo', now).lookup('a.ts', 100, stamp), undefined);
});

const fnNames = (r: Awaited<ReturnType<typeof extractRepo>>, p: string): string[] =>
  r.facts.files.find((f) => f.path === p)!.functions.map((f) => f.name);

test('a same-size edit with the mtime set back is seen (ctime moved), with the trusted path on', async () => {
  const repo = path.join(tmp, 'repo1');
  fs.mkdirSync(repo, { recursive: true });
  const file = path.join(repo, 'math.ts');
  fs.writeFileSync(file, 'export function alpha(a: number): number { return a; }\n');
  fs.utimesSync(file, OLD, OLD);
  const cacheDir = path.join(tmp, 'cache1');
  // racyMs 0: the file was just written, but the test must exercise stat-only recognition.
  const opts = { cacheDir, jobs: 0, statIndexRacyMs: 0 };
  const first = await extractRepo([repo], opts);
  assert.deepEqual(fnNames(first, 'math.ts'), ['alpha']);
  const second = await extractRepo([repo], opts);
  assert.equal(second.stats.cacheHits, 1);
  assert.deepEqual(second.facts.files, first.facts.files);

  // Same length, same mtime (restored as rsync -t or touch -d would): only ctime tells.
  fs.writeFileSync(file, 'export function gamma(a: number): number { return a; }\n');
  fs.utimesSync(file, OLD, OLD);
  assert.equal(fs.statSync(file).mtimeMs, OLD.getTime());
  const third = await extractRepo([repo], opts);
  assert.deepEqual(fnNames(third, 'math.ts'), ['gamma']);
  assert.equal(third.stats.cacheMisses, 1);
});

test('with the default racy window, a file edited right after a run is hashed again', async () => {
  const repo = path.join(tmp, 'repo2');
  fs.mkdirSync(repo, { recursive: true });
  const file = path.join(repo, 'util.py');
  fs.writeFileSync(file, 'def first_one(x):\n    return x\n');
  const cacheDir = path.join(tmp, 'cache2');
  const first = await extractRepo([repo], { cacheDir, jobs: 0 });
  assert.deepEqual(fnNames(first, 'util.py'), ['first_one']);
  const st = fs.statSync(file);
  // Same size, and both times put back exactly: the stamp cannot tell, so the index must not have trusted it.
  fs.writeFileSync(file, 'def other_one(x):\n    return x\n');
  fs.utimesSync(file, st.atime, st.mtime);
  const second = await extractRepo([repo], { cacheDir, jobs: 0 });
  assert.deepEqual(fnNames(second, 'util.py'), ['other_one']);
});

test('statIndex: false and --no-cache never consult the index', async () => {
  const repo = path.join(tmp, 'repo3');
  fs.mkdirSync(repo, { recursive: true });
  fs.writeFileSync(path.join(repo, 'a.go'), 'package a\n\nfunc One() int { return 1 }\n');
  const cacheDir = path.join(tmp, 'cache3');
  await extractRepo([repo], { cacheDir, jobs: 0, statIndex: false });
  assert.equal(fs.readdirSync(cacheDir).some((v) => fs.existsSync(path.join(cacheDir, v, 'index'))), false);
  const r = await extractRepo([repo], { cacheDir, jobs: 0 });
  assert.equal(r.stats.cacheHits, 1);
});
