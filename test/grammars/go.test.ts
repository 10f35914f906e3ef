/**
 * grammars/go.lark: it compiles; our own snippets of every construct are accepted (go/parser from
 * Go 1.19 accepts each of them too); invalid ones are refused, with the position of the error for
 * a few; Go's automatic semicolons (newline after an identifier, a literal, ) ] }, ++ --, return,
 * break, continue, fallthrough) hold exactly; whole programs (test/fixtures/grammars/go/
 * {accept,reject}/*.txt) by text and token by token with the Llama-3 vocabulary, the mask checked
 * at every token; and, where Debian's golang-go is installed, a slice of the Go standard library.
 *
 * Snippets live in test/fixtures/grammars/go/snippets.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { byteTokenizer, compile, grammarSampler, parseLark } from '../../src/engine/index.ts';
import { adjustGoForTreeSitter, checkGrammarSoundness, TREE_SITTER_ADJUSTMENTS } from '../../src/eval/index.ts';
import { ROOT } from '../helpers/cli.ts';
import { hasBit, llama3 } from '../engine/matcher-helpers.ts';
import { ACCEPT, REJECT } from '../fixtures/grammars/go/snippets.ts';
import { treeSitterJudge } from '../../bench/lib/tree-sitter-judge.ts';
import { grammarChecker } from '../helpers/program-grammar.ts';

const GRAMMAR = path.join(ROOT, 'grammars/go.lark');
const FIXTURES = path.join(ROOT, 'test/fixtures/grammars/go');

const { grammar, verdict } = grammarChecker('go');

test('grammars/go.lark parses and compiles', () => {
  const g = parseLark(readFileSync(GRAMMAR, 'utf8'));
  assert.ok(g.lexemes.length > 50, `lexemes: ${g.lexemes.length}`);
  const cg = compile(g, byteTokenizer());
  assert.equal(cg.check('package main\n\nfunc main() {}\n').accepted, true);
});

test('every construct is accepted', async (t) => {
  for (const [name, text] of Object.entries(ACCEPT)) {
    await t.test(name, () => {
      const v = verdict(text);
      assert.ok(v.accepted, `${JSON.stringify(text)}: ${v.message}`);
    });
  }
});

test('invalid code is refused', async (t) => {
  for (const [name, text] of Object.entries(REJECT)) {
    await t.test(name, () => {
      assert.equal(verdict(text).accepted, false, JSON.stringify(text));
    });
  }
});

test('the error is reported where the invalid code starts', () => {
  const cases: Array<[string, number, number]> = [
    ['package p\n\nfunc f( {\n}\n', 3, 9],
    ['package p\n\nfunc f() {\n\tx := \n}\n', 5, 1],
    ['package p\n\nfunc f() {\n\tg(a,\n\t\tb\n\t)\n}\n', 5, 4], // the newline after b is a semicolon
    ['package p\n\nfunc f() {\n\tif p == T{} {\n\t}\n}\n', 4, 14],
    ['package p\n\nvar x = 08\n', 3, 11], // 08 could still become the float 08.5
  ];
  for (const [text, line, column] of cases) {
    const r = grammar().check(text);
    assert.equal(r.accepted, false, JSON.stringify(text));
    assert.deepEqual([r.line, r.column], [line, column], `${JSON.stringify(text)}: ${r.message}`);
  }
});

test('semicolons: a newline ends a statement exactly where Go inserts a semicolon', () => {
  const fn = (s: string) => `package p\n\nfunc f() {\n${s}\n}\n`;
  // After these tokens a newline is a semicolon, so a continuation on the next line is refused.
  for (const end of ['x', '1', '1.5', '2i', "'c'", '"s"', '`r`', 'f()', 's[0]', 'T{}']) {
    assert.ok(verdict(fn(`\t_ = ${end}\n\t_ = 1`)).accepted, `${end} then a new statement`);
    assert.equal(verdict(fn(`\t_ = ${end}\n\t\t+ 1`)).accepted, true, `${end} then "+ 1" (a statement of its own)`);
    assert.equal(verdict(fn(`\tg(${end}\n\t)`)).accepted, false, `${end} then newline then )`);
  }
  for (const s of ['\tx++\n\ty--', '\tfor {\n\t\tbreak\n\t}', '\tfor {\n\t\tcontinue\n\t}', '\treturn\n']) {
    assert.ok(verdict(fn(s)).accepted, s);
  }
  assert.equal(verdict(fn('\treturn\n\t\tx')).accepted, true, '"return" then "x" is two statements');
  assert.equal(verdict(fn('\tx++\n\t\t+ y')).accepted, true);
  // After every other token a newline is white space.
  for (const op of ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>', '&^', '&&', '||', '==', '!=', '<', '<=', '>', '>=']) {
    assert.ok(verdict(fn(`\t_ = a ${op}\n\t\tb`)).accepted, `newline after ${op}`);
  }
  for (const s of ['\tg(\n\t\ta,\n\t\tb,\n\t)', '\t_ = a.\n\t\tb', '\tx :=\n\t\t1\n\t_ = x', '\tvar m map[\n\t\tstring]int\n\t_ = m']) {
    assert.ok(verdict(fn(s)).accepted, s);
  }
  // Explicit semicolons, blank lines and comments between statements.
  assert.ok(verdict(fn('\ta := 1; b := 2;\n\n\t// note\n\n\t/* block */\n\t_, _ = a, b;')).accepted);
  assert.ok(verdict('package p\n// trailing comment without a newline').accepted);
  assert.ok(verdict('package p\n\nvar x = 1 // comment\n/* block\n*/').accepted);
});

