import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { extractFile } from '../../src/clew/extract-file.ts';
import { WorkerPool, workerBootstrap } from '../../src/clew/pool.ts';
import { ROOT } from '../helpers/cli.ts';

const SOURCE = `import { readFile } from 'node:fs/promises';
/** Reads a config. */
export async function loadConfig(path: string): Promise<string> {
  // TODO: validate
  return eval(await readFile(path, 'utf8'));
}
`;

async function extractWith(pool: WorkerPool): Promise<Awaited<ReturnType<typeof extractFile>>> {
  try {
    return await pool.extract('src/config.ts', SOURCE, 'typescript');
  } finally {
    await pool.close();
  }
}

test('run from the sources, workers load worker.ts through tsx and give the same facts as the main thread', async () => {
  assert.match(workerBootstrap(), /tsx.*worker\.ts/s);
  const facts = await extractWith(new WorkerPool(1));
  assert.deepEqual(facts, await extractFile('src/config.ts', SOURCE, 'typescript'));
  assert.equal(facts.functions[0]!.doc, 'Reads a config.');
  assert.equal(facts.security[0]!.finding, 'eval');
});

const DIST_POOL = path.join(ROOT, 'dist/clew/pool.js');

test('compiled, workers run dist/clew/worker.js with no TypeScript loader', { skip: !existsSync(DIST_POOL) && 'dist/ not built (npm run build)' }, async () => {
  const dist = (await import(pathToFileURL(DIST_POOL).href)) as typeof import('../../src/clew/pool.ts');
  const bootstrap = dist.workerBootstrap();
  assert.doesNotMatch(bootstrap, /tsx/);
  assert.match(bootstrap, /dist\/clew\/worker\.js/);
  const facts = await extractWith(new dist.WorkerPool(1));
  assert.deepEqual(facts, await extractFile('src/config.ts', SOURCE, 'typescript'));
});
