/**
 * The project's test data lives beside the repository, in ../shared/data (as CI and the
 * development machines have it). Tests that need it skip, saying why, in a clone without it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './cli.ts';

export const SHARED_DATA = path.resolve(ROOT, '../shared/data');
export const MASKBENCH_DEV = path.join(SHARED_DATA, 'maskbench-dev');
export const JSTS_DRAFT2020 = path.join(SHARED_DATA, 'json-schema-test-suite/tests/draft2020-12');

/** Test options that skip the test when `dir` is missing. */
export function needsData(dir: string): { skip: string | false } {
  return { skip: !existsSync(dir) && `${path.relative(ROOT, dir)} not present` };
}
