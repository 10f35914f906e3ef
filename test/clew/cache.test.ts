import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CACHE_DIR_ENV, FactsCache, cacheKey, defaultCacheDir, extractorVersion, getHasher, hashBytes, pruneStaleVersions } from '../../src/clew/cache.ts';
import { extractFile } from '../../src/clew/extract-file.ts';
import { extractRepo } from '../../src/clew/extract-repo.ts';
import { makeMixedRepo, removeRepo } from '../helpers/mixed-repo.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-cache-'));
const repo = makeMixedRepo();
after(() => {
  removeRepo(tmp);
  removeRepo(repo);
});

test('content hash is xxh64 hex; keys separate language and test-path-ness', async () => {
  const h = await getHasher();
  const a = hashBytes(h, Buffer.from('export const a = 1;\n'));
  assert.match(a, /^[0-9a-f]{16}$/);
  assert.equal(a, hashBytes(h, Buffer.from('export const a = 1;\n')));
  assert.notEqual(a, hashBytes(h, Buffer.from('export const a = 2;\n')));
  assert.notEqual(cacheKey(a, 'typescript', false), cacheKey(a, 'tsx', false));
  assert.notEqual(cacheKey(a, 'typescript', false), cacheKey(a, 'typescript', true));
  assert.match(await extractorVersion(), /^[0-9a-f]{16}$/);
});

test('put then get returns the facts under the new path; damaged entries are misses', async () => {
  const cache = new FactsCache(path.join(tmp, 'c1'), 'v-test');
  const facts = await extractFile('src/a.py', 'def load_user(user_id: int) -> dict:\n    return {}\n', 'python');
  assert.equal(cache.get('k1', 'x.py'), undefined);
  cache.put('k1', facts);
  const back = cache.get('k1', 'lib/b.py')!;
  assert.equal(back.path, 'lib/b.py');
  assert.deepEqual({ ...back, path: facts.path }, facts);
  const file = path.join(tmp, 'c1', 'v-test', 'k1', 'k1.json');
  fs.writeFileSync(file, '{ not json');
  assert.equal(cache.get('k1', 'x.py'), undefined);
});

test('an unwritable cache folder turns the cache off with a reason, not a crash', async () => {
  const blocker = path.join(tmp, 'blocker');
  fs.writeFileSync(blocker, 'a file where the cache folder should be');
  const cache = new FactsCache(blocker, 'v');
  cache.put('k', await extractFile('a.ts', 'export const a = 1;\n', 'typescript'));
  assert.match(cache.lastError ?? '', /cannot be written/);
});

test('a second run over an unchanged tree is served from the cache, with identical facts', async () => {
  const cacheDir = path.join(tmp, 'repo-cache');
  const first = await extractRepo([repo], { cacheDir, jobs: 0 });
  assert.equal(first.stats.cacheHits, 0);
  assert.ok(first.stats.cacheMisses >= 14);
  const second = await extractRepo([repo], { cacheDir, jobs: 0 });
  assert.equal(second.stats.cacheMisses, 0);
  assert.equal(second.stats.cacheHits, first.stats.cacheMisses);
  assert.deepEqual(second.facts.files, first.facts.files);
  assert.deepEqual(second.constraints, first.constraints);
  // Changing one file re-extracts only that file.
  fs.appendFileSync(path.join(repo, 'src/core/math.ts'), '\nexport function subtract(a: number, b: number): number { return a - b; }\n');
  const third = await extractRepo([repo], { cacheDir, jobs: 0 });
  assert.equal(third.stats.cacheMisses, 1);
  assert.ok(third.facts.files.find((f) => f.path === 'src/core/math.ts')!.functions.some((f) => f.name === 'subtract'));
  // --no-cache reads and writes nothing.
  const none = await extractRepo([repo], { cache: false, cacheDir: path.join(tmp, 'unused'), jobs: 0 });
  assert.equal(none.stats.cacheHits, 0);
  assert.equal(fs.existsSync(path.join(tmp, 'unused')), false);
});

/** Runs `fn` with ANANKE_CACHE_DIR set to `value` (or unset), restoring it afterwards. */
async function withCacheEnv<T>(value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env[CACHE_DIR_ENV];
  if (value === undefined) delete process.env[CACHE_DIR_ENV];
  else process.env[CACHE_DIR_ENV] = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env[CACHE_DIR_ENV];
    else process.env[CACHE_DIR_ENV] = saved;
  }
}

