import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnankeError } from '../../src/core/index.ts';
import { jstsBaselineFile, jstsBaselineLocation } from '../../src/cli/commands/bench.ts';
import { ROOT } from '../helpers/cli.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-baseline-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A package root; `bench` says whether it has the bench/ folder a checkout has. */
function packageRoot(rel: string, bench: boolean): string {
  const root = path.join(tmp, rel);
  fs.mkdirSync(bench ? path.join(root, 'bench') : root, { recursive: true });
  return root;
}

const refused = (e: unknown): boolean => e instanceof AnankeError && e.code === 'USAGE' && /pass --baseline FILE/.test(e.message);

test('this checkout is a checkout: the committed baseline is the default, and may be updated', () => {
  assert.deepEqual(jstsBaselineLocation(), { file: path.join(ROOT, 'bench', 'jsts-baseline.json'), checkout: true });
  assert.equal(jstsBaselineFile({ updateBaseline: true }), path.join(ROOT, 'bench', 'jsts-baseline.json'));
});

test('--update-baseline in an installed package (no bench/ beside it) is a USAGE error asking for --baseline FILE', () => {
  const root = packageRoot('global/lib/ananke', false);
  assert.equal(jstsBaselineLocation(root).checkout, false);
  assert.throws(() => jstsBaselineFile({ updateBaseline: true }, root), refused);
  // Comparing needs no writing: the (absent) default is fine.
  assert.equal(jstsBaselineFile({}, root), path.join(root, 'bench', 'jsts-baseline.json'));
  // A file the user names is theirs to write.
  assert.equal(jstsBaselineFile({ updateBaseline: true, baseline: 'mine.json' }, root), path.resolve('mine.json'));
});

test('a package inside node_modules is never written into, even with a bench/ folder', () => {
  const root = packageRoot('app/node_modules/ananke', true);
  assert.equal(jstsBaselineLocation(root).checkout, false);
  assert.throws(() => jstsBaselineFile({ updateBaseline: true }, root), refused);
  const checkout = packageRoot('src/ananke', true);
  assert.equal(jstsBaselineFile({ updateBaseline: true }, checkout), path.join(checkout, 'bench', 'jsts-baseline.json'));
});
