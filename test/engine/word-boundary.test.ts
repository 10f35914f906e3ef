/**
 * The `word_boundary` option (docs/engine-grammars.md, "Features for program grammars"): two
 * touching lexemes may not both be word characters at the seam. Verdicts on Lark texts with the
 * option and without it, the mask/consume law on random texts (Llama-3; canonical and random
 * tokenizations, default caches and every cache at 0), and the option combined with gap markers,
 * indentation and lexeme fallback; printing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { printLark } from '../../src/engine/grammar/print-lark.ts';
import type { Limits } from '../../src/engine/limits.ts';
import { compile, type CompiledGrammar } from '../../src/engine/matcher/compiled.ts';
import { acceptsTokens, assertMaskAgrees, byteSplit, hasBit, llama3, randomSplit, rng, tokenSample } from './matcher-helpers.ts';

const tok = llama3();
const SAMPLE = tokenSample(tok, 1500, 29);
const NO_CACHES: Partial<Limits> = { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 };

/** A Rust/TypeScript-like grammar: keywords that are prefixes of identifiers, casts, macros, lifetimes. */
const CODE = (option: string): string => String.raw`
%llguidance {${option}}
start: stmt*
stmt: "for" NAME "in" expr block | "let" NAME "=" expr ";" | expr ";" | "fn" NAME "(" ")" ["->" type] block
block: "{" stmt* "}"
expr: expr "as" type | expr "in" expr | expr "(" [expr ("," expr)*] ")" | NAME | NUMBER | macro | "(" expr ")" | "&" [LIFETIME] expr
macro: NAME "!" "(" [expr ("," expr)*] ")"
type: NAME | macro | "dyn" [LIFETIME] NAME | "&" [LIFETIME] type
NAME: /[a-zA-Z_\u00c0-\uffff][a-zA-Z0-9_\u00c0-\uffff]*/ & ~("for" | "in" | "as" | "let" | "fn" | "dyn")
NUMBER: /[0-9]+/
LIFETIME: /'[a-z]+/
%ignore /[ \t\r\n]+/
%ignore /\/\*([^*]|\*+[^*\/])*\*+\//
`;

const ON = '"word_boundary": true';
const RUST = '"word_boundary": {"extra_start": "\'"}';

/** [text, verdict without the option, with `true`, with extra_start `'`]. */
const CASES: [string, boolean, boolean, boolean][] = [
  ['for x in v {}', true, true, true],
  ['for x inv {}', true, false, false],
  ['for x in(v) {}', true, true, true],
  ['a in b;', true, true, true],
  ['a interface;', true, false, false],
  ['a in/* c */b;', true, true, true],
  ['a/* c */in b;', true, true, true],
  ['foo() as T;', true, true, true],
  ['foo()as T;', true, true, true],
  ['foo() assert_eq!(a, b);', true, false, false],
  ['foo() as sert_eq!(a, b);', true, true, true],
  ['1 as u8;', true, true, true],
  ['1as u8;', true, false, false],
  ['let x = &\'a y;', true, true, true],
  ['let x = y as dyn \'a T;', true, true, true],
  ['let x = y as dyn\'a T;', true, true, false],
  ['fn f() -> T {}', true, true, true],
  ['fn f()->T{}', true, true, true],
  ['fnf() {}', false, false, false],
  ['let x=y;let z=w;', true, true, true],
  ['for é in v {}', true, true, true],
  ['for x inévé {}', true, true, true],
  ['', true, true, true],
];

test('word boundary: a keyword followed by identifier letters is one word (verdicts with and without the option)', () => {
  const off = compile(parseLark(CODE('')), tok);
  const on = compile(parseLark(CODE(ON)), tok);
  const rust = compile(parseLark(CODE(RUST)), tok);
  for (const [text, without, withOpt, withExtra] of CASES) {
    assert.equal(off.matches(text), without, `without: ${JSON.stringify(text)}`);
    assert.equal(on.matches(text), withOpt, `word_boundary: ${JSON.stringify(text)}`);
    assert.equal(rust.matches(text), withExtra, `extra_start: ${JSON.stringify(text)}`);
  }
  // The option off is the same as no option.
  const offExplicit = compile(parseLark(CODE('"word_boundary": false')), tok);
  for (const [text, without] of CASES) assert.equal(offExplicit.matches(text), without, JSON.stringify(text));
});

