import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { isPoolCommand, v8PoolSize } from '../../src/cli/v8-pool.ts';
import { AnankeError, startedPoolSize } from '../../src/core/index.ts';
import { ROOT, runCli } from '../helpers/cli.ts';

test('v8PoolSize: one helper fewer than the cores where that is below Node\'s 4; ANANKE_V8_POOL_SIZE wins, 0 leaves the default', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 64].map((cores) => v8PoolSize(undefined, cores)), [1, 1, 2, 3, undefined, undefined]);
  assert.equal(v8PoolSize('', 2), 1);
  assert.equal(v8PoolSize('3', 2), 3);
  assert.equal(v8PoolSize('0', 2), undefined);
  for (const bad of ['abc', '-1', '1.5', '2000']) {
    assert.throws(() => v8PoolSize(bad, 2), (e: unknown) => e instanceof AnankeError && e.code === 'USAGE' && /ANANKE_V8_POOL_SIZE/.test(e.message), bad);
  }
});

test('startedPoolSize reads --v8-pool-size from the flags or NODE_OPTIONS, the flags last', () => {
  assert.equal(startedPoolSize([], ''), undefined);
  assert.equal(startedPoolSize(['--v8-pool-size=2'], ''), 2);
  assert.equal(startedPoolSize(['--v8-pool-size', '3'], ''), 3);
  assert.equal(startedPoolSize([], '--max-old-space-size=4096 --v8-pool-size=1'), 1);
  assert.equal(startedPoolSize(['--v8-pool-size=2'], '--v8-pool-size=1'), 2);
});

test('only the commands that compute masks for long start again: serve, generate, bench', () => {
  assert.deepEqual(
    [['serve'], ['generate', 'x.ts'], ['bench', 'maskbench', 'd'], ['--json', 'bench'], ['extract', 'src'], ['--help'], []].map(isPoolCommand),
    [true, true, true, true, false, false, false],
  );
});

test('ananke bench starts again with the pool size asked for, and says which; a bad ANANKE_V8_POOL_SIZE is a usage error', () => {
  const fixtures = path.join(ROOT, 'test/fixtures/maskbench');
  const args = ['bench', 'maskbench', fixtures, '--filter', 'enum', '--no-warm-up', '--no-progress', '--json'];
  const two = runCli(args, { env: { ANANKE_V8_POOL_SIZE: '2', NODE_OPTIONS: '' } });
  assert.equal(two.status, 0, two.stderr);
  assert.equal(JSON.parse(two.stdout).v8PoolSize, 2);
  const left = runCli(args, { env: { ANANKE_V8_POOL_SIZE: '0', NODE_OPTIONS: '' } });
  assert.equal(JSON.parse(left.stdout).v8PoolSize, 'default');
  // A size the process was started with is kept.
  const kept = runCli(args, { env: { ANANKE_V8_POOL_SIZE: '2', NODE_OPTIONS: '--v8-pool-size=3' } });
  assert.equal(JSON.parse(kept.stdout).v8PoolSize, 3);
  const bad = runCli(args, { env: { ANANKE_V8_POOL_SIZE: 'many' } });
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.match(JSON.parse(bad.stderr).error.message, /ANANKE_V8_POOL_SIZE must be an integer/);
});
