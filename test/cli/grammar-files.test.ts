import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ananke-gfiles-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string | Buffer): string => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

interface FilesReport {
  grammar: { file: string; compileMs: number };
  files: Array<{ path: string; accepted: boolean; line?: number; column?: number; expected?: string[]; error?: string; tokens?: { count: number; p50Us: number } }>;
  accepted: number;
  total: number;
}

test('grammar check with source files: one entry per file, where each fails, a count; exit 1 when one is rejected', () => {
  const good = file('good.json', '{"a": [1, 2]}\n');
  const bad = file('bad.json', '{"a": [1, 2}\n');
  const r = runCli(['grammar', 'check', 'grammars/json.lark', good, bad, '--json']);
  assert.equal(r.status, 1, r.stderr);
  const j = JSON.parse(r.stdout) as FilesReport;
  assert.equal(j.total, 2);
  assert.equal(j.accepted, 1);
  assert.deepEqual(j.files.map((f) => [path.basename(f.path), f.accepted]), [['good.json', true], ['bad.json', false]]);
  assert.equal(j.files[1]!.line, 1);
  assert.equal(j.files[1]!.column, 12);
  assert.ok(j.files[1]!.expected!.length > 0);
  const human = runCli(['grammar', 'check', 'grammars/json.lark', good, bad]);
  assert.match(human.stdout, /^ok {4}.*good\.json$/m);
  assert.match(human.stdout, /^FAIL {2}.*bad\.json:1:12: /m);
  assert.match(human.stdout, /^1 of 2 files accepted$/m);
  assert.equal(runCli(['grammar', 'check', 'grammars/json.lark', good]).status, 0);
});

test('files that cannot be checked are reported, not fatal: binary, too large, not UTF-8, missing (exit 3)', () => {
  const good = file('ok.json', '[1]');
  const binary = file('blob.json', Buffer.from([0x5b, 0x00, 0x5d]));
  const latin1 = file('latin1.json', Buffer.from([0x22, 0xe9, 0x22]));
  const big = file('big.json', `[${'1,'.repeat(2000)}1]`);
  const r = runCli(['grammar', 'check', 'grammars/json.lark', good, binary, latin1, big, path.join(dir, 'missing.json'), '--max-file-size', '1k', '--json']);
  assert.equal(r.status, 3, r.stderr);
  const j = JSON.parse(r.stdout) as FilesReport;
  assert.deepEqual(j.files.map((f) => f.error ?? 'checked'), [
    'checked', 'binary file (contains NUL bytes)', 'not valid UTF-8', '4003 bytes, over --max-file-size (1024)', 'not found',
  ]);
  assert.equal(j.accepted, 1);
});

test('--tokenizer adds per-file mask timings; usage errors are clear', () => {
  const good = file('t.json', '{"name": "Ananke"}');
  const r = runCli(['grammar', 'check', 'grammars/json.lark', good, '--tokenizer', 'llama3', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const t = (JSON.parse(r.stdout) as FilesReport).files[0]!.tokens!;
  assert.ok(t.count > 3 && t.p50Us >= 0);
  // A special token's text in the file is plain text token by token, as a model writes it (it
  // used to be cut as the special token, which the grammar refuses).
  const special = file('special.json', '{"stop": "<|eot_id|>", "tokens": ["<|begin_of_text|>"]}');
  const s = runCli(['grammar', 'check', 'grammars/json.lark', special, '--tokenizer', 'llama3', '--json']);
  assert.equal(s.status, 0, s.stdout);
  const sj = JSON.parse(s.stdout) as FilesReport & { grammar: { tokenizerMs?: number } };
  assert.equal(sj.files[0]!.accepted, true);
  assert.ok(sj.files[0]!.tokens!.count > 10);
  assert.ok(sj.grammar.tokenizerMs! >= 0, 'the tokenizer load is reported apart from the compile');
  const st = runCli(['grammar', 'check', 'grammars/json.lark', '--text', special, '--tokenizer', 'llama3']);
  assert.equal(st.status, 0, st.stdout);
  assert.match(st.stdout, /token by token \(llama3\): accepted/);
  const unknown = runCli(['grammar', 'check', '--lang', 'cobol', good]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /^ananke: error \[USAGE\]: --lang: no grammar for the language 'cobol': known are typescript, javascript, python, go, rust/);
  assert.equal(runCli(['grammar', 'check']).status, 2);
  assert.match(runCli(['grammar', 'check', 'grammars/json.lark', good, '--text', good]).stderr, /not both/);
});

test('--warm-up walks the language\'s warm-up texts first and says so; it needs --lang and --tokenizer', () => {
  const src = file('main.go', 'package main\n\nfunc main() {\n\tprintln("hi")\n}\n');
  const r = runCli(['grammar', 'check', '--lang', 'go', src, '--tokenizer', 'llama3', '--warm-up', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as FilesReport & { grammar: { warmUp?: { texts: number; masks: number; refused: number; prefixTokens: number; ms: number } } };
  assert.ok(j.grammar.warmUp!.texts >= 3, JSON.stringify(j.grammar));
  assert.ok(j.grammar.warmUp!.masks > 1000);
  assert.equal(j.grammar.warmUp!.refused, 0);
  assert.ok(j.grammar.warmUp!.prefixTokens > 100, JSON.stringify(j.grammar));
  assert.ok(j.files[0]!.accepted && j.files[0]!.tokens!.count > 5);
  const human = runCli(['grammar', 'check', '--lang', 'go', src, '--tokenizer', 'llama3', '--warm-up']);
  assert.match(human.stdout, /^warmed up on \d+ texts \(\d+ masks, \d+ keyword-prefix tokens\) in \d+ ms$/m);
  for (const args of [['grammar', 'check', '--lang', 'go', src, '--warm-up'], ['grammar', 'check', 'grammars/json.lark', src, '--tokenizer', 'llama3', '--warm-up']]) {
    const u = runCli(args);
    assert.equal(u.status, 2);
    assert.match(u.stderr, /--warm-up needs --lang .* and --tokenizer/);
  }
});