test('word boundary: non_ascii and chars', () => {
  const na = compile(parseLark(CODE('"word_boundary": {"non_ascii": true}')), tok);
  assert.equal(na.matches('for x inévé {}'), false);
  assert.equal(na.matches('for x in évé {}'), true);
  assert.equal(na.matches('for x inv {}'), false);
  // Digits are not word characters here: `1as` is two words again, `inv` still one.
  const letters = compile(parseLark(CODE('"word_boundary": {"chars": "a-zA-Z_"}')), tok);
  assert.equal(letters.matches('1as u8;'), true);
  assert.equal(letters.matches('for x inv {}'), false);
  assert.equal(letters.matches('for x in9 {}'), true);
});

test('word boundary: check says why the byte is refused', () => {
  const on = compile(parseLark(CODE(ON)), tok);
  const r = on.check('for x inv {}');
  assert.equal(r.accepted, false);
  assert.equal(r.offset, 8);
  assert.match(r.message!, /word_boundary/);
  assert.doesNotMatch(on.check('for x in v }').message!, /word_boundary/);
});

test('word boundary: grammar errors', () => {
  assert.throws(() => parseLark('%llguidance {"word_boundary": 1}\nstart: "a"'), /word_boundary must be true, false or a JSON object/);
  assert.throws(() => parseLark('%llguidance {"word_boundary": {"letters": "a-z"}}\nstart: "a"'), /unknown word_boundary option 'letters'/);
  assert.throws(() => parseLark('%llguidance {"word_boundary": {"chars": "z-a"}}\nstart: "a"'), /bad range/);
  assert.throws(() => parseLark('%llguidance {"word_boundary": {"chars": "aé"}}\nstart: "a"'), /must be ASCII/);
  assert.throws(() => parseLark('%llguidance {"word_boundary": {"non_ascii": "yes"}}\nstart: "a"'), /non_ascii must be true or false/);
  const g = parseLark('%llguidance {"word_boundary": {"chars": "-a-c_", "extra_start": "\'#a"}}\nstart: "a"');
  assert.deepEqual(g.options?.wordBoundary, { word: '-_abc', nonAscii: false, extraStart: "#'" });
});

/** Random texts over the grammar's pieces, joined with or without spaces: many seams of each kind. */
function randomTexts(pieces: readonly string[], n: number, seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const len = 1 + Math.floor(r() * 9);
    let s = '';
    for (let i = 0; i < len; i++) {
      if (i > 0 && r() < 0.5) s += r() < 0.8 ? ' ' : '\n';
      s += pieces[Math.floor(r() * pieces.length)]!;
    }
    out.push(s);
  }
  return out;
}

/** The law at every position of each text (canonical and a random tokenization), and token paths against matches. */
function lawOnTexts(cg: CompiledGrammar, texts: readonly string[], where: string): void {
  const bits = new Uint32Array(cg.maskWords);
  const r = rng(7);
  for (const text of texts) {
    const expected = cg.matches(text);
    for (const path of [tok.encode(text), randomSplit(tok, text, r)]) {
      const m = cg.matcher();
      for (let i = 0; i <= path.length; i++) {
        assertMaskAgrees(m, tok, bits, SAMPLE, 300, `${where}: ${JSON.stringify(text)} after ${i} tokens`);
        if (i === path.length || !m.consume(path[i]!)) break;
      }
    }
    assert.equal(acceptsTokens(cg, tok.encode(text)), expected, `${where}: ${JSON.stringify(text)} canonical`);
    assert.equal(acceptsTokens(cg, byteSplit(tok, text)), expected, `${where}: ${JSON.stringify(text)} bytes`);
  }
}

