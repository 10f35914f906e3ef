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
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { byteTokenizer, compile, parseLark, type CompiledGrammar } from '../../src/engine/index.ts';
import { ROOT } from '../helpers/cli.ts';
import { hasBit, llama3 } from '../engine/matcher-helpers.ts';
import { ACCEPT, REJECT } from '../fixtures/grammars/go/snippets.ts';

const GRAMMAR = path.join(ROOT, 'grammars/go.lark');
const FIXTURES = path.join(ROOT, 'test/fixtures/grammars/go');

let compiled: CompiledGrammar | undefined;
function grammar(): CompiledGrammar {
  compiled ??= compile(parseLark(readFileSync(GRAMMAR, 'utf8')), byteTokenizer());
  return compiled;
}

function verdict(text: string): { accepted: boolean; message: string } {
  const r = grammar().check(text);
  return { accepted: r.accepted, message: r.message ?? `line ${r.line}, column ${r.column}` };
}

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
