import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.ts';

test('ananke --help lists the program and exits 0', () => {
  const r = runCli(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: ananke/);
});

test('an unknown command is a usage error (exit 2)', () => {
  const r = runCli(['no-such-command']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--help/);
});
