/**
 * The project's test data lives beside the repository, in ../shared/data (as CI and the
 * development machines have it), or wherever ANANKE_DATA_DIR points; src/eval/data.ts decides, for
 * the benchmarks too. Tests that need it skip, saying why, in a clone without it.
 */
import { dataPaths, missingData } from '../../src/eval/data.ts';
import { ROOT } from './cli.ts';

const DATA = dataPaths();
export const MASKBENCH_DEV = DATA.maskbenchDev;
export const JSTS_DRAFT2020 = DATA.jstsDraft2020;

/** Test options that skip the test when `dir` is missing. */
export function needsData(dir: string): { skip: string | false } {
  return { skip: missingData(dir, ROOT) ?? false };
}