test('ANANKE_CACHE_DIR moves the default cache; an explicit cacheDir (--cache-dir) still wins', async () => {
  assert.equal(defaultCacheDir('/w', {}), path.join('/w', '.ananke', 'cache'));
  assert.equal(defaultCacheDir('/w', { [CACHE_DIR_ENV]: '/var/cache/ananke' }), '/var/cache/ananke');
  assert.equal(defaultCacheDir('/w', { [CACHE_DIR_ENV]: 'rel/c' }), path.join('/w', 'rel', 'c'));
  assert.equal(defaultCacheDir('/w', { [CACHE_DIR_ENV]: '' }), path.join('/w', '.ananke', 'cache'), 'empty means unset');

  const cwd = path.join(tmp, 'env-cwd');
  fs.mkdirSync(cwd);
  const fromEnv = path.join(tmp, 'env-cache');
  const explicit = path.join(tmp, 'explicit-cache');
  await withCacheEnv(fromEnv, async () => {
    const a = await extractRepo([repo], { cwd, jobs: 0 });
    assert.ok(a.stats.cacheMisses > 0);
    assert.ok(fs.existsSync(path.join(fromEnv, await extractorVersion())), 'entries under ANANKE_CACHE_DIR');
    assert.equal(fs.existsSync(path.join(cwd, '.ananke')), false, 'nothing in the working directory');
    // The explicit folder is empty: every file misses, so the environment's cache was not read.
    const b = await extractRepo([repo], { cwd, cacheDir: explicit, jobs: 0 });
    assert.equal(b.stats.cacheHits, 0);
    assert.ok(fs.existsSync(path.join(explicit, await extractorVersion())));
  });
});

test('the folder the cache creates gets a .gitignore of *; a folder that was already there is left alone', async () => {
  const cwd = path.join(tmp, 'project');
  fs.mkdirSync(cwd);
  await withCacheEnv(undefined, () => extractRepo([repo], { cwd, jobs: 0 }));
  const ignore = fs.readFileSync(path.join(cwd, '.ananke', '.gitignore'), 'utf8');
  assert.ok(ignore.split('\n').includes('*'), ignore);
  assert.equal(fs.existsSync(path.join(cwd, '.ananke', 'cache', '.gitignore')), false, 'one .gitignore, at the top');
  assert.equal(fs.existsSync(path.join(cwd, '.gitignore')), false, "the user's folder is not touched");

  const existing = path.join(tmp, 'existing-cache');
  fs.mkdirSync(existing);
  const cache = new FactsCache(existing, 'v');
  cache.put('k', await extractFile('a.ts', 'export const a = 1;\n', 'typescript'));
  assert.equal(cache.lastError, undefined);
  assert.equal(fs.existsSync(path.join(existing, '.gitignore')), false);
});

test('the first write under a version removes older versions, and only what the cache wrote', async () => {
  const base = path.join(tmp, 'prune');
  const outside = path.join(tmp, 'outside');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'precious.txt'), 'not the cache\'s');
  const stale = path.join(base, '0123456789abcdef');
  fs.mkdirSync(path.join(stale, 'ab'), { recursive: true });
  fs.mkdirSync(path.join(stale, 'index'));
  fs.writeFileSync(path.join(stale, 'ab', 'abcd-typescript-s.json'), '{}');
  // A link inside a stale version: removing the version must not reach through it.
  fs.symlinkSync(outside, path.join(stale, 'cd'));
  // Named like a version but not shaped like one, a link named like one, and other names: kept.
  const foreign = path.join(base, 'fedcba9876543210');
  fs.mkdirSync(foreign);
  fs.writeFileSync(path.join(foreign, 'notes.txt'), 'someone else\'s');
  fs.symlinkSync(outside, path.join(base, '1111111111111111'));
  fs.mkdirSync(path.join(base, 'other'));

  const current = '2222222222222222';
  const cache = new FactsCache(base, current);
  assert.equal(fs.existsSync(stale), true, 'nothing is removed before a write');
  cache.put('k1', await extractFile('a.ts', 'export const a = 1;\n', 'typescript'));
  assert.equal(fs.existsSync(stale), false, 'the stale version is gone');
  assert.equal(fs.readFileSync(path.join(outside, 'precious.txt'), 'utf8'), "not the cache's");
  assert.deepEqual(fs.readdirSync(base).sort(), ['1111111111111111', current, 'fedcba9876543210', 'other']);
  assert.ok(cache.get('k1', 'a.ts'), 'the current version works');
  // Pruning keeps the version it is given.
  assert.deepEqual(pruneStaleVersions(base, current), []);
  assert.deepEqual(pruneStaleVersions(path.join(tmp, 'no-such-folder'), current), []);
});

test('a run served wholly from the cache still removes a stale version', async () => {
  const cacheDir = path.join(tmp, 'prune-run');
  await extractRepo([repo], { cacheDir, jobs: 0 });
  const stale = path.join(cacheDir, 'aaaaaaaaaaaaaaaa');
  fs.mkdirSync(path.join(stale, '00'), { recursive: true });
  const again = await extractRepo([repo], { cacheDir, jobs: 0 });
  assert.equal(again.stats.cacheMisses, 0);
  assert.equal(fs.existsSync(stale), false);
  assert.deepEqual(fs.readdirSync(cacheDir).sort(), ['.gitignore', await extractorVersion()]);
});
