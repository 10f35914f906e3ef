import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { byteTokenizer, compile, parseGbnf, parseLark } from '../../src/engine/index.ts';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ananke-gprint-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PY_OK = 'def f(x):\n    if x:\n        return 1\n    return 2\n';
const PY_BAD_DEDENT = 'def f(x):\n    if x:\n        return 1\n  return 2\n';

test('grammar print --lang: the Lark a server receives compiles and gives the engine\'s verdicts', () => {
  const go = runCli(['grammar', 'print', '--lang', 'go']);
  assert.equal(go.status, 0, go.stderr);
  assert.match(go.stdout, /^%llguidance \{/);
  assert.ok(compile(parseLark(go.stdout), byteTokenizer()).matches('package main\n\nfunc main() {\n\tprintln("hi")\n}\n'));
  // Portable: indentation expanded into plain rules (no engine option left), same verdicts.
  const py = runCli(['grammar', 'print', '--lang', 'python', '--portable']);
  assert.equal(py.status, 0, py.stderr);
  assert.doesNotMatch(py.stdout.split('\n')[0]!, /indentation/);
  const cg = compile(parseLark(py.stdout), byteTokenizer());
  assert.equal(cg.matches(PY_OK), true);
  assert.equal(cg.matches(PY_BAD_DEDENT), false);
});

test('grammar print --indent-units: one unit prints a third of the grammar and reads only that unit', () => {
  const print = (...more: string[]) => runCli(['grammar', 'print', '--lang', 'python', '--portable', '--indent-levels', '3', ...more]);
  const all = print();
  const four = print('--indent-units', '4');
  assert.equal(four.status, 0, four.stderr);
  assert.ok(four.stdout.length * 2 < all.stdout.length, `${four.stdout.length} vs ${all.stdout.length} characters`);
  const cg = compile(parseLark(four.stdout), byteTokenizer());
  assert.equal(cg.matches(PY_OK), true);
  assert.equal(cg.matches(PY_OK.replace(/ {4}/g, '  ')), false, 'two spaces are not a unit of this print');
  assert.equal(cg.matches(PY_OK.replace(/ {4}/g, '\t')), false, 'nor is a tab');
  const twoTab = compile(parseLark(print('--indent-units', '2,tab').stdout), byteTokenizer());
  assert.equal(twoTab.matches(PY_OK.replace(/ {4}/g, '  ')), true);
  assert.equal(twoTab.matches(PY_OK.replace(/ {4}/g, '\t')), true);
  assert.equal(twoTab.matches(PY_OK), false);
  for (const bad of [['--indent-units', '0'], ['--indent-units', '4,4'], ['--indent-units', 'tabs'], ['--indent-units', ''], ['--indent-levels', '33']]) {
    const r = print(...bad);
    assert.equal(r.status, 2, bad.join(' '));
    assert.match(r.stderr, /--indent-(units|levels)/);
  }
});

test('grammar print --format gbnf writes GBNF our GBNF reader compiles; bad options are usage errors', () => {
  const r = runCli(['grammar', 'print', 'grammars/json.lark', '--format', 'gbnf']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^root ::= /m);
  assert.doesNotThrow(() => parseGbnf(r.stdout));
  assert.equal(runCli(['grammar', 'print', '--lang', 'go', '--format', 'yaml']).status, 2);
  assert.equal(runCli(['grammar', 'print']).status, 2);
  assert.equal(runCli(['grammar', 'print', 'grammars/json.lark', '--lang', 'go']).status, 2);
});

test('grammar sample: seeded, reproducible texts that grammar check accepts', () => {
  const a = runCli(['grammar', 'sample', '--lang', 'go', '-n', '3', '--seed', '5', '--json']);
  assert.equal(a.status, 0, a.stderr);
  const { samples } = JSON.parse(a.stdout) as { samples: string[] };
  assert.equal(samples.length, 3);
  const b = JSON.parse(runCli(['grammar', 'sample', '--lang', 'go', '-n', '1', '--seed', '6', '--json']).stdout) as { samples: string[] };
  assert.equal(b.samples[0], samples[1], 'text i of a batch is the text of seed + i alone');
  const files = samples.map((s, i) => {
    const p = path.join(dir, `s${i}.go`);
    writeFileSync(p, s);
    return p;
  });
  const check = runCli(['grammar', 'check', '--lang', 'go', ...files]);
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.equal(runCli(['grammar', 'sample', 'grammars/arithmetic.lark', '-n', 'zero']).status, 2);
});

test('grammar check --lang typescript accepts this repository\'s own sources', () => {
  const r = runCli(['grammar', 'check', '--lang', 'ts', 'src/cli/main.ts', 'src/engine/index.ts', 'bench/grammars.ts', '--json']);
  assert.equal(r.status, 0, r.stdout);
  const j = JSON.parse(r.stdout) as { accepted: number; total: number; grammar: { lang: string } };
  assert.deepEqual([j.accepted, j.total, j.grammar.lang], [3, 3, 'typescript']);
});
