/**
 * Where the evaluation data lives. The data is not shipped with Ananke (it is other projects'
 * work, with its own licences); the benchmarks and the tests that need it look for one folder:
 *
 *   <data dir>/maskbench-dev/                             MaskBench JSON Schema files (+ serialized.jsonl)
 *   <data dir>/json-schema-test-suite/tests/draft2020-12/ the official JSON-Schema-Test-Suite
 *
 * `<data dir>` is `$ANANKE_DATA_DIR` when set, else `../shared/data` beside the package root (where
 * the project's development machines and CI keep it). The `ananke bench` commands take the folder
 * itself as an argument instead.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The environment variable that points at a copy of the data folder. */
export const DATA_DIR_ENV = 'ANANKE_DATA_DIR';

/** The package root: this file is src/eval/data.ts in a checkout, dist/eval/data.js when built. */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface DataPaths {
  /** The data folder itself. */
  root: string;
  /** MaskBench's development sample: one JSON file per schema, and serialized.jsonl. */
  maskbenchDev: string;
  /** The JSON-Schema-Test-Suite's draft 2020-12 tests (what `ananke bench jsts` runs). */
  jstsDraft2020: string;
}

/** The data folder: `$ANANKE_DATA_DIR` (relative to the current folder) or `../shared/data` beside `packageRoot`. */
export function dataDir(env: NodeJS.ProcessEnv = process.env, packageRoot: string = PACKAGE_ROOT): string {
  const fromEnv = env[DATA_DIR_ENV];
  return fromEnv ? path.resolve(fromEnv) : path.resolve(packageRoot, '../shared/data');
}

export function dataPaths(root: string = dataDir()): DataPaths {
  return {
    root,
    maskbenchDev: path.join(root, 'maskbench-dev'),
    jstsDraft2020: path.join(root, 'json-schema-test-suite', 'tests', 'draft2020-12'),
  };
}

/**
 * Why `dir` cannot be used (a note for a skipped test or benchmark), or undefined when it is there.
 * `from`: show the path relative to this folder when that is shorter to read (`../shared/data/…`).
 */
export function missingData(dir: string, from?: string): string | undefined {
  if (existsSync(dir)) return undefined;
  const rel = from !== undefined ? path.relative(from, dir) : undefined;
  const shown = rel !== undefined && !rel.startsWith(`..${path.sep}..`) ? rel : dir;
  return `${shown} not present (set ${DATA_DIR_ENV} to a copy of the data folder; see the README)`;
}