test('operators are read as Go reads them: the longest operator first', () => {
  const fn = (s: string) => `package p\n\nfunc f() {\n${s}\n}\n`;
  for (const s of ['\t_ = a - -b', '\t_ = a+ +b', '\t_ = a & ^b', '\t_ = a &&&b', '\t_ = a&^b', '\t_ = a < -b', '\tch <- -1', '\tch<--1', '\t_ = <-<-c']) {
    assert.ok(verdict(fn(s)).accepted, s);
  }
  for (const s of ['\t_ = a--b', '\t_ = a++b', '\t_ = --b', '\t_ = &&b', '\t_ = &^b', '\t_ = f(a<-b)', '\t_ = !=b']) {
    assert.equal(verdict(fn(s)).accepted, false, s);
  }
});

test('keywords need a space before a name, where Go would read one identifier', () => {
  for (const text of ['package p\nfuncmain() {}\n', 'package p\nvarx int\n', 'package p\ntypeT int\n', 'packagep\n']) {
    assert.equal(verdict(text).accepted, false, text);
  }
  for (const text of ['package p\nfunc(r T) m() {}\n', 'package p\nvar(x int)\n', 'package p\nimport"fmt"\n', 'package p\nfunc f() {\n\tfuncx := 1\n\t_ = funcx\n}\n']) {
    assert.ok(verdict(text).accepted, text);
  }
});

test('whole programs: accept/reject fixtures, by text and token by token (Llama-3)', () => {
  const tok = llama3();
  const eos = tok.eosTokens[0]!;
  const cg = compile(parseLark(readFileSync(GRAMMAR, 'utf8')), tok);
  const bits = new Uint32Array(cg.maskWords);
  let cases = 0;
  for (const kind of ['accept', 'reject'] as const) {
    const dir = path.join(FIXTURES, kind);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const want = kind === 'accept';
      const where = `go/${kind}/${file}`;
      const check = cg.check(text);
      assert.equal(check.accepted, want, `${where}: ${check.message ?? ''}`);
      const m = cg.matcher();
      let ok = true;
      for (const id of tok.encode(text)) {
        m.computeMask(bits);
        const inMask = hasBit(bits, id);
        const consumed = m.consume(id);
        assert.equal(inMask, consumed, `${where}: mask and consume disagree on token ${id}`);
        if (!consumed) {
          ok = false;
          break;
        }
      }
      if (ok) {
        m.computeMask(bits);
        ok = hasBit(bits, eos) && m.consume(eos);
      }
      assert.equal(ok, want, `${where}: token by token`);
      cases++;
    }
  }
  assert.ok(cases >= 8, `only ${cases} fixture files`);
});

const GOROOT_SRC = ['/usr/lib/go/src', '/usr/lib/go-1.19/src'].find((d) => existsSync(path.join(d, 'strings')));

test('a slice of the Go standard library is accepted whole', { skip: GOROOT_SRC ? false : 'Go sources not installed (apt-get install golang-go)' }, () => {
  const failures: string[] = [];
  let files = 0;
  for (const pkg of ['strings', 'sort', 'errors', 'container/list', 'unicode/utf8', 'path', 'bufio']) {
    const dir = path.join(GOROOT_SRC!, pkg);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.go')).sort()) {
      const r = grammar().check(readFileSync(path.join(dir, f), 'utf8'));
      files++;
      if (!r.accepted) failures.push(`${pkg}/${f}:${r.line}:${r.column}`);
    }
  }
  assert.ok(files > 40, `only ${files} files`);
  assert.deepEqual(failures, []);
});

// ---- Soundness: sampled texts parse in tree-sitter-go (and go/parser) ---------------------------

const parseGo = treeSitterJudge('go');

test('soundness: 100 sampled texts (seeds 1-100) parse in tree-sitter-go, after the documented adjustments', async () => {
  const g = parseLark(readFileSync(GRAMMAR, 'utf8'));
  const r = await checkGrammarSoundness(g, parseGo, { n: 100, seed: 1, adjust: TREE_SITTER_ADJUSTMENTS.go });
  assert.deepEqual(r.unsampled, []);
  assert.equal(r.samples, 100);
  assert.deepEqual(
    r.failures.map((f) => `seed ${f.seed} ${f.what} ${f.excerpt} [${(f.adjusted ?? []).join(', ')}]`),
    [],
  );
  assert.equal(r.parsed, 100);
  // The rewrites are for tree-sitter-go's limits only; each is counted (docs/grammars.md, "Go").
  assert.ok((r.adjusted?.['block comment with a line break'] ?? 0) > 0, JSON.stringify(r.adjusted));
});

