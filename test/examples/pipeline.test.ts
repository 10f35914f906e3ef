/**
 * The README's first command ends in `npm run example` (scripts/example.ts): the whole pipeline on
 * examples/ts-inventory through the built CLI. Run here as there, with a fresh cache (so the test
 * model is made from scratch, as on a new machine): it must exit 0 and show every stage.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/cli.ts';

const cache = mkdtempSync(path.join(os.tmpdir(), 'ananke-example-cache-'));
after(() => rmSync(cache, { recursive: true, force: true }));

test('npm run example: extract → compile → generate → validate, exit 0', { timeout: 300_000 }, () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/example.ts'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, ANANKE_CACHE_DIR: cache, ANANKE_MODEL: undefined },
  });
  const out = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, out);
  for (const n of [1, 2, 3, 4]) assert.match(out, new RegExp(`== ${n}/4 `), `stage ${n}`);
  assert.match(out, /typescript variable names are camelCase/, 'extract found the conventions');
  assert.match(out, /\d+ enforced while decoding, \d+ checked after/, 'compile said how each is enforced');
  assert.match(out, /-> \d+ tokens \(\d+ forced\)/, 'generate ran the test model');
  assert.match(out, /reorder-report\.ts:9:24: error: eval: .*\[clew\.security\.eval\]/, 'validate found the eval');
  assert.match(out, /example: ok — extract → compile → generate → validate/);
});
