import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ananke-schema-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const schema = file('person.json', JSON.stringify({ type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } }, required: ['name'] }));
const good = file('good.json', '{"name": "Ada", "age": 36}\n');
const bad = file('bad.json', '{\n  "name": "Ada",\n  "age": -1\n}\n');

test('schema check: valid instances exit 0', () => {
  const r = runCli(['schema', 'check', schema, good]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /good\.json: valid/);
});

test('schema check: a rejected instance exits 1 and says where (offset, line:col, expected)', () => {
  const r = runCli(['schema', 'check', schema, good, bad, '--json']);
  assert.equal(r.status, 1, r.stderr);
  const out = JSON.parse(r.stdout) as { instances: Array<{ file: string; valid: boolean; offset?: number; line?: number; column?: number; expected?: string[] }> };
  assert.equal(out.instances[0]!.valid, true);
  const b = out.instances[1]!;
  assert.equal(b.valid, false);
  assert.equal(b.line, 3);
  assert.equal(b.column, 11); // `-` may start `-0` (0 is in range), so the `1` is the first byte refused
  assert.equal(b.offset, 29);
  assert.ok((b.expected ?? []).length > 0);
});

test('schema check: a schema error exits 2 with the pointer', () => {
  const s = file('badschema.json', JSON.stringify({ properties: { tags: { type: 'array', uniqueItems: true } } }));
  const r = runCli(['schema', 'check', s, good]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /'uniqueItems' at #\/properties\/tags/);
  const lenient = runCli(['schema', 'check', s, good, '--lenient']);
  assert.equal(lenient.status, 0, lenient.stderr);
  assert.match(lenient.stdout, /relaxed: 'uniqueItems' at #\/properties\/tags/);
});

test('schema grammar prints Lark that the grammar command accepts; --whitespace compact', () => {
  const r = runCli(['schema', 'grammar', schema, '--whitespace', 'compact']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^%llguidance \{\}\nstart:/);
  const lark = file('person.lark', r.stdout);
  const compactText = file('compact.txt', '{"name":"Ada","age":36}');
  assert.equal(runCli(['grammar', 'check', lark, '--text', compactText]).status, 0);
  assert.equal(runCli(['grammar', 'check', lark, '--text', good]).status, 1, 'spaces are not allowed in compact mode');
});

test('bench jsts on a tiny suite folder reports counts as JSON', () => {
  const suite = path.join(dir, 'jsts-suite');
  mkdirSync(suite);
  writeFileSync(path.join(suite, 'mini.json'), JSON.stringify([{ description: 'ints', schema: { type: 'integer' }, tests: [{ description: 'one', data: 1, valid: true }, { description: 'str', data: 'x', valid: false }] }]));
  const r = runCli(['bench', 'jsts', suite, '--json', '--baseline', path.join(suite, 'none.json')]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { pass: number; falsePositive: number; falseNegative: number; compileError: number; files: Record<string, { pass: number }> };
  assert.equal(out.pass, 2);
  assert.equal(out.falsePositive, 0);
  assert.equal(out.files['mini.json']!.pass, 2);
});
