/**
 * printGbnf: the printed GBNF, read back with our own parseGbnf, gives the same verdicts as the
 * original grammar on accept/reject texts (our engine on both sides). Where GBNF cannot say what
 * the lexer does (longest match between adjacent lexemes), the difference is asserted text by text
 * with its reason. test/eval/gbnf-xgrammar.test.ts runs the same output through XGrammar.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseLark } from '../../src/engine/index.ts';
import { parseGbnf } from '../../src/engine/grammar/gbnf.ts';
import { printGbnf, type PrintGbnfOptions } from '../../src/engine/grammar/print-gbnf.ts';
import { GrammarBuilder } from '../../src/engine/grammar/builder.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { EngineError } from '../../src/engine/errors.ts';
import type { Grammar } from '../../src/engine/grammar/ir.ts';

const tok = byteTokenizer();
const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

function fixtures(name: string): { accept: string[]; reject: string[] } {
  const dir = (k: string) => new URL(`../fixtures/grammars/${name}/${k}/`, import.meta.url);
  const all = (k: string) => readdirSync(dir(k)).sort().map((f) => readFileSync(new URL(f, dir(k)), 'utf8'));
  return { accept: all('accept'), reject: all('reject') };
}

/** The printed GBNF read back; charLiterals so that parseGbnf reads it character by character. */
function reparse(g: Grammar, opts?: PrintGbnfOptions): Grammar {
  const text = printGbnf(g, { ...opts, charLiterals: true });
  try {
    return parseGbnf(text);
  } catch (e) {
    assert.fail(`printed GBNF does not parse: ${(e as Error).message}\n${text}`);
  }
}

/**
 * Verdicts: the original accepts exactly `accept`; the GBNF gives the same verdict on every text,
 * except the texts in `gbnfOnly` (rejected by the original, accepted by the GBNF, with the reason).
 */
function sameVerdicts(g: Grammar, texts: { accept: string[]; reject: string[] }, gbnfOnly: Record<string, string> = {}, opts?: PrintGbnfOptions): void {
  const ours = compile(g, tok);
  const back = compile(reparse(g, opts), tok);
  for (const t of texts.accept) {
    assert.equal(ours.matches(t), true, `original accepts ${JSON.stringify(t.slice(0, 60))}`);
    assert.equal(back.matches(t), true, `GBNF accepts ${JSON.stringify(t.slice(0, 60))}`);
  }
  for (const t of [...texts.reject, ...Object.keys(gbnfOnly)]) {
    assert.equal(ours.matches(t), false, `original rejects ${JSON.stringify(t.slice(0, 60))}`);
    assert.equal(back.matches(t), t in gbnfOnly, t in gbnfOnly ? `GBNF accepts ${JSON.stringify(t)}: ${gbnfOnly[t]}` : `GBNF rejects ${JSON.stringify(t.slice(0, 60))}`);
  }
}

test('json.lark: printed GBNF gives the same verdicts on the fixtures and more', () => {
  const f = fixtures('json');
  f.accept.push(' {"a" : [ 1 , -2.5e3 ] }\n', '"\\u00e9 \u00e9 \u{1F600}"', '[]', '0');
  f.reject.push('', '01', '{"a":1,}', '"\u0001"', '[1 2]', 'tru');
  sameVerdicts(parseLark(read('grammars/json.lark')), f);
});

test('arithmetic.lark: printed GBNF gives the same verdicts on the fixtures', () => {
  sameVerdicts(parseLark(read('grammars/arithmetic.lark')), fixtures('arithmetic'));
});

