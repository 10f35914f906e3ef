#!/usr/bin/env node
// The `ananke` command: runs the compiled CLI in dist/ (built by `npm run build`).
import { fileURLToPath } from 'node:url';

let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist')) throw e;
  process.stderr.write('ananke: error [INTERNAL]: the compiled CLI (dist/) is missing: in a checkout of Ananke, run `npm run build` first\n');
  process.exit(70);
}
// serve, generate and bench may start again under a V8 helper pool sized for the machine (src/cli/v8-pool.ts).
const code = await cli.start(fileURLToPath(import.meta.url), process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
