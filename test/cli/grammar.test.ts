import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ananke-grammar-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('grammar check: a valid grammar without text exits 0', () => {
  const r = runCli(['grammar', 'check', 'grammars/json.lark']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /grammar OK: grammars\/json\.lark \(lark; \d+ lexemes/);
});

test('grammar check: accepted text exits 0, rejected text exits 1 with position and expectation', () => {
  const ok = runCli(['grammar', 'check', 'grammars/json.lark', '--text', file('ok.json', '{"a": [1, 2]}\n')]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /accepted \(14 bytes\)/);
  const bad = runCli(['grammar', 'check', 'grammars/json.lark', '--text', file('bad.json', '{"a": [1, 2]}\n{"b": tru}\n')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /rejected: unexpected .* at line 2, column 1 \(byte 14\)/);
});

test('grammar check --json reports the failure with byte offset, line, column and expected lexemes', () => {
  const r = runCli(['grammar', 'check', 'grammars/json.lark', '--json', '--stdin'], { input: '{"a" 1}' });
  assert.equal(r.status, 1);
  const out = JSON.parse(r.stdout) as { accepted: boolean; text: { offset: number; line: number; column: number; expected: string[] } };
  assert.equal(out.accepted, false);
  assert.equal(out.text.offset, 5);
  assert.equal(out.text.line, 1);
  assert.equal(out.text.column, 6);
  assert.ok(out.text.expected.includes('":"'), JSON.stringify(out.text.expected));
});

test('grammar check: a malformed grammar exits 2 with its line and column', () => {
  const r = runCli(['grammar', 'check', file('broken.lark', 'start: "a" missing\n')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /broken\.lark: .*missing.*line 1, column \d+/);
});

test('grammar check: the format comes from the extension (.gbnf, .regex) or --format', () => {
  const g = runCli(['grammar', 'check', file('ab.gbnf', 'root ::= "a" "b"+\n'), '--stdin'], { input: 'abbb' });
  assert.equal(g.status, 0, g.stderr + g.stdout);
  assert.match(g.stdout, /\(gbnf;/);
  const re = runCli(['grammar', 'check', file('num.regex', '[0-9]{3}-[0-9]{4}\n'), '--stdin'], { input: '555-12x4' });
  assert.equal(re.status, 1);
  assert.match(re.stdout, /column 7/);
  const forced = runCli(['grammar', 'check', file('plain.txt', '[a-z]+'), '--format', 'regex', '--stdin'], { input: 'abc' });
  assert.equal(forced.status, 0, forced.stderr);
  const badFormat = runCli(['grammar', 'check', 'grammars/json.lark', '--format', 'yaml']);
  assert.equal(badFormat.status, 2);
});

test('grammar check --tokenizer matches token by token and reports per-token mask timing', () => {
  const r = runCli(['grammar', 'check', 'grammars/json.lark', '--tokenizer', 'llama3', '--json', '--stdin'], { input: '{"name": "Ananke", "n": [1, 2.5]}' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { tokens: { tokenizer: string; count: number; consumed: number; accepted: boolean; perTokenUs: number[]; p50Us: number; p99Us: number } };
  assert.equal(out.tokens.tokenizer, 'llama3');
  assert.ok(out.tokens.count > 5);
  assert.equal(out.tokens.consumed, out.tokens.count);
  assert.equal(out.tokens.accepted, true);
  // One mask per token plus the final one that allows EOS.
  assert.equal(out.tokens.perTokenUs.length, out.tokens.count + 1);
  assert.ok(out.tokens.p50Us > 0 && out.tokens.p99Us >= out.tokens.p50Us);
});

test('grammar check: a missing grammar file is a not-found error (exit 3)', () => {
  const r = runCli(['grammar', 'check', path.join(dir, 'nope.lark')]);
  assert.equal(r.status, 3);
  assert.match(r.stderr, /not found/);
});
