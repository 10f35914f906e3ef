/**
 * Ananke's test model (random weights, the real Qwen3 vocabulary), loaded once for a test file
 * with the real runtime: created in a temporary cache folder before the file's tests, disposed of
 * and the folder removed after them.
 *
 *   const loaded = useTestModel('ananke-maze-');
 *   test('…', async () => { const r = await maze.generate(loaded.model, { … }); });
 */
import { before, after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadLocalModel, type LoadLocalModelOptions, type LocalModel } from '../../src/maze/index.ts';

export interface LoadedTestModel {
  /** The model; read it inside a test (it is loaded by the file's `before`). */
  readonly model: LocalModel;
  /** The temporary folder (the model is cached in its `cache/`). */
  readonly dir: string;
}

/** Registers the `before` that loads the test model and the `after` that disposes of it. */
export function useTestModel(prefix = 'ananke-test-model-', opts: Omit<LoadLocalModelOptions, 'cacheDir'> = {}): LoadedTestModel {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  let model: LocalModel | undefined;
  before(async () => {
    model = await loadLocalModel('test', { ...opts, cacheDir: path.join(dir, 'cache') });
  });
  after(async () => {
    await model?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get model(): LocalModel {
      if (model === undefined) throw new Error('the test model is not loaded (read `model` inside a test)');
      return model;
    },
    dir,
  };
}
