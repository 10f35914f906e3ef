import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FactsCache, cacheKey, extractorVersion, getHasher, hashBytes } from '../../src/clew/cache.ts';
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