test('clike.lark (identifiers with & and ~): same verdicts, except where longest match splits lexemes', () => {
  const f = fixtures('clike');
  f.accept.push('int x;', 'intx;', 'int intx; int f(void) { return intx/ *&intx; }', 'struct iff { int if_; };');
  f.reject.push('int if;', 'int while = 1;', 'struct S { int x; }');
  sameVerdicts(parseLark(read('grammars/clike.lark')), f, {
    'int f(void) { intx = {1}; }': 'where a statement may start, our lexer reads the longest lexeme, IDENT "intx" (an assignment, which takes no { } initializer); GBNF may split it as "int" "x" (a declaration)',
    'int f(void) { return a/*b; }': 'our lexer reads "/*" as the start of a comment that never ends; GBNF may read "/" then "*b" (a division by a dereference)',
  });
});

test('& and ~ terminals, case-insensitive strings, counted repetition', () => {
  const g = parseLark(String.raw`
start: item ("," item)*
item: WORD | NUM | KW | CODE
KW: "if"i | "else"
WORD: /[a-z]+/ & ~("if" | "else" | "in")
NUM: /[0-9]{1,6}/ & ~/[0-9]*5/
CODE: "#" (/[A-F0-9]{2}/ & ~"00"){2,3}
%ignore " "
`);
  sameVerdicts(g, {
    accept: ['abc', 'if', 'IF', 'iF, else', 'iff, inn, i', '12', '999999', 'a , 1', '#FF01', '#0102AA'],
    reject: ['in', 'elsE', '15', '1234567', '#0000', '#00FF', '#FF', '#FF00', 'a,,b', ''],
  });
});

test('lazy lexemes and stop/suffix lexemes end at their first match', () => {
  const g = parseLark(String.raw`
start: (comment | tag | WORD)+
comment[lazy]: "<!--" /(?s:.*)/ "-->"
tag[suffix=">"]: "<" /[a-z ]*/
WORD: /[a-z]+/
%ignore /[ \n]+/
`);
  sameVerdicts(g, {
    accept: ['<!-- a -->', '<!-- a --> b <!-- c -->', '<a b>x', '<!---->', 'x <!-- -- -> -->'],
    reject: ['<!-- a --> b -->', '<a >b>', '<!-- a', '<a'],
  });
});

test('lexemes whose regex matches the empty string are printed without it (lexemes are never empty)', () => {
  const g = parseLark(String.raw`
start: A B C D
A: /a*/
B: /(?:b|c?)/
C: /x?y?/
D: /(?:z|)/ "!"
`);
  sameVerdicts(g, {
    accept: ['abx!', 'aacy!', 'abxyz!', 'acy!'],
    reject: ['bx!', 'ax!', 'ab!', 'abxz', '!'],
  });
  const text = printGbnf(g);
  assert.match(text, /^A ::= "a"\+$/m);
});

test('non-ASCII characters: literals for small sets, a negated class for "any but", classes for big sets', () => {
  const g = parseLark(String.raw`
start: (LATIN | ANY | CYR | CJK | K)+
LATIN: /[a-zé-ö]+/
ANY: /[^a-z0-9#\s\u4e00-\u9fff\u0400-\u04ff]/ & /[^\u00e9-\u00f6]/
CYR: "#" /[\u0400-\u04FF]+/
CJK: /[\u4e00-\u9fff]+/
K: /(?i)0k/
%ignore " "
`);
  const text = printGbnf(g);
  assert.match(text, /"\\u00E9" \| "\\u00EA"/, 'é..ö as string literals');
  assert.match(text, /\[\\u4E00-\\u9FFF\]/, 'a big range stays a class');
  assert.match(text, /"\\u212A"/, 'the Kelvin sign from case folding');
  assert.ok(/^[\x20-\x7e\n]*$/.test(text), 'ASCII only');
  sameVerdicts(g, {
    accept: ['abcé', 'öa', '%', '\u{1F600}', '#\u0416\u0436', '\u4e2d\u6587', '0K', '0\u212A', 'a \u00ff'],
    reject: ['#', '#a', '\u0416', '0x', '0K0', '\u4e2d#'],
  });
});

