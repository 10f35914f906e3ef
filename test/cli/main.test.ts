import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ERROR_CODES, EXIT } from '../../src/core/index.ts';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { BIN, ROOT, runCli } from '../helpers/cli.ts';

const ERROR_LINE = /^ananke: error \[([A-Z_]+)\]: \S/;

test('ananke --help lists every command with its summary and exits 0', () => {
  const r = runCli(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: ananke/);
  for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`\\n  ${c.name} +${c.summary.slice(0, 20).replace(/[()]/g, '.')}`));
});

test('-v and --version print the version of package.json', () => {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(runCli(['-v']).stdout.trim(), version);
  assert.equal(runCli(['--version']).stdout.trim(), version);
});

test('every command\'s help has an example, its exit statuses, and prints each default once', () => {
  for (const args of [['extract'], ['grammar', 'check'], ['schema', 'check'], ['schema', 'grammar'], ['bench', 'jsts'], ['bench', 'maskbench']]) {
    const r = runCli([...args, '--help']);
    assert.equal(r.status, 0, args.join(' '));
    assert.match(r.stdout, /Examples?:\n {2}\$ ananke /, `${args.join(' ')}: an example`);
    assert.match(r.stdout, /Exit status: 0 /, `${args.join(' ')}: exit statuses`);
    for (const option of r.stdout.split(/\n(?= {2}-)/)) {
      assert.ok((option.match(/\(default/g) ?? []).length <= 1, `${args.join(' ')}: a default printed twice in:\n${option}`);
    }
  }
  // `help <command>` configures the command it names, like `<command> --help`.
  assert.match(runCli(['help', 'extract']).stdout, /--min-confidence/);
});

test('usage errors, commander\'s included, are one line `ananke: error [USAGE]: …` and exit 2', () => {
  for (const args of [['no-such-command'], ['extract', '--bogus', 'src'], ['extract'], ['schema', 'check', 'x.json', '--whitespace', 'wide'], ['extract', 'src', '--jobs', 'many']]) {
    const r = runCli(args);
    assert.equal(r.status, EXIT.INVALID, args.join(' '));
    const [first, hint] = r.stderr.split('\n');
    assert.match(first!, ERROR_LINE, args.join(' '));
    assert.equal(ERROR_LINE.exec(first!)![1], 'USAGE');
    if (args[0] !== 'schema' && args[1] !== 'src') assert.match(hint!, /--help/);
    assert.equal(r.stdout, '');
  }
});

test('every error code maps to the status of the one table, for every command', () => {
  const cases: Array<[string[], keyof typeof ERROR_CODES]> = [
    [['extract', 'does/not/exist'], 'NOT_FOUND'],
    [['grammar', 'check', 'missing.lark'], 'NOT_FOUND'],
    [['grammar', 'check', 'grammars/json.lark', '--tokenizer', 'no/such/tokenizer.json'], 'TOKENIZER'],
    [['schema', 'grammar', 'missing.json'], 'NOT_FOUND'],
    [['bench', 'jsts', 'no/such/folder'], 'NOT_FOUND'],
    [['bench', 'maskbench', 'no/such/folder'], 'NOT_FOUND'],
  ];
  for (const [args, code] of cases) {
    const r = runCli(args);
    assert.equal(r.status, ERROR_CODES[code].exit, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(ERROR_LINE.exec(r.stderr)?.[1], code, args.join(' '));
  }
});

test('with --json, an error is one JSON object on stderr with code, message and exit', () => {
  const r = runCli(['schema', 'check', 'missing.json', '--json']);
  assert.equal(r.status, EXIT.NOT_FOUND);
  assert.equal(r.stdout, '');
  const e = JSON.parse(r.stderr) as { error: { code: string; message: string; exit: number } };
  assert.deepEqual(e.error, { code: 'NOT_FOUND', message: 'schema file not found: missing.json', exit: 3 });
  const usage = runCli(['extract', '--json', '--bogus']);
  assert.equal((JSON.parse(usage.stderr) as { error: { code: string } }).error.code, 'USAGE');
});

test('a reader that closes the pipe early ends the run quietly', () => {
  // The shell's `ananke extract … --json | head -c 100`: stdout closes after 100 bytes.
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" extract src --json --no-cache --jobs 0 | head -c 100 >/dev/null; echo "status=$?"`], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /status=0/);
  const withStatus = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" extract src --json --no-cache --jobs 0 | head -c 100 >/dev/null`], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(withStatus.stderr, '');
  assert.equal(withStatus.status, 0);
});
