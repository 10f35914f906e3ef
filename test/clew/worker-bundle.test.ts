import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractFile } from '../../src/clew/extract-file.ts';
import { WorkerPool } from '../../src/clew/pool.ts';
import { bundleBootstrap, TSX_BOOTSTRAP, workerBundle } from '../../src/clew/worker-bundle.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-bundle-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SOURCE = `import { readFile } from 'node:fs/promises';
/** Reads a config. */
export async function loadConfig(path: string): Promise<string> {
  // TODO: validate
  return eval(await readFile(path, 'utf8'));
}
`;

test('the worker bundle is one plain .mjs file, reused while the sources are unchanged, and gives the same facts', async () => {
  const dir = path.join(tmp, 'bundles');
  const file = await workerBundle(dir);
  assert.match(path.basename(file), /^worker-[0-9a-f]{20}\.mjs$/);
  assert.equal(path.dirname(file), dir);
  assert.equal(fs.readdirSync(dir).length, 1);
  assert.equal(await workerBundle(dir), file);
  const text = fs.readFileSync(file, 'utf8');
  assert.doesNotMatch(text, /from ["']web-tree-sitter["']/, 'packages are imported by absolute URL');
  assert.match(text, /file:\/\/[^"']*web-tree-sitter/);

  const pool = new WorkerPool(1, bundleBootstrap(file));
  try {
    const viaBundle = await pool.extract('src/config.ts', SOURCE, 'typescript');
    assert.deepEqual(viaBundle, await extractFile('src/config.ts', SOURCE, 'typescript'));
    assert.equal(viaBundle.functions[0]!.doc, 'Reads a config.');
    assert.equal(viaBundle.security[0]!.finding, 'eval');
  } finally {
    await pool.close();
  }
});

test('a folder other users can write to is refused (the pool then uses tsx)', async () => {
  const dir = path.join(tmp, 'shared');
  fs.mkdirSync(dir, { mode: 0o777 });
  fs.chmodSync(dir, 0o777);
  await assert.rejects(workerBundle(dir), /not a private folder/);
});

test('workers whose bootstrap cannot start switch to the fallback bootstrap and still extract', async () => {
  const pool = new WorkerPool(1, 'throw new Error("cannot boot")', TSX_BOOTSTRAP);
  try {
    const facts = await pool.extract('src/config.ts', SOURCE, 'typescript');
    assert.deepEqual(facts.functions.map((f) => f.name), ['loadConfig']);
    assert.equal(pool.unavailable, undefined);
  } finally {
    await pool.close();
  }
});
