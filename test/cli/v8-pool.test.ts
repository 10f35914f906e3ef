import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { isPoolCommand, v8PoolSize } from '../../src/cli/v8-pool.ts';
import { AnankeError, startedPoolSize } from '../../src/core/index.ts';
import { BIN, ROOT, runCli } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

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

/** `ananke serve` through the real binary, which starts it again under a pool size; its own process group, as in a terminal. */
function serveRelaunched(): { child: ChildProcess; stderr: () => string; exit: Promise<[number | null, NodeJS.Signals | null]> } {
  const child = spawn(process.execPath, [BIN, 'serve', '--model', 'test', '--port', '0', '--no-warm-up'], {
    cwd: ROOT, env: { ...process.env, ANANKE_V8_POOL_SIZE: '1', NODE_OPTIONS: '', ANANKE_API_KEY: undefined }, stdio: ['ignore', 'ignore', 'pipe'], detached: true,
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
  return { child, stderr: () => err, exit };
}

test('serve started again under a pool size stops cleanly on a Ctrl-C to its process group (both processes get it), on SIGTERM to the first, and when the first is killed', async () => {
  for (const how of ['group SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
    const s = serveRelaunched();
    try {
      await waitFor(s.stderr, /serving .* on http:\/\/127\.0\.0\.1:\d+/);
      if (how === 'group SIGINT') process.kill(-s.child.pid!, 'SIGINT');
      else s.child.kill(how);
      assert.deepEqual(await s.exit, how === 'SIGKILL' ? [null, 'SIGKILL'] : [0, null], `${how}: ${s.stderr()}`);
      // The second process writes to the same stderr: after a SIGKILL of the first, it stops by itself.
      await waitFor(s.stderr, /stopped/, 20_000);
      assert.match(s.stderr(), /shutting down[\s\S]*stopped/, how);
    } finally {
      try {
        process.kill(-s.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});
