import { spawnSync } from 'node:child_process';

/** Whether `python3` runs here: tests that need it skip, or check less, saying so, when it does not. */
export const HAS_PYTHON = spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0;
export const NO_PYTHON = 'python3 is not installed';
