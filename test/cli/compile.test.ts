/**
 * `ananke compile` and `ananke explain`, run as a user runs them (the built CLI, real files): on a
 * small TypeScript project written here, and on this repository's own src/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';

let dir = '';

/** A project with a clear convention: camelCase locals and parameters, in more than 20 declarations. */
function project(): void {
  const fns: string[] = [];
  for (let i = 0; i < 12; i++) {
    fns.push(`export function scaleValue${i}(inputValue: number, scaleFactor: number): number {\n  const scaledValue = inputValue * scaleFactor;\n  const offsetValue = scaledValue + ${i};\n  return offsetValue;\n}\n`);
  }
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(path.join(dir, 'src/math.ts'), fns.join('\n'));
  writeFileSync(path.join(dir, 'schema.json'), JSON.stringify({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false }));
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ananke-compile-'));
  project();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], input?: string) => runCli(args, { cwd: dir, input, env: { ANANKE_CACHE_DIR: path.join(dir, '.cache') } });

function candidate(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

const REAL = 'function scaleValue3(inputValue: number, scaleFactor: number): number {\n  const scaledValue = inputValue * scaleFactor;\n  return scaledValue;\n}';

test('compile writes a ConstraintIR; --json reports timings and every enforcement', () => {
  const r = cli(['compile', 'src', '--target', 'function:src/math.ts:scaleValue3', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const rep = JSON.parse(r.stdout) as { timings: Record<string, number>; enforcement: Array<{ id: string; mode: string }>; output: { version: number; grammar: string } };
  for (const k of ['extractMs', 'braidMs', 'engineCompileMs']) assert.equal(typeof rep.timings[k], 'number', k);
  assert.equal(rep.output.version, 1);
  assert.equal(rep.enforcement.find((e) => e.id === 'clew.naming.typescript.variable')?.mode, 'decode');
  assert.match(rep.output.grammar, /^start: "function scaleValue3\(inputValue: number, scaleFactor: number\): number " block$/m);
});

test('--check: the real body is accepted (exit 0); a snake_case local is rejected (exit 1) naming the constraint', () => {
  const ok = cli(['compile', 'src', '--target', 'function:src/math.ts:scaleValue3', '--check', candidate('ok.ts', REAL)]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^accepted/m);
  const bad = cli(['compile', 'src', '--target', 'function:src/math.ts:scaleValue3', '--check', candidate('bad.ts', REAL.replace(/scaledValue/g, 'scaled_value')), '--json']);
  assert.equal(bad.status, 1);
  const rep = JSON.parse(bad.stdout) as { accepted: boolean; grammar: { line: number; column: number; cause: string; constraintIds: string[] }; postChecks: Array<{ constraintId: string; satisfied: boolean; violations: Array<{ line: number }> }> };
  assert.equal(rep.accepted, false);
  // Line 2, inside `scaled_value` (columns 9–20): where the name stops being camelCase.
  assert.deepEqual([rep.grammar.line, rep.grammar.cause], [2, 'constraints']);
  assert.ok(rep.grammar.column >= 9 && rep.grammar.column <= 20, String(rep.grammar.column));
  assert.deepEqual(rep.grammar.constraintIds, ['clew.naming.typescript.variable']);
  const post = rep.postChecks.find((p) => p.constraintId === 'clew.naming.typescript.variable')!;
  assert.equal(post.satisfied, false);
  assert.equal(post.violations[0]!.line, 2, 'lines of the candidate');
});

test('--check: eval is rejected by the security rule; a changed signature by the forced head', () => {
  const ev = cli(['compile', 'src', '--target', 'function:src/math.ts:scaleValue3', '--check', candidate('ev.ts', REAL.replace('return scaledValue', 'return eval("scaledValue")'))]);
  assert.equal(ev.status, 1);
  assert.match(ev.stdout, /cause: constraints clew\.security\.eval/);
  const sig = cli(['compile', 'src', '--target', 'function:src/math.ts:scaleValue3', '--check', candidate('sig.ts', REAL.replace('scaleFactor: number)', 'factor: number)'))]);
  assert.equal(sig.status, 1);
  assert.match(sig.stdout, /declaration head differs/);
});

test('--format lark and gbnf print the grammar; --portable drops Ananke-only options', () => {
  const lark = cli(['compile', '--target', 'module:python', '--format', 'lark', '--portable']);
  assert.equal(lark.status, 0, lark.stderr);
  assert.doesNotMatch(lark.stdout.split('\n')[0]!, /indentation/);
  const gbnf = cli(['compile', '--target', 'body:src/math.ts:scaleValue1', '--format', 'gbnf']);
  assert.equal(gbnf.status, 0, gbnf.stderr);
  assert.match(gbnf.stdout, /^root ::= /m);
});

test('json and fim targets', () => {
  const j = cli(['compile', '--target', 'json:schema.json', '--check', candidate('doc.json', '{"n": 1}')]);
  assert.equal(j.status, 0, j.stdout + j.stderr);
  assert.equal(cli(['compile', '--target', 'json:schema.json', '--check', candidate('doc2.json', '{"n": 1, "m": 2}')]).status, 1);
  // Replace `inputValue * scaleFactor` on line 2 of math.ts (columns 23–47).
  const fim = (text: string) => cli(['compile', 'src', '--target', 'fim:src/math.ts:2:23-2:47', '--check', candidate('fim.ts', text)]);
  assert.equal(fim('scaleFactor * inputValue').status, 0);
  assert.equal(fim('scaleFactor * ').status, 1, 'the suffix cannot follow an unfinished expression');
});

test('explain shows each constraint\'s enforcement and the grammar terminals behind it', () => {
  const irFile = path.join(dir, 'ir.json');
  assert.equal(cli(['compile', 'src', '--target', 'function:src/math.ts:scaleValue3', '-o', irFile]).status, 0);
  const e = cli(['explain', irFile, 'clew.naming.typescript.variable']);
  assert.equal(e.status, 0, e.stderr);
  assert.match(e.stdout, /enforced while decoding/);
  assert.match(e.stdout, /grammar: IDENT_CAMELCASE/);
  assert.equal(cli(['explain', irFile, 'no.such.id']).status, 1);
  writeFileSync(path.join(dir, 'not-ir.json'), '{"a": 1}');
  const bad = cli(['explain', 'not-ir.json']);
  assert.equal(bad.status, 4);
  assert.match(bad.stderr, /not a ConstraintIR/);
});

test('usage errors: a bad target, a missing function, new without --signature', () => {
  const t = cli(['compile', '--target', 'lambda:x']);
  assert.equal(t.status, 2);
  assert.match(t.stderr, /error \[USAGE\]: bad target 'lambda:x': unknown kind/);
  const f = cli(['compile', '--target', 'function:src/math.ts:nope']);
  assert.equal(f.status, 3);
  assert.match(f.stderr, /no function named nope .*scaleValue0/);
  assert.equal(cli(['compile', '--target', 'new:src/math.ts:3']).status, 2);
  const missing = cli(['compile', '--target', 'function:nowhere.ts:f']);
  assert.equal(missing.status, 3);
});

test('a new function with --signature: the head is forced, the body follows the conventions', () => {
  const args = ['compile', 'src', '--target', 'new:src/math.ts:1', '--signature', 'function addAll(values: number[]): number'];
  assert.equal(cli([...args, '--check', candidate('new.ts', 'function addAll(values: number[]): number {\n  let totalSum = 0;\n  for (const itemValue of values) totalSum += itemValue;\n  return totalSum;\n}')]).status, 0);
  assert.equal(cli([...args, '--check', candidate('new2.ts', 'function addAll(values: number[]): number {\n  let total_sum = 0;\n  return total_sum;\n}')]).status, 1);
});

test('constraints from a JSON file are validated', () => {
  writeFileSync(path.join(dir, 'c.json'), JSON.stringify([{ id: 'no-parse', severity: 'error', rule: { type: 'forbidden_calls', calls: ['parseInt'] } }]));
  const ok = cli(['compile', '--constraints', 'c.json', '--target', 'module:typescript', '--check', candidate('p.ts', 'const x = parseInt("1");\n')]);
  assert.equal(ok.status, 1);
  assert.match(ok.stdout, /no-parse/);
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify([{ id: 'x', severity: 'fatal', rule: { type: 'naming' } }]));
  const bad = cli(['compile', '--constraints', 'bad.json', '--target', 'module:typescript']);
  assert.equal(bad.status, 4);
  assert.match(bad.stderr, /severity must be/);
  assert.ok(readFileSync(path.join(dir, 'c.json'), 'utf8').length > 0);
});

test('constraints from an Ariadne file join the extracted ones; an Ariadne error stops the compile', () => {
  writeFileSync(path.join(dir, 'policy.ariadne'), 'module policy\n\nconstraint no_parse {\n  forbidden_calls: { calls: ["parseInt"] }\n  severity: .Error\n}\n');
  const args = ['compile', 'src', '--constraints', 'policy.ariadne', '--target', 'function:src/math.ts:scaleValue3'];
  assert.equal(cli([...args, '--check', candidate('pa.ts', REAL)]).status, 0);
  const bad = cli([...args, '--check', candidate('pb.ts', REAL.replace('return scaledValue', 'return parseInt("1") + scaledValue')), '--json']);
  assert.equal(bad.status, 1);
  assert.deepEqual((JSON.parse(bad.stdout) as { grammar: { constraintIds: string[] } }).grammar.constraintIds, ['policy.no_parse']);
  writeFileSync(path.join(dir, 'broken.ariadne'), 'constraint x {\n  severity: .Eror\n}\n');
  const broken = cli(['compile', '--constraints', 'broken.ariadne', '--target', 'module:typescript']);
  assert.equal(broken.status, 4);
  assert.match(broken.stderr, /broken\.ariadne:2:/);
});

test('a fim hole in a typed position: only expressions of the expected type from the bindings in scope', () => {
  writeFileSync(path.join(dir, 'src/area.ts'), 'export function area(width: number, label: string): number {\n  const result: number = width * 2;\n  return result;\n}\n');
  // `width * 2` is line 2, columns 26–35.
  const hole = (text: string, json = false) => cli(['compile', '--target', 'fim:src/area.ts:2:26-2:35', '--check', candidate('hole.txt', text), ...(json ? ['--json'] : [])]);
  assert.equal(hole('width * 3').status, 0);
  assert.equal(hole('label.length + width').status, 0);
  const str = hole('label', true);
  assert.equal(str.status, 1);
  assert.deepEqual((JSON.parse(str.stdout) as { grammar: { constraintIds: string[] } }).grammar.constraintIds, ['target.expected_type']);
  assert.equal(hole('undefinedName').status, 1, 'a name not in scope');
  const ir = JSON.parse(cli(['compile', '--target', 'fim:src/area.ts:2:26-2:35']).stdout) as { rangeOnly: boolean; enforcement: Array<{ id: string; mode: string }> };
  assert.equal(ir.rangeOnly, true);
  assert.deepEqual(ir.enforcement.find((e) => e.id === 'target.expected_type')?.mode, 'decode');
});