const CODE_PIECES = ['for', 'x', 'in', 'v', 'inv', 'interface', '{', '}', ';', 'as', 'T', '1', 'u8', '(', ')', 'assert_eq', '!', 'let', '=', '&', "'a", 'dyn', 'fn', '->', 'é', '/*c*/'];

for (const [name, limits] of [['default caches', {}], ['caches at 0', NO_CACHES]] as const) {
  test(`word boundary: mask/consume law on random texts (${name})`, () => {
    const texts = [...CASES.map((c) => c[0]), ...randomTexts(CODE_PIECES, 40, 3)];
    lawOnTexts(compile(parseLark(CODE(ON)), tok, limits), texts, 'word_boundary');
    lawOnTexts(compile(parseLark(CODE(RUST)), tok, limits), texts.slice(0, 40), 'extra_start');
    lawOnTexts(compile(parseLark(CODE('"word_boundary": {"non_ascii": true}')), tok, limits), texts.slice(0, 30), 'non_ascii');
  });
}

test('word boundary: the mask after a word-ending lexeme', () => {
  const cg = compile(parseLark(CODE(ON)), tok);
  const bits = new Uint32Array(cg.maskWords);
  const one = (s: string): number => {
    const ids = tok.encode(s);
    assert.equal(ids.length, 1, `${JSON.stringify(s)} is one token`);
    return ids[0]!;
  };
  const m = cg.matcher();
  for (const t of tok.encode('for x in')) assert.ok(m.consume(t));
  m.computeMask(bits);
  // NAME may not follow `for x`, so `in` has ended: a word may not touch it.
  assert.equal(hasBit(bits, one('v')), false);
  assert.equal(hasBit(bits, one(' v')), true);
  assert.equal(hasBit(bits, one('(')), true);
  // A token that ends right after a word-ending lexeme is in the mask (a space or `(` may follow).
  const m2 = cg.matcher();
  for (const t of tok.encode('for x')) assert.ok(m2.consume(t));
  m2.computeMask(bits);
  assert.equal(hasBit(bits, one(' in')), true);
  assert.equal(hasBit(bits, one(' inv')), false);
  assert.equal(hasBit(bits, one(' int')), false);
});

test('word boundary: forced tokens and isStopped see the guard', () => {
  const g = (opt: string): CompiledGrammar => compile(parseLark(`%llguidance {${opt}}\nstart: "go" ("to" | "(") ";"\n`), tok);
  const on = g(ON).matcher();
  assert.ok(on.consume(tok.encode('go')[0]!));
  assert.equal(tok.decode(on.forcedTokens()), '(;');
  const off = g('').matcher();
  assert.ok(off.consume(tok.encode('go')[0]!));
  assert.deepEqual(off.forcedTokens(), []);
  // After `a` only a word could follow: nothing but EOS can.
  const stop = compile(parseLark(`%llguidance {${ON}}\nstart: "a" "b"?\n`), tok).matcher();
  assert.ok(stop.consume(tok.encode('a')[0]!));
  assert.equal(stop.isStopped(), true);
  assert.equal(stop.isAccepting(), true);
});

const GAPS = (option: string): string => String.raw`
%llguidance {"gap": {"_TIGHT": "none", "_SAMELINE": "no_newline", "_NLGAP": "newline"}${option}}
%declare _TIGHT _SAMELINE _NLGAP
start: stmt*
stmt: "return" (_SAMELINE expr)? (";" | _NLGAP) | expr (";" | _NLGAP) | "for" NAME "in" expr "{" stmt* "}"
expr: expr ">" _TIGHT ">" term | expr ">" term | term | NAME _SAMELINE "++" | NAME _TIGHT "!" "(" ")" | NAME _TIGHT "::" NAME
term: NAME | INT
NAME: /[a-zA-Z_][a-zA-Z0-9_]*/ & ~("return" | "for" | "in")
INT: /[0-9]+/
%ignore /[ \t\r\n]+/
`;

