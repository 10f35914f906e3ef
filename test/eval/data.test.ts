import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATA_DIR_ENV, dataDir, dataPaths, missingData } from '../../src/eval/index.ts';
import { ROOT } from '../helpers/cli.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-data-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the data folder is ../shared/data beside the package root unless ANANKE_DATA_DIR says otherwise', () => {
  assert.equal(dataDir({}, '/opt/pkg'), path.resolve('/opt/shared/data'));
  // The default for this checkout: the same place the tests and CI have always used.
  assert.equal(dataDir({}), path.resolve(ROOT, '../shared/data'));
  assert.equal(dataDir({ [DATA_DIR_ENV]: '/data/copy' }, '/opt/pkg'), path.resolve('/data/copy'));
  // A relative value is taken from the current folder, as a shell user expects.
  assert.equal(dataDir({ [DATA_DIR_ENV]: 'rel/data' }, '/opt/pkg'), path.resolve(process.cwd(), 'rel/data'));
  // Empty means unset (a `VAR=` in a script must not point at the current folder).
  assert.equal(dataDir({ [DATA_DIR_ENV]: '' }, '/opt/pkg'), path.resolve('/opt/shared/data'));
});

test('the layout inside the data folder and the note for a missing copy', () => {
  const p = dataPaths(tmp);
  assert.equal(p.root, tmp);
  assert.equal(p.maskbenchDev, path.join(tmp, 'maskbench-dev'));
  assert.equal(p.jstsDraft2020, path.join(tmp, 'json-schema-test-suite', 'tests', 'draft2020-12'));
  assert.match(missingData(p.maskbenchDev) ?? '', /maskbench-dev not present \(set ANANKE_DATA_DIR/);
  assert.equal(missingData(p.maskbenchDev, tmp)?.startsWith('maskbench-dev not present'), true);
  // Far from `from`, a relative path is harder to read than the absolute one.
  assert.equal(missingData(p.maskbenchDev, path.join(tmp, 'a', 'b'))?.startsWith(`${p.maskbenchDev} not present`), true);
  fs.mkdirSync(p.maskbenchDev);
  assert.equal(missingData(p.maskbenchDev), undefined);
});