test('%ignore: once per gap with ignore_once, and the ignore rule is optional at both ends', () => {
  const once = parseLark('%llguidance {"ignore_once": true}\n%ignore " "\nstart: "a" "b"');
  sameVerdicts(once, { accept: ['ab', ' a b ', 'a b'], reject: ['a  b', '  ab', ''] });
  const many = parseLark('%ignore " "\n%ignore /#[^\\n]*\\n/\nstart: "a" "b"');
  sameVerdicts(many, { accept: ['ab', '  a  #x\n  b ', '#\na#\n#\nb'], reject: ['a#b', ''] });
  assert.match(printGbnf(once), /^ignore ::= \S+\?$/m);
});

test('%json is already rules in the IR: printed like any other grammar', () => {
  const g = parseLark('start: "x=" %json {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"], "additionalProperties": false}');
  sameVerdicts(g, { accept: ['x={"n": 1}', 'x={"n":-20}'], reject: ['x={}', 'x={"n": 1.5}', 'x={"n": 1, "m": 2}'] });
});

test('output: root first, names every GBNF reader takes, ASCII only, no multi-line rules', () => {
  for (const name of ['json', 'arithmetic', 'clike']) {
    const text = printGbnf(parseLark(read(`grammars/${name}.lark`)));
    const lines = text.trimEnd().split('\n');
    assert.match(lines[0]!, /^root ::= /);
    for (const l of lines) assert.match(l, /^[A-Za-z][A-Za-z0-9-]* ::= \S/, l);
    assert.ok(/^[\x20-\x7e\n]*$/.test(text));
  }
});

test('refusals are GRAMMAR errors that name what cannot be written', () => {
  const refuse = (g: Grammar, re: RegExp, opts?: PrintGbnfOptions) =>
    assert.throws(() => printGbnf(g, opts), (e: unknown) => e instanceof EngineError && e.code === 'GRAMMAR' && re.test(e.message));
  refuse(parseLark('start: "a" <|eot_id|>'), /special token <\|eot_id\|>.*cannot be written in GBNF/);
  refuse(parseLark('start: "a" <[5-7]>'), /special token <\[5-7\]>/);
  refuse(parseLark(read('grammars/clike.lark')), /lexeme IDENT cannot be written in GBNF: its automaton has more than 20 states/, { maxLexemeStates: 20 });
  const b = new GrammarBuilder();
  const raw = b.lexeme({ name: 'RAW', regex: { kind: 'bytes', ranges: [[0x80, 0xff]] } });
  refuse(b.build(b.ruleWith('start', [[{ kind: 'lexeme', id: raw }]])), /lexeme RAW matches raw bytes/);
  refuse(parseLark('start: A\nA: /a/ & ~/a/'), /lexeme A matches no non-empty valid UTF-8 text/);
});

test('a complement is taken over valid UTF-8 text: ~"x" prints every other character string', () => {
  const g = parseLark('start: "<" NOTX ">"\nNOTX: ~"x" & /[^<>]+/');
  sameVerdicts(g, { accept: ['<y>', '<xx>', '<\u00e9>', '<\u{1F600}x>'], reject: ['<x>', '<>'] });
});

test('gap markers after a lexeme: none, no_newline and newline restrict that gap exactly', () => {
  const g = parseLark(String.raw`
%llguidance {"gap": {"_TIGHT": "none", "_SAMELINE": "no_newline", "_NLGAP": "newline"}}
%declare _TIGHT _SAMELINE _NLGAP
%ignore /[ \n]+/
%ignore /#[^\n]*/
start: stmt+
stmt: ">" _TIGHT ">" | "return" _SAMELINE "x" | "a" _NLGAP "b"
`);
  sameVerdicts(g, {
    accept: ['>>', 'return x', 'a\nb', 'a #c\n b', ' >> return  x\n a\n\nb '],
    reject: ['> >', 'return\nx', 'return #c\nx', 'a b', 'a #c b', 'ab'],
  });
  assert.match(printGbnf(g), /^GAP-NO-NEWLINE ::= /m);
});