test('adjustGoForTreeSitter: each rewrite keeps the Go text the same to Go and lets tree-sitter-go read it', async () => {
  const cases: Array<[string, string, string]> = [
    ['package p /*\n*/ import "x"\n', 'block comment with a line break', 'package p \n import "x"\n'],
    ['package p\nvar x int', 'no line break at the end', 'package p\nvar x int\n'],
    ['package p\nvar (x int)\nconst (a = 1 /* c */)\n', 'no ";" after the last spec of a var/const group', 'package p\nvar (x int;)\nconst (a = 1 /* c */;)\n'],
    ['package p\nfunc f() {\n\tif x := g()\n\tx > 0 {\n\t}\n}\n', 'line break as the ";" of an if/for/switch header', 'package p\nfunc f() {\n\tif x := g();\n\tx > 0 {\n\t}\n}\n'],
    ['package p\nfunc f() {; g();; h()\nL:; g()\n}\n', 'empty statement', 'package p\nfunc f() { g(); h()\nL: g()\n}\n'],
    ['package p\nvar a\uFE70b = 1\n', 'identifier character outside XID', 'package p\nvar aXb = 1\n'],
    ['package p\nfunc f() { L1: L2: }\n', 'labels right before "}"', 'package p\nfunc f() { L1: L2: ;}\n'],
    [
      'package p\nfunc f() {\n\tswitch x := interface{}(y)\n\tx {\n\t}\n}\n',
      'line break as the ";" of an if/for/switch header',
      'package p\nfunc f() {\n\tswitch x := interface{}(y);\n\tx {\n\t}\n}\n',
    ],
  ];
  for (const [text, rewrite, want] of cases) {
    assert.equal((await parseGo(text)).hasError, true, `tree-sitter-go reads ${JSON.stringify(text)}: no adjustment needed`);
    const a = adjustGoForTreeSitter(text);
    assert.deepEqual([a.text, a.applied], [want, [rewrite]], JSON.stringify(text));
    assert.equal((await parseGo(a.text)).hasError, false, JSON.stringify(a.text));
  }
  // Untouched: for headers' ";;", strings, raw strings, runes and comments, texts that need nothing.
  for (const text of [
    'package p\nfunc f() {\n\tfor ;; {\n\t}\n}\n',
    'package p\nvar s, r, c = "; /*\\n", `a\n;;`, \';\' // var (x int)\n',
    'package p\n\nfunc main() {\n\tprintln("hi")\n}\n',
    'package p\nfunc f() {\n\tswitch {\n\tcase x:\n\t}\n\tL:\n\t\tfor {\n\t\t}\n\t_ = T{a: 1}\n}\n',
  ]) {
    assert.deepEqual(adjustGoForTreeSitter(text), { text, applied: [] }, JSON.stringify(text));
  }
});

const GOFMT = ['/usr/lib/go-1.19/bin/gofmt', '/usr/lib/go/bin/gofmt', '/usr/bin/gofmt'].find((p) => existsSync(p));

test('soundness: go/parser (gofmt -e) accepts 200 sampled texts', { skip: GOFMT ? false : 'gofmt not installed (apt-get install golang-go)' }, () => {
  const sampler = grammarSampler(parseLark(readFileSync(GRAMMAR, 'utf8')), { ignoreRate: 0.05 });
  const dir = mkdtempSync(path.join(tmpdir(), 'ananke-go-sound-'));
  try {
    const files: string[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const f = path.join(dir, `${seed}.go`);
      writeFileSync(f, sampler.sample(seed).text);
      files.push(f);
    }
    const r = spawnSync(GOFMT!, ['-e', '-l', ...files], { encoding: 'utf8' });
    // go/parser before Go 1.20 refuses a trailing comma in the type arguments of an unnamed
    // parameter or receiver (`func f(T[int,])`), which the specification and `go tool compile`
    // accept: those texts are counted apart, by seed (docs/grammars.md, "Go").
    const errors = new Map<string, string>();
    for (const line of r.stderr.split('\n')) {
      const m = /^(.*?\/(\d+)\.go):(\d+):(\d+): (.*)$/.exec(line);
      if (m && !errors.has(m[2]!)) errors.set(m[2]!, `${m[3]}:${m[4]} ${m[5]}`);
    }
    const trailingComma: string[] = [];
    const refused: string[] = [];
    for (const [seed, msg] of errors) {
      const [, l, c] = /^(\d+):(\d+)/.exec(msg)!;
      const bytes = readFileSync(path.join(dir, `${seed}.go`));
      const lines = bytes.toString('latin1').split('\n');
      const before = Buffer.from(lines.slice(0, Number(l) - 1).concat(lines[Number(l) - 1]!.slice(0, Number(c) - 1)).join('\n'), 'latin1').toString('utf8');
      const code = before.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '').trimEnd();
      if (msg.endsWith("expected operand, found ']'") && code.endsWith(',')) trailingComma.push(seed);
      else refused.push(`seed ${seed}: ${msg}`);
    }
    assert.deepEqual(refused, []);
    assert.ok(trailingComma.length <= 5, `trailing commas: ${trailingComma.join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
