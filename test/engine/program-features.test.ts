/**
 * Engine features for program grammars (docs/engine-grammars.md, "Features for program grammars"):
 * indentation, lexeme fallback, gap markers. Each is checked for its verdicts on Lark texts, with
 * the feature off where that changes the verdict, and with the mask/consume law at every position
 * of the texts (Llama-3 vocabulary; canonical and random tokenizations), with default caches and
 * with every cache at 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { printLark } from '../../src/engine/grammar/print-lark.ts';
import type { Limits } from '../../src/engine/limits.ts';
import { compile, type CompiledGrammar } from '../../src/engine/matcher/compiled.ts';
import { acceptsTokens, assertMaskAgrees, byteSplit, llama3, randomSplit, rng, tokenSample } from './matcher-helpers.ts';

const tok = llama3();
const SAMPLE = tokenSample(tok, 1500, 13);
const NO_CACHES: Partial<Limits> = { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 };

export const PY_LIKE = String.raw`
%llguidance {"indentation": {"newline": "_NEWLINE", "indent": "_INDENT", "dedent": "_DEDENT", "open": ["(", "[", "{"], "close": [")", "]", "}"], "tab_width": 8}}
%declare _INDENT _DEDENT
start: (_NEWLINE | stmt)*
stmt: simple | compound
simple: small (";" small)* [";"] _NEWLINE
small: "pass" | NAME "=" expr | expr | "return" [expr]
compound: "if" expr ":" suite ("elif" expr ":" suite)* ["else" ":" suite]
        | "def" NAME "(" [NAME ("," NAME)*] ")" ":" suite
        | "while" expr ":" suite
suite: simple | _NEWLINE _INDENT stmt+ _DEDENT
expr: atom (("+" | "-" | "*") atom)*
atom: NAME | NUMBER | "(" expr ")" | "[" [expr ("," expr)* [","]] "]" | atom "(" [expr ("," expr)*] ")"
NAME: /[a-zA-Z_][a-zA-Z0-9_]*/ & ~("if" | "elif" | "else" | "def" | "while" | "pass" | "return")
NUMBER: /[0-9]+/
_NEWLINE: /(\r?\n[\t ]*)+/
COMMENT: /#[^\r\n]*/
%ignore /[\t \f]+/
%ignore COMMENT
`;

/** Python-like texts and whether Python (and Lark's Indenter) accept them. */
export const PY_CASES: [string, boolean][] = [
  ['x = 1\n', true], ['x = 1', true], ['', true], ['\n\n', true],
  ['if x:\n    y = 1\n', true], ['if x:\n    y = 1', true], ['if x:\n    y = 1\nz = 2\n', true],
  ['if x:\n    y = 1\n  z = 2\n', false], ['if x:\ny = 1\n', false], ['x = 1\n  y = 2\n', false],
  ['def f(a, b):\n    if a:\n        return b\n    return a\n', true],
  ['def f(a, b):\n    if a:\n        return b\nreturn a\n', true],
  ['def f():\n    x = 1\n# comment at column 0\n    return x\n', true],
  ['def f():\n    x = 1\n      # deeper comment\n\n    return x\n', true],
  ['def f():\n    x = 1\n\n\n    return x\n', true],
  ['x = (1 +\n  2)\n', true], ['x = [1,\n2,\n]\n', true], ['x = 1 +\n 2\n', false], ['x = f(1,\n    g(2,\n3))\nif x:\n  pass\n', true],
  ['if x:\n\ty = 1\n\tz = 2\n', true], ['if x:\n    y = 1\n\tz = 2\n', false],
  ['if x: pass\nelse:\n    pass\n', true], ['while x:\n    pass\n    \n', true],
  ['if x:\n    pass\n   ', true], ['if x:\n', false], ['x = 1\n    ', true], ['x = (1\n', false],
  ['if a:\n  if b:\n    if c:\n      pass\n  x = 1\nelse:\n  pass\n', true],
  ['if a:\n  if b:\n    pass\n x = 1\n', false],
];

function lawOnTexts(cg: CompiledGrammar, texts: string[], where: string): void {
  const bits = new Uint32Array(cg.maskWords);
  const r = rng(5);
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

test('indentation: verdicts of Lark\'s Indenter on Python-like texts', () => {
  const cg = compile(parseLark(PY_LIKE), tok);
  for (const [text, want] of PY_CASES) assert.equal(cg.check(text).accepted, want, JSON.stringify(text));
});

test('indentation: an inconsistent dedent is refused where it happens, with the expected lexemes', () => {
  const cg = compile(parseLark(PY_LIKE), tok);
  const r = cg.check('if a:\n    x = 1\n  y = 2\n');
  assert.equal(r.accepted, false);
  assert.equal(r.line, 3);
  assert.equal(r.column, 3);
});

for (const [name, limits] of [['default caches', {}], ['caches at 0', NO_CACHES]] as const) {
  test(`indentation: mask/consume law on Python-like texts (${name})`, () => {
    const cg = compile(parseLark(PY_LIKE), tok, limits);
    lawOnTexts(cg, PY_CASES.map(([t]) => t), 'indentation');
  });
}

test('indentation: masks are exact after a newline (no token that dedents inconsistently)', () => {
  const cg = compile(parseLark(PY_LIKE), tok);
  const m = cg.matcher();
  for (const t of tok.encode('if a:\n    if b:\n        x = 1\n')) assert.ok(m.consume(t));
  const bits = new Uint32Array(cg.maskWords);
  m.computeMask(bits);
  const allowed = (s: string): boolean => {
    const ids = tok.encode(s);
    assert.equal(ids.length, 1, `${JSON.stringify(s)} is one token`);
    return ((bits[ids[0]! >>> 5]! >>> (ids[0]! & 31)) & 1) === 1;
  };
  // At the start of a line after "\n": columns 0, 4 and 8 are levels; 2 and 6 are not.
  assert.ok(allowed('x'));
  const m2 = cg.matcher();
  for (const t of tok.encode('if a:\n    if b:\n        x = 1\n  ')) m2.consume(t);
  m2.computeMask(bits);
  assert.equal(allowed('x'), false, 'column 2 is no level');
  assert.ok(allowed('#'), 'a comment line may follow at any column');
  assert.ok(allowed('\n'), 'so may a blank line');
});

const DOTS = (fallback: boolean): string => String.raw`
%llguidance {"lexeme_fallback": ${fallback}}
start: "from" (dots NAME? | NAME) "import" NAME
dots: ("." | "...")+
NAME: /[a-z]+/
%ignore " "
`;

const RANGES = (fallback: boolean): string => String.raw`
%llguidance {"lexeme_fallback": ${fallback}}
start: expr
expr: atom | atom ".." atom | expr "." NAME
atom: INT | FLOAT | NAME
INT: /[0-9]+/
FLOAT: /[0-9]+\.[0-9]+/
NAME: /[a-z]+/
`;

test('lexeme fallback: `..` is two `.` and `0..n` is INT .. NAME with the option, refused without it', () => {
  const on = compile(parseLark(DOTS(true)), tok);
  const off = compile(parseLark(DOTS(false)), tok);
  for (const [text, withOpt, without] of [
    ['from . import x', true, true], ['from .. import x', true, false], ['from ... import x', true, true],
    ['from .... import x', true, true], ['from ..... import x', true, false], ['from ..x import y', true, false],
  ] as const) {
    assert.equal(on.matches(text), withOpt, `with: ${text}`);
    assert.equal(off.matches(text), without, `without: ${text}`);
  }
  const ron = compile(parseLark(RANGES(true)), tok);
  const roff = compile(parseLark(RANGES(false)), tok);
  for (const [text, withOpt, without] of [
    ['0..n', true, false], ['10..20', true, false], ['1.5', true, true], ['1.5..2', true, true], ['a..b', true, true],
    ['0.', false, false], ['0..', false, false], ['x.y', true, true], ['1..2.5', true, false],
  ] as const) {
    assert.equal(ron.matches(text), withOpt, `with: ${text}`);
    assert.equal(roff.matches(text), without, `without: ${text}`);
  }
});

for (const [name, limits] of [['default caches', {}], ['caches at 0', NO_CACHES]] as const) {
  test(`lexeme fallback: mask/consume law (${name})`, () => {
    lawOnTexts(compile(parseLark(DOTS(true)), tok, limits), ['from .. import x', 'from ..... import x', 'from ..x import y', 'from . . import x', 'from ..'], 'dots');
    lawOnTexts(compile(parseLark(RANGES(true)), tok, limits), ['0..n', '10..20', '1.5..2', '1..2.5', '0..', '12.x', '3..4..5'], 'ranges');
  });
}

const GAPS = String.raw`
%llguidance {"gap": {"_TIGHT": "none", "_SAMELINE": "no_newline", "_NLGAP": "newline"}}
%declare _TIGHT _SAMELINE _NLGAP
start: stmt*
stmt: "return" (_SAMELINE expr)? (";" | _NLGAP) | expr (";" | _NLGAP)
expr: expr ">" _TIGHT ">" term | expr ">" term | expr "<" term | term | NAME _SAMELINE "++" | type
type: NAME "<" type ">" | NAME "<" type ("," type)* ">" | NAME
term: NAME | INT
NAME: /[a-zA-Z_][a-zA-Z0-9_]*/ & ~("return")
INT: /[0-9]+/
%ignore /[ \t\r\n]+/
%ignore /\/\*([^*]|\*+[^*\/])*\*+\//
`;

test('gap markers: touching lexemes, no line break, a line break', () => {
  const cg = compile(parseLark(GAPS), tok);
  for (const [text, want] of [
    ['a >> b;', true], ['a > > b;', false], ['a >\n> b;', false], ['a > b;', true],
    ['A<B<C>>;', true], ['A<B<C> >;', true],
    ['return x;', true], ['return\nx;', true], ['return\nx\n++;', false], ['return\n;', true], ['return /* c */ x;', true], ['return /* \n */ x;', true], ['return /* \n */ x y;', false],
    ['x++;', true], ['x\n++;', false], ['x\ny\n', true], ['x y;', false], ['x\n', true], ['x', false], ['x /*\n*/ y;', true],
  ] as const) {
    assert.equal(cg.check(text).accepted, want, JSON.stringify(text));
  }
  // Without the markers' roles the declared terminals match nothing.
  const plain = compile(parseLark(GAPS.replace(/^%llguidance.*$/m, '')), tok);
  assert.equal(plain.matches('a >> b;'), false);
  assert.equal(plain.matches('a > b;'), true);
});

for (const [name, limits] of [['default caches', {}], ['caches at 0', NO_CACHES]] as const) {
  test(`gap markers: mask/consume law (${name})`, () => {
    const cg = compile(parseLark(GAPS), tok, limits);
    lawOnTexts(cg, ['a >> b;', 'a > > b;', 'A<B<C>>;\nreturn\nx\n', 'return /* c */ x;', 'return /* \n */ x;', 'x\n++;', 'x++\ny\n', 'a >>\n b\n'], 'gaps');
  });
}

// TypeScript's layout: a line break is both the statement terminator NL and %ignored white space,
// and the parser keeps both readings in one row. The ignore reading's gap goes on through the
// line break (EarleyParser.carryIgnored), while the NL reading starts a new gap.
const GAPS_NL = String.raw`
%llguidance {"gap": {"_TIGHT": "none", "_SAMELINE": "no_newline", "_NLGAP": "newline"}}
%declare _TIGHT _SAMELINE _NLGAP
start: stmt*
stmt: expr eos | expr _NLGAP "?" eos
eos: ";" | NL
expr: expr _SAMELINE "++" | expr _TIGHT "!" | expr "+" NAME | NAME
NAME: /[a-z]+/
NL: /[ \t]*\n[ \t\n]*/
%ignore /[ \t\n]+/
`;

test('gap markers where a line break is also a lexeme: each reading keeps its own gap', () => {
  const cg = compile(parseLark(GAPS_NL), tok);
  for (const [text, want] of [
    ['x\n', true], ['x++\n', true], ['x ++;', true], ['x\n++\n', false], ['x\n  ++;', false],
    ['x!;', true], ['x !;', false], ['x\n!\n', false],
    ['x\n?\n', true], ['x\n  ?;', true], ['x ?;', false],
    ['x\n+ y\n', true], ['x\ny\n', true], ['x y\n', false],
  ] as const) {
    assert.equal(cg.check(text).accepted, want, JSON.stringify(text));
  }
  lawOnTexts(cg, ['x\n++\n', 'x\n!\n', 'x\n?\n', 'x ++\ny\n+ z;'], 'gaps with NL');
});

// A rule that starts with a `newline` marker, predicted in the row before the line break: the item
// is in that row's predicted part (read from its prediction closure, not stored), and the ignore
// reading of the line break moves it past the marker (EarleyParser.carryIgnored).
const GAPS_NL_PREDICTED = String.raw`
%llguidance {"gap": {"_NLGAP": "newline"}}
%declare _NLGAP
start: stmt*
stmt: NAME tail
tail: ";" | NL | _NLGAP "?" eos
eos: ";" | NL
NAME: /[a-z]+/
NL: /[ \t]*\n[ \t\n]*/
%ignore /[ \t\n]+/
`;

test('gap markers: a predicted rule that starts with a newline marker holds after a line break', () => {
  const cg = compile(parseLark(GAPS_NL_PREDICTED), tok);
  for (const [text, want] of [
    ['x\n?;', true], ['x\n  ?\n', true], ['x\n?\ny;', true], ['x ?;', false], ['x?;', false], ['x;\ny\n', true],
  ] as const) {
    assert.equal(cg.check(text).accepted, want, JSON.stringify(text));
  }
  lawOnTexts(cg, ['x\n?;', 'x\n  ?\ny\n', 'x ?;'], 'predicted newline marker');
});

test('features combine: indentation with lexeme fallback', () => {
  const text = PY_LIKE.replace('"tab_width": 8}}', '"tab_width": 8}, "lexeme_fallback": true}');
  const cg = compile(parseLark(text), tok);
  for (const [t, want] of PY_CASES) assert.equal(cg.check(t).accepted, want, JSON.stringify(t));
});

test('grammar errors for the feature options', () => {
  assert.throws(() => parseLark('%llguidance {"indentation": {"newline": "NL", "indent": "I", "dedent": "D"}}\nstart: "a"\nNL: /\\n/\nI: "x"\nD: "y"'), /must be a %declare'd terminal/);
  assert.throws(() => parseLark('%llguidance {"gap": {"_T": "sometimes"}}\n%declare _T\nstart: "a" _T "b"'), /must be "none", "no_newline" or "newline"/);
  assert.throws(() => parseLark('%declare _T\nstart: "a"\nX: _T'), /declared terminal _T has no regex/);
  assert.throws(() => parseLark('%llguidance {"indentation": {"newline": "NL", "indent": "_I", "dedent": "_D", "spaces": 4}}\n%declare _I _D\nstart: "a"\nNL: /\\n/'), /unknown indentation option 'spaces'/);
});

test('printLark keeps the feature options: the printed grammar gives the same verdicts', () => {
  for (const [text, cases] of [
    [PY_LIKE, PY_CASES],
    [GAPS, [['a >> b;', true], ['a > > b;', false], ['x\n++;', false], ['x\n', true]]],
    [DOTS(true), [['from .. import x', true], ['from ..x import y', true]]],
  ] as const) {
    const printed = printLark(parseLark(text));
    const cg = compile(parseLark(printed), tok);
    for (const [t, want] of cases) assert.equal(cg.check(t).accepted, want, `${JSON.stringify(t)} in\n${printed}`);
  }
});

test('printLark portable: indentation expanded into a plain grammar with the same verdicts', () => {
  const g = parseLark(PY_LIKE);
  const printed = printLark(g, { portable: true });
  assert.doesNotMatch(printed, /indentation|%declare|_INDENT/);
  const cg = compile(parseLark(printed), tok);
  for (const [text, want] of PY_CASES) assert.equal(cg.check(text).accepted, want, JSON.stringify(text));
  // Past the bound (6 levels of the same unit by default) the plain grammar refuses.
  const deep = Array.from({ length: 8 }, (_, k) => `${'  '.repeat(k)}if x:\n`).join('') + `${'  '.repeat(8)}pass\n`;
  assert.equal(compile(g, tok).matches(deep), true);
  assert.equal(cg.matches(deep), false);
  // Gap markers are dropped (more is accepted), lexeme fallback too (less is accepted).
  const gaps = compile(parseLark(printLark(parseLark(GAPS), { portable: true })), tok);
  assert.equal(gaps.matches('a > > b;'), true);
  const dots = printLark(parseLark(DOTS(true)), { portable: true });
  assert.doesNotMatch(dots, /lexeme_fallback/);
});

test('printLark portable: a declared terminal with no role prints as a regex that matches nothing (llguidance refuses %declare)', () => {
  // As in typescript.lark's RUN_ON: the longer lexeme is taken, then nothing can follow it.
  const src = 'start: (W | W2 NEVER) ";"\n%declare NEVER\nW: /[a-z]+/\nW2: /[a-z]+[0-9]/\n';
  const printed = printLark(parseLark(src), { portable: true });
  assert.doesNotMatch(printed, /%declare/);
  assert.match(printed, /^NEVER: \/.+\/$/m);
  const orig = compile(parseLark(src), tok);
  const again = compile(parseLark(printed), tok);
  for (const text of ['ab;', 'ab1;', 'ab1', '1;', ';']) assert.equal(again.check(text).accepted, orig.check(text).accepted, text);
  assert.equal(again.check('ab;').accepted, true);
  assert.equal(again.check('ab1;').accepted, false);
});