test('word boundary with gap markers', () => {
  const off = compile(parseLark(GAPS('')), tok);
  const on = compile(parseLark(GAPS(', ' + ON)), tok);
  for (const [text, without, withOpt] of [
    ['a >> b;', true, true], ['a > > b;', false, false], ['return x\n', true, true], ['return\nx;', true, true],
    ['vec!();', true, true], ['vec !();', false, false], ['a::b;', true, true], ['a:: b;', true, true],
    ['for x in v { x++; }', true, true], ['for x inv { x++; }', true, false], ['for x in v {x++\n}', true, true],
    ['return 1\n', true, true], ['returnx;', true, true],
  ] as const) {
    assert.equal(off.matches(text), without, `without: ${JSON.stringify(text)}`);
    assert.equal(on.matches(text), withOpt, `word_boundary: ${JSON.stringify(text)}`);
  }
  for (const [name, limits] of [['default caches', {}], ['caches at 0', NO_CACHES]] as const) {
    const cg = compile(parseLark(GAPS(', ' + ON)), tok, limits);
    lawOnTexts(cg, ['for x inv { x++; }', 'for x in v {x++\n}', 'vec!();a::b\n', 'return x\nreturn\n', ...randomTexts(['for', 'x', 'in', 'inv', 'v', '{', '}', '++', '!', '()', '::', '>', ';', 'return', '1'], 20, 11)], `gaps ${name}`);
  }
});

const PY = (option: string): string => String.raw`
%llguidance {"indentation": {"newline": "_NEWLINE", "indent": "_INDENT", "dedent": "_DEDENT", "open": ["(", "["], "close": [")", "]"], "tab_width": 8}${option}}
%declare _INDENT _DEDENT
start: (_NEWLINE | stmt)*
stmt: simple | compound
simple: small (";" small)* [";"] _NEWLINE
small: "pass" | NAME "=" expr | expr | "return" [expr]
compound: "if" expr ":" suite ["else" ":" suite] | "for" NAME "in" expr ":" suite | "def" NAME "(" [NAME ("," NAME)*] ")" ":" suite
suite: simple | _NEWLINE _INDENT stmt+ _DEDENT
expr: atom (("+" | "-" | "and" | "or" | "in" | "not" "in") atom)*
atom: NAME | NUMBER | "(" expr ")" | "[" [expr ("," expr)*] "]" | atom "(" [expr ("," expr)*] ")"
NAME: /[a-zA-Z_][a-zA-Z0-9_]*/ & ~("if" | "else" | "def" | "for" | "in" | "not" | "and" | "or" | "pass" | "return")
NUMBER: /[0-9]+/
_NEWLINE: /(\r?\n[\t ]*)+/
COMMENT: /#[^\r\n]*/
%ignore /[\t \f]+/
%ignore COMMENT
`;

test('word boundary with indentation', () => {
  const off = compile(parseLark(PY('')), tok);
  const on = compile(parseLark(PY(', ' + ON)), tok);
  for (const [text, without, withOpt] of [
    ['for x in v:\n    pass\n', true, true],
    ['for x inv:\n    pass\n', true, false],
    ['for x in(v):\n    pass\n', true, true],
    ['if a andb:\n    pass\n', true, false],
    ['if a and b:\n    pass\nelse:\n    x = 1\n', true, true],
    ['if a:\n    pass\n  x = 1\n', false, false],
    ['x = a notin b\n', true, false],
    ['x = a not in b\n', true, true],
    ['x = 1#c\n', true, true],
    ['def f(a):\n    return a\n', true, true],
    ['def f(a):\n    returna\n', true, true],
    ['x = [1,\n2]\n', true, true],
  ] as const) {
    assert.equal(off.matches(text), without, `without: ${JSON.stringify(text)}`);
    assert.equal(on.matches(text), withOpt, `word_boundary: ${JSON.stringify(text)}`);
  }
  for (const [name, limits] of [['default caches', {}], ['caches at 0', NO_CACHES]] as const) {
    const cg = compile(parseLark(PY(', ' + ON)), tok, limits);
    lawOnTexts(cg, ['for x inv:\n    pass\n', 'for x in v:\n    pass\n', 'if a andb:\n  pass\n', 'x = a notin b\n', ...randomTexts(['for', 'x', 'in', 'v', ':', '\n', '\n    ', 'pass', 'and', 'b', '(', ')', 'not', '1', '#c'], 20, 17)], `indentation ${name}`);
  }
});

