import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli } from '../helpers/cli.ts';

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
  // Without post-checks, uniqueItems over any items is a keyword the grammar cannot hold.
  const r = runCli(['schema', 'check', s, good, '--no-post-checks']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /'uniqueItems' at #\/properties\/tags/);
  const lenient = runCli(['schema', 'check', s, good, '--lenient', '--no-post-checks']);
  assert.equal(lenient.status, 0, lenient.stderr);
  assert.match(lenient.stdout, /relaxed: 'uniqueItems' at #\/properties\/tags/);
  const dyn = runCli(['schema', 'check', file('dyn.json', JSON.stringify({ $dynamicRef: '#x' })), good]);
  assert.equal(dyn.status, 2);
  assert.match(dyn.stderr, /'\$dynamicRef' at #/);
});

test('schema check: uniqueItems over strings is a reported post-check by default; duplicates are refused', () => {
  const s = file('tags.json', JSON.stringify({ type: 'object', properties: { tags: { type: 'array', uniqueItems: true, items: { type: 'string' } } } }));
  const ok = file('tags-ok.json', '{"tags": ["a", "b"]}');
  const dup = file('tags-dup.json', '{"tags": ["a", "a"]}');
  const r = runCli(['schema', 'check', s, ok, dup]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /post-check: 'uniqueItems' at #\/properties\/tags/);
  assert.match(r.stdout, /tags-ok\.json: valid/);
  assert.match(r.stdout, /tags-dup\.json: invalid: the grammar accepts it, the post-check refuses it/);
});

test('schema check defaults to any property order and says so; schema grammar keeps schema order', () => {
  const reordered = file('reordered.json', '{"age": 36, "name": "Ada"}');
  const r = runCli(['schema', 'check', schema, reordered, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { propertyOrder: string; valid: boolean };
  assert.deepEqual([out.propertyOrder, out.valid], ['any', true]);
  assert.match(runCli(['schema', 'check', schema]).stdout, /properties in any order/);
  assert.equal(runCli(['schema', 'check', schema, reordered, '--property-order', 'schema']).status, 1);
  const g = runCli(['schema', 'grammar', schema, '--json']);
  assert.equal(g.status, 0, g.stderr);
  assert.equal((JSON.parse(g.stdout) as { propertyOrder: string }).propertyOrder, 'schema');
  assert.match(runCli(['schema', 'grammar', '--help']).stdout, /generation keeps schema\s+order/);
});

test('schema check --schema-dir resolves $refs to other files (by $id or file name); without it the error says how', () => {
  const reg = path.join(dir, 'registry');
  mkdirSync(reg);
  writeFileSync(path.join(reg, 'base.json'), JSON.stringify({ $id: 'https://example.com/schemas/base.json', definitions: { port: { type: 'integer', minimum: 1, maximum: 65535 } } }));
  const s = file('server.json', JSON.stringify({ $id: 'https://example.com/schemas/server.json', type: 'object', properties: { port: { $ref: 'base.json#/definitions/port' } }, required: ['port'] }));
  const okDoc = file('server-ok.json', '{"port": 8080}');
  const badDoc = file('server-bad.json', '{"port": 0}');
  const without = runCli(['schema', 'check', s, okDoc]);
  assert.equal(without.status, 2);
  assert.match(without.stderr, /--schema-dir DIR`; nothing is fetched/);
  const r = runCli(['schema', 'check', s, okDoc, badDoc, '--schema-dir', reg]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /server-ok\.json: valid/);
  assert.match(r.stdout, /server-bad\.json: invalid/);
  assert.equal(runCli(['schema', 'check', s, okDoc, '--schema-dir', path.join(dir, 'nope')]).status, 3);
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

test('bench schemastore on a tiny slice: counts as JSON; a negative document accepted exits 1', () => {
  const slice = path.join(dir, 'store-slice');
  const mk = (name: string, schemaValue: unknown, pos: string[], neg: string[]) => {
    mkdirSync(path.join(slice, name, 'pos'), { recursive: true });
    mkdirSync(path.join(slice, name, 'neg'), { recursive: true });
    writeFileSync(path.join(slice, name, 'schema.json'), JSON.stringify(schemaValue));
    pos.forEach((t, i) => writeFileSync(path.join(slice, name, 'pos', `${i}.json`), t));
    neg.forEach((t, i) => writeFileSync(path.join(slice, name, 'neg', `${i}.json`), t));
  };
  mk('person', { type: 'object', properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' }, uniqueItems: true } }, required: ['name'] }, ['{"tags": ["a"], "name": "x"}'], ['{"tags": ["a", "a"], "name": "x"}', '{}']);
  mk('refused', { $dynamicRef: '#x' }, ['1'], ['2']);
  const none = path.join(slice, 'no-baseline.json');
  const r = runCli(['bench', 'schemastore', slice, '--json', '--baseline', none]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { counts: Record<string, number>; refusals: Record<string, number> };
  assert.deepEqual(
    [out.counts['schemas'], out.counts['postCheck'], out.counts['refused'], out.counts['negativesChecked'], out.counts['falsePositive'], out.counts['positivesChecked'], out.counts['falseNegative']],
    [2, 1, 1, 2, 0, 1, 0],
  );
  assert.deepEqual(out.refusals, { $dynamicRef: 1 });
  // A schema that lets a negative document through (its test is wrong on purpose here) fails the run.
  mk('loose', { type: 'object' }, [], ['{}']);
  const fp = runCli(['bench', 'schemastore', slice, '--baseline', none]);
  assert.equal(fp.status, 1);
  assert.match(fp.stdout, /false positive: loose\/neg\/0\.json/);
  assert.equal(runCli(['bench', 'schemastore', path.join(dir, 'nope')]).status, 3);
});

test("bench schemastore on SchemaStore's own layout reads YAML and TOML documents", () => {
  const fixture = path.join(ROOT, 'test/fixtures/schemastore/src');
  const r = runCli(['bench', 'schemastore', fixture, '--json', '--baseline', path.join(dir, 'no-baseline-layout.json')]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { layout: string; skipped: unknown[]; counts: Record<string, number>; cases: Array<{ file: string; outcome: string }> };
  assert.equal(out.layout, 'schemastore');
  assert.deepEqual(out.skipped, []);
  assert.deepEqual([out.counts['negativesChecked'], out.counts['falsePositive'], out.counts['positivesChecked'], out.counts['falseNegative']], [4, 0, 4, 0]);
  const read = out.cases.map((k) => path.extname(k.file));
  assert.ok(['.yaml', '.yml', '.toml'].every((e) => read.includes(e)), read.join(' '));
  const text = runCli(['bench', 'schemastore', fixture, '--baseline', path.join(dir, 'no-baseline-layout.json')]);
  assert.equal(text.status, 0, text.stderr);
  assert.doesNotMatch(text.stdout, /skipped/);
});