const FALLBACK = (option: string): string => String.raw`
%llguidance {"lexeme_fallback": true${option}}
start: ("a" | "abc" | "bd" | "-" | " ")*
`;

test('word boundary with lexeme fallback: the replayed bytes start a lexeme after the complete prefix', () => {
  const off = compile(parseLark(FALLBACK('')), tok);
  const on = compile(parseLark(FALLBACK(', ' + ON)), tok);
  for (const [text, without, withOpt] of [['abd', true, false], ['a-bd', true, true], ['abc', true, true], ['aa', true, false], ['a a', true, true], ['ab-', false, false], ['a-abc', true, true]] as const) {
    assert.equal(off.matches(text), without, `without: ${JSON.stringify(text)}`);
    assert.equal(on.matches(text), withOpt, `word_boundary: ${JSON.stringify(text)}`);
  }
  for (const limits of [{}, NO_CACHES]) lawOnTexts(compile(parseLark(FALLBACK(', ' + ON)), tok, limits), ['abd', 'a-bd', 'abc abd', 'a-abc-a', ...randomTexts(['a', 'abc', 'bd', '-', ' ', 'ab'], 20, 5)], 'fallback');
});

test('word boundary: exits of one walk that accept the same lexemes, one after a word byte and one not', () => {
  // From the state after `foo`, token `B` leaves W after `o` (a word byte: `B` may not start T)
  // and token `-B` leaves it after `-` (it may): the mask keeps the two apart.
  const text = String.raw`
%llguidance {"word_boundary": true}
start: (W T)*
W: /[a-z]+-?/
T: /[A-Z][a-z]*/
`;
  for (const limits of [{}, NO_CACHES]) {
    const cg = compile(parseLark(text), tok, limits);
    assert.equal(cg.matches('foo-Bar'), true);
    assert.equal(cg.matches('fooBar'), false);
    const bits = new Uint32Array(cg.maskWords);
    const m = cg.matcher();
    for (const t of tok.encode('foo')) assert.ok(m.consume(t));
    m.computeMask(bits);
    for (const [s, want] of [['B', false], ['-', true], ['-B', true], ['-Bar', true], ['Bar', false]] as const) {
      const ids = tok.encode(s);
      if (ids.length !== 1) continue;
      assert.equal(hasBit(bits, ids[0]!), want, JSON.stringify(s));
    }
    lawOnTexts(cg, ['foo-Bar', 'fooBar', 'a-Bc-D', 'ab-Cd', ...randomTexts(['foo', '-', 'Bar', 'B', 'x', '-B'], 20, 23)], 'exit groups');
  }
});

test('printLark keeps word_boundary; portable drops it (the server accepts a little more)', () => {
  for (const opt of [ON, RUST, '"word_boundary": {"chars": "a-z_-", "non_ascii": true}']) {
    const g = parseLark(CODE(opt));
    const printed = printLark(g);
    assert.match(printed, /"word_boundary"/);
    const again = parseLark(printed);
    assert.deepEqual(again.options?.wordBoundary, g.options?.wordBoundary, printed.split('\n')[0]);
  }
  assert.match(printLark(parseLark(CODE(ON))), /"word_boundary": true/);
  const portable = printLark(parseLark(CODE(ON)), { portable: true });
  assert.doesNotMatch(portable, /word_boundary/);
  const cg = compile(parseLark(portable), tok);
  assert.equal(cg.matches('for x inv {}'), true);
  assert.equal(cg.matches('for x in v {}'), true);
});
