import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { ruleSym, type GrammarBuilder } from '../../src/engine/grammar/builder.ts';
import { EngineError } from '../../src/engine/errors.ts';
import type { Grammar, Sym } from '../../src/engine/grammar/ir.ts';
import type { Regex } from '../../src/engine/regex/ast.ts';
import { COMMON_TERMINALS } from '../../src/engine/grammar/common.ts';
import fc from 'fast-check';
import { derivationCounts, regexMatches } from './grammar-test-utils.ts';

const ROOT = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, ROOT), 'utf8');

function rule(g: Grammar, name: string) {
  const r = g.rules.find((x) => x.name === name);
  assert.ok(r, `rule ${name} exists (have ${g.rules.map((x) => x.name).join(', ')})`);
  return r;
}
function lexeme(g: Grammar, name: string) {
  const l = g.lexemes.find((x) => x.name === name);
  assert.ok(l, `lexeme ${name} exists (have ${g.lexemes.map((x) => x.name).join(', ')})`);
  return l;
}
function names(g: Grammar, syms: Sym[]): string[] {
  return syms.map((s) => (s.kind === 'lexeme' ? g.lexemes[s.id]!.name : s.kind === 'rule' ? g.rules[s.id]!.name : 'TOKEN'));
}
/** Asserts parseLark fails with this code, a message matching `pattern`, and this position. */
function fails(text: string, pattern: RegExp, line: number, column: number, code = 'GRAMMAR') {
  assert.throws(
    () => parseLark(text),
    (e: unknown) => {
      assert.ok(e instanceof EngineError, `EngineError, got ${String(e)}`);
      assert.equal(e.code, code, e.message);
      assert.match(e.message, pattern);
      assert.deepEqual(e.position, { line, column }, e.message);
      return true;
    },
  );
}
/** The regex of terminal NAME as compiled (via a rule that uses it). */
function terminal(defs: string, name: string): Regex {
  const g = parseLark(`${defs}\nstart: ${name}\n`);
  return lexeme(g, name).regex;
}

test('json.lark: rules, lexemes (strings and numbers are single terminals) and %ignore', () => {
  const g = parseLark(read('grammars/json.lark'));
  assert.equal(g.rules[g.start]!.name, 'start');
  assert.deepEqual(names(g, rule(g, 'value').alternatives.flat()), ['object', 'array', 'STRING', 'NUMBER', '"true"', '"false"', '"null"']);
  assert.deepEqual(names(g, rule(g, 'member').alternatives[0]!), ['STRING', '":"', 'value']);
  assert.equal(g.ignore.length, 1);
  const ws = g.lexemes[g.ignore[0]!]!.regex;
  assert.ok(regexMatches(ws, ' \n\t\r '));
  assert.ok(!regexMatches(ws, ''));
  const str = lexeme(g, 'STRING').regex;
  for (const ok of ['""', '"a\\"b"', '"\\u00e9"', '"日本"']) assert.ok(regexMatches(str, ok), ok);
  for (const bad of ['"', '"\\x41"', '"a\nb"', "'a'"]) assert.ok(!regexMatches(str, bad), bad);
  const num = lexeme(g, 'NUMBER').regex;
  for (const ok of ['0', '-0', '12', '3.25', '-1e-9', '6.02E+23']) assert.ok(regexMatches(num, ok), ok);
  for (const bad of ['01', '.5', '1.', '+1', '1e']) assert.ok(!regexMatches(num, bad), bad);
  assert.equal(g.options, undefined);
});

test('shipped grammars parse, and each has at least 8 accept and 8 reject fixtures', () => {
  for (const name of ['json', 'arithmetic', 'clike']) {
    const g = parseLark(read(`grammars/${name}.lark`));
    assert.ok(g.rules.length > 0);
    for (const kind of ['accept', 'reject']) {
      const files = readdirSync(new URL(`test/fixtures/grammars/${name}/${kind}/`, ROOT)).filter((f) => f.endsWith('.txt'));
      assert.ok(files.length >= 8, `${name}/${kind} has ${files.length} fixtures`);
    }
  }
  const clike = parseLark(read('grammars/clike.lark'));
  const ident = lexeme(clike, 'IDENT').regex;
  assert.equal(ident.kind, 'and');
  for (const ok of ['x', 'main', 'iff', 'while_', '_int', 'returned']) assert.ok(regexMatches(ident, ok), ok);
  for (const kw of ['if', 'while', 'int', 'return', 'struct', 'sizeof']) assert.ok(!regexMatches(ident, kw), kw);
  assert.equal(clike.ignore.length, 3);
});

test('rules: literals and regexes become deduplicated lexemes; a terminal is one lexeme', () => {
  const g = parseLark(`
start: "a" X "a" /[0-9]+/ /[0-9]+/ Y
X: "b" DIGITS
Y: DIGITS
DIGITS: /[0-9]+/
`);
  const alt = rule(g, 'start').alternatives[0]!;
  assert.deepEqual(names(g, alt), ['"a"', 'X', '"a"', '/[0-9]+/', '/[0-9]+/', '/[0-9]+/']);
  assert.deepEqual(alt[0], alt[2]);
  // Y has the same regex as /[0-9]+/, so it is the same lexeme.
  assert.deepEqual(alt[5], alt[3]);
  assert.equal(g.lexemes.length, 3);
  assert.equal(lexeme(g, '"a"').literal, 'a');
  const x = lexeme(g, 'X').regex;
  assert.ok(regexMatches(x, 'b123') && !regexMatches(x, 'b') && !regexMatches(x, '123'));
});

test('operators in rules: grouping, ?, *, +, [ ], {N}, {M,}, {M,N}, ~M..N', () => {
  const g = parseLark(`
start: a | b | c | d | e | f | g | h
a: ("x" | "y") "z"
b: "x"?
c: "x"*
d: "x"+
e: ["x" "y"]
f: "x"{3}
g: "x"{2,} | "x"{2,4}
h: "x"~2 | "x"~1..3
`);
  assert.equal(rule(g, 'a').alternatives[0]!.length, 2);
  assert.deepEqual(names(g, rule(g, 'a').alternatives[0]!), ['a_group', '"z"']);
  const counts = (name: string, max = 8) => derivationCounts(g, g.rules.findIndex((r) => r.name === name), max).map((w, n) => (w > 0 ? n : -1)).filter((n) => n >= 0);
  assert.deepEqual(counts('b'), [0, 1]);
  assert.deepEqual(counts('c'), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(counts('d'), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(counts('e'), [0, 2]);
  assert.deepEqual(counts('f'), [3]);
  assert.deepEqual(counts('g'), [2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(counts('h'), [1, 2, 3]);
});

test('x{0,1000} desugars to O(log N) rules', () => {
  const g = parseLark('start: "x"{0,1000}\n');
  assert.ok(g.rules.length < 60, `${g.rules.length} rules`);
  const big = parseLark('start: "x"{5,1000000} "y"{1000000}\n');
  assert.ok(big.rules.length < 200, `${big.rules.length} rules`);
  const counts = derivationCounts(g, g.start, 40);
  assert.ok(counts.every((w) => w === 1));
});

test('terminals compile to one regex: operators, & binds tighter than |, ~ tighter than + and *', () => {
  const r = terminal('T: "a" "b" & /[a-z]+/ | "c"', 'T');
  assert.equal(r.kind, 'alt');
  assert.ok(regexMatches(r, 'ab') && regexMatches(r, 'c') && !regexMatches(r, 'a'));
  const r2 = terminal('T: ~"a"+', 'T');
  assert.equal(r2.kind, 'repeat');
  assert.equal(r2.kind === 'repeat' && r2.item.kind, 'not');
  const id = terminal('ID: /[a-z]+/ & ~("if" | "else")', 'ID');
  assert.ok(regexMatches(id, 'iff') && regexMatches(id, 'x') && !regexMatches(id, 'if') && !regexMatches(id, 'else'));
  const rep = terminal('T: ("ab"){2} "c"~1..2 "d"{1,} "e"? ["f"]', 'T');
  assert.ok(regexMatches(rep, 'ababcd') && regexMatches(rep, 'ababccddef') && !regexMatches(rep, 'abcd'));
  const range = terminal('HEX: ("0".."9" | "a".."f")+', 'HEX');
  assert.ok(regexMatches(range, 'dead00') && !regexMatches(range, 'g'));
});

test('string literals: escapes and the i flag', () => {
  const g = parseLark(String.raw`start: "a\"b\\c\n\t\u00e9\x41\u{1F600}" "select"i`);
  const alt = rule(g, 'start').alternatives[0]!;
  assert.equal(g.lexemes[alt[0]!.kind === 'lexeme' ? alt[0]!.id : -1]!.literal, 'a"b\\c\n\té' + 'A' + '😀');
  const ci = g.lexemes[(alt[1] as { id: number }).id]!;
  assert.equal(ci.literal, undefined);
  for (const s of ['select', 'SELECT', 'SeLeCt']) assert.ok(regexMatches(ci.regex, s), s);
  assert.ok(!regexMatches(ci.regex, 'selec'));
});

test('regex literals: Rust syntax, flags i and s, escaped slash', () => {
  const r = terminal('T: /ab.c/s', 'T');
  assert.ok(regexMatches(r, 'ab\nc'));
  assert.ok(!regexMatches(terminal('T: /ab.c/', 'T'), 'ab\nc'));
  assert.ok(regexMatches(terminal('T: /abc/i', 'T'), 'AbC'));
  assert.ok(regexMatches(terminal('T: /a\\/b/', 'T'), 'a/b'));
  assert.ok(regexMatches(terminal('T: /\\d+(?:\\.\\d+)?/', 'T'), '3.14'));
});

test('comments (// and #), - in names, ?rule and !rule, aliases, rule priorities', () => {
  const g = parseLark(`
# a comment
start: my-rule // trailing comment
?my-rule: !inner -> alias_name
!inner.2: "x"   # rule priorities only rank parse trees
`.replace('!inner ->', 'inner ->'));
  assert.deepEqual(g.rules.map((r) => r.name), ['start', 'my-rule', 'inner']);
});

test('alternatives may continue on the next line with |, and newlines are free inside ( ) and [ ]', () => {
  const g = parseLark(`start: "a"
     | "b"
     | ("c"
        "d")
`);
  assert.equal(rule(g, 'start').alternatives.length, 3);
  assert.deepEqual(names(g, rule(g, 'start').alternatives[2]!), ['"c"', '"d"']);
});

test('%ignore: several, by terminal, literal or regex', () => {
  const g = parseLark(`
%import common.WS
%ignore WS
%ignore "//"
%ignore /#[^\\n]*/
start: "a"
`);
  assert.equal(g.ignore.length, 3);
  assert.deepEqual(g.ignore.map((i) => g.lexemes[i]!.name), ['WS', '"//"', '/#[^\\n]*/']);
});

test('%import common: single, aliased and list forms; unknown names are errors', () => {
  const g = parseLark(`
%import common.NUMBER
%import common.WS -> SPACE
%import common (CNAME, ESCAPED_STRING)
start: NUMBER SPACE CNAME ESCAPED_STRING
`);
  assert.deepEqual(names(g, g.rules[0]!.alternatives[0]!), ['NUMBER', 'SPACE', 'CNAME', 'ESCAPED_STRING']);
  fails('%import common.NOPE\nstart: "a"\n', /common has no terminal named NOPE/, 1, 16);
  fails('%import common.WS\n%import common.WS\nstart: "a"\n', /terminal WS is defined twice/, 2, 16);
});

test('common terminals match what their names say', () => {
  const cases: Record<string, [string[], string[]]> = {
    DIGIT: [['0', '9'], ['a', '10']],
    HEXDIGIT: [['a', 'F', '7'], ['g', '']],
    INT: [['0', '123'], ['-1', '1.0']],
    SIGNED_INT: [['-1', '+7', '42'], ['--1', '']],
    DECIMAL: [['1.5', '1.', '.5'], ['1', '.']],
    FLOAT: [['1e5', '1.5', '.5e-3', '2.E+1'], ['1', 'e5']],
    SIGNED_FLOAT: [['-1.5', '+2e3'], ['-1']],
    NUMBER: [['1', '1.5', '3e8'], ['-1', 'x']],
    SIGNED_NUMBER: [['-1', '+1.5', '3'], ['1-']],
    ESCAPED_STRING: [['""', '"a b"', '"say \\"hi\\""', '"\\\\"'], ['"', '"a\\"', '"a\nb"']],
    LETTER: [['a', 'Z'], ['1', 'é']],
    UCASE_LETTER: [['Q'], ['q']],
    LCASE_LETTER: [['q'], ['Q']],
    WORD: [['hello', 'ABC'], ['a1', '']],
    CNAME: [['_x1', 'snake_case', 'A'], ['1a', 'a-b']],
    WS_INLINE: [[' ', ' \t '], ['\n', '']],
    WS: [[' \n\t\r\f'], ['', 'x']],
    CR: [['\r'], ['\n']],
    LF: [['\n'], ['\r']],
    NEWLINE: [['\n', '\r\n', '\n\r\n'], ['\r', '']],
    SH_COMMENT: [['# note', '#'], ['// x', '# a\nb']],
    CPP_COMMENT: [['// note'], ['/* x */', '// a\nb']],
    C_COMMENT: [['/* a */', '/***/', '/* a\n * b **/'], ['/* a */ */', '/* a', '/*/']],
    SQL_COMMENT: [['-- note'], ['- note']],
  };
  for (const name of COMMON_TERMINALS) assert.ok(cases[name], `a case for ${name}`);
  for (const [name, [yes, no]] of Object.entries(cases)) {
    const re = terminal(`%import common.${name}`, name);
    for (const s of yes) assert.ok(regexMatches(re, s), `${name} matches ${JSON.stringify(s)}`);
    for (const s of no) assert.ok(!regexMatches(re, s), `${name} does not match ${JSON.stringify(s)}`);
  }
});

test('special tokens: names, ids, ranges, lists, negation, wildcard', () => {
  const g = parseLark('start: <|eot_id|> <think> <[128010]> <[128000-128255]> <[1,2,5-7]> <[^3,9-10]> <[*]>\n');
  const ids = g.rules[0]!.alternatives[0]!.map((s) => (s.kind === 'token' ? s.ids : null));
  assert.deepEqual(ids, [
    { ranges: [], negated: false, names: ['<|eot_id|>'] },
    { ranges: [], negated: false, names: ['<think>'] },
    { ranges: [[128010, 128010]], negated: false },
    { ranges: [[128000, 128255]], negated: false },
    { ranges: [[1, 2], [5, 7]], negated: false },
    { ranges: [[3, 3], [9, 10]], negated: true },
    { ranges: [], negated: true },
  ]);
  fails('start: T\nT: "a" <|eot_id|>\n', /special tokens \(<\|eot_id\|>\) are only allowed in rules/, 2, 8);
  fails('start: <[5-2]>\n', /bad token range '5-2'/, 1, 8);
  fails('start: <[x]>\n', /bad token id or range 'x'/, 1, 8);
});

test('lexeme options: lazy, stop, suffix, max_tokens; capture and temperature are recorded', () => {
  const g = parseLark(`
start: a b c d e f
a[lazy]: /.*/ "</x>"
b[stop="\\n"]: /[^\\n]*/
c[suffix="</end>", capture]: TEXT
d[max_tokens=5, temperature=0.7]: /[a-z]+/
e[capture="num"]: /[0-9]+/ | "none"
f[stop=""]: /[A-Z]+/
TEXT: /[a-z ]*/
`);
  const lex = (r: string) => {
    const s = rule(g, r).alternatives[0]![0]!;
    assert.equal(s.kind, 'lexeme');
    return g.lexemes[(s as { id: number }).id]!;
  };
  assert.equal(lex('a').lazy, true);
  assert.ok(regexMatches(lex('a').regex, 'abc</x>'));
  const b = lex('b');
  assert.equal(b.lazy, true);
  assert.ok(regexMatches(b.regex, 'line one\n'), 'stop text is part of the lexeme');
  assert.ok(!regexMatches(b.regex, 'line one'));
  assert.ok(regexMatches(lex('c').regex, 'some text</end>'));
  assert.equal(rule(g, 'c').capture, 'c');
  assert.equal(lex('d').maxTokens, 5);
  assert.equal(lex('d').lazy, undefined);
  assert.equal(rule(g, 'd').temperature, 0.7);
  assert.equal(rule(g, 'e').capture, 'num');
  assert.equal(rule(g, 'e').alternatives.length, 2, 'capture alone keeps the rule a rule');
  assert.equal(lex('f').lazy, undefined, 'stop="" leaves the lexeme greedy (EOS ends it)');
  assert.equal(lex('a').name, 'a');
});

test('lexeme option errors', () => {
  fails('start: a\na[lazy]: b\nb: "x"\n', /body must be made of terminals, strings and regexes only; 'b' is a rule/, 2, 10);
  fails('start: A\nA[lazy]: "x"\n', /option 'lazy' is not allowed on terminal A/, 2, 3);
  fails('start: a\na[fast]: "x"\n', /unknown rule option 'fast'/, 2, 3);
  fails('start: a\na[max_tokens=0]: "x"\n', /max_tokens' needs a whole number/, 2, 3);
  fails('start: a\na[lazy=1]: "x"\n', /option 'lazy' takes no value/, 2, 3);
  fails('start: a\na[lazy, lazy]: "x"\n', /option 'lazy' given twice/, 2, 9);
});

test('%llguidance options', () => {
  assert.deepEqual(parseLark('%llguidance {"ignore_once": true}\nstart: "a"\n').options, { ignoreOnce: true });
  assert.deepEqual(parseLark('%llguidance {"skip_repetition": "once"}\nstart: "a"\n').options, { ignoreOnce: true });
  assert.equal(parseLark('%llguidance {}\nstart: "a"\n').options, undefined);
  assert.equal(parseLark('%llguidance {\n  "no_forcing": false\n}\nstart: "a"\n').rules.length, 1);
  fails('%llguidance {"bogus": 1}\nstart: "a"\n', /unknown %llguidance option 'bogus'/, 1, 1);
  fails('%llguidance {"ignore_once": 1,}\nstart: "a"\n', /invalid JSON after %llguidance/, 1, 13);
  fails('%llguidance [1]\nstart: "a"\n', /%llguidance must be followed by a JSON object/, 1, 1);
});

test('%json calls the jsonSchema hook with the builder; without it, a clear error', () => {
  const text = 'start: "call:" %json {"type": "object",\n  "properties": {"a": {"type": "string"}}}\n';
  fails(text, /JSON Schema support not available/, 1, 16);
  const seen: unknown[] = [];
  const g = parseLark(text, {
    jsonSchema: (schema: unknown, b: GrammarBuilder) => {
      seen.push(schema);
      return b.ruleWith('json', [[b.literal('{'), b.literal('}')]]);
    },
  });
  assert.deepEqual(seen, [{ type: 'object', properties: { a: { type: 'string' } } }]);
  assert.deepEqual(names(g, g.rules[g.start]!.alternatives[0]!), ['"call:"', 'json']);
});

test('start rule: "start", or the only rule; otherwise an error', () => {
  assert.equal(parseLark('main: "a"\n').rules[0]!.name, 'main');
  fails('a: "a"\nb: "b"\n', /no 'start' rule; the grammar has 2 rules/, 1, 1);
  fails('A: "a"\n', /the grammar has no rules/, 1, 1);
});

test('left recursion, right recursion and nullable rules are allowed', () => {
  const g = parseLark('start: list\nlist: list "," item | item |\nitem: "x" item | "y"\n');
  assert.equal(rule(g, 'list').alternatives.length, 3);
  assert.deepEqual(rule(g, 'list').alternatives[2], []);
  assert.deepEqual(rule(g, 'list').alternatives[0]![0], ruleSym(g.rules.findIndex((r) => r.name === 'list')));
});

test('unsupported constructs are errors naming the construct, with line and column', () => {
  fails('start: a\n_sep{x}: x\n', /templates are not supported/, 2, 5);
  fails('start: pair{"a", "b"}\n', /templates are not supported \(pair\{…\}\)/, 1, 12);
  fails('start: "a"\n%override FOO\n', /%override is not supported/, 2, 1);
  fails('start: "a"\n%override start: "b"\n', /%override is not supported/, 2, 1);
  fails('%import python.NAME\nstart: "a"\n', /imports other than common are not supported \(%import python.NAME\)/, 1, 9);
  fails('%import .local.NAME\nstart: "a"\n', /relative imports are not supported/, 1, 9);
  fails('start: A\nA.2: "a"\n', /terminal priorities are not supported \(A\.2\)/, 2, 2);
  fails('start: /a(?=b)/\n', /unsupported or malformed regex: .*lookaround|unsupported or malformed regex: .*\(\?=/, 1, 10);
  fails('start: /a+?/\n', /unsupported or malformed regex: .*(lazy|\+\?)/, 1, 10);
  fails('start: /ab/x\n', /regex flag 'x' is not supported/, 1, 8);
  fails('start: @sub\n', /subgrammar references are not supported \(@sub\)/, 1, 8);
  fails('start: %regex {"substring_words": "a b"}\n', /%regex \{ … \} \(structured regexes\) is not supported/, 1, 8);
  fails('start: "a"\n%frobnicate\n', /unknown directive %frobnicate/, 2, 1);
  fails("start: 'a'\n", /single-quoted strings are not supported/, 1, 8);
});

test('malformed grammars: each error names the problem and where', () => {
  fails('start: value\n', /undefined rule 'value'/, 1, 8);
  fails('start: VALUE\n', /undefined terminal VALUE/, 1, 8);
  fails('start: A\nA: B "x"\nB: C\nC: "(" A\n', /terminals cannot be recursive: A -> B -> C -> A/, 2, 1);
  fails('start: A\nA: "x" b\nb: "y"\n', /terminals cannot refer to rules: 'b' is a rule/, 2, 8);
  fails('start: "a" & "b"\n', /the & operator is only allowed in terminal definitions/, 1, 8);
  fails('start: ~"a"\n', /the ~ operator is only allowed in terminal definitions/, 1, 8);
  fails('start: "a"\nstart: "b"\n', /rule 'start' is defined twice \(first at line 1\)/, 2, 1);
  fails('start: "abc\n', /unterminated string literal/, 1, 8);
  fails('start: /abc\n', /unterminated regex literal/, 1, 8);
  fails('start: "a\\qb"\n', /unknown escape \\q/, 1, 10);
  fails('start: "a" $\n', /unexpected character "\$"/, 1, 12);
  fails('start: ("a" "b"\n', /expected '\)' to close the '\(' opened at line 1, column 8, found end of input/, 2, 1);
  fails('start: "a"{0}\n', /upper bound of 0/, 1, 11);
  fails('start: "a"{3,2}\n', /bounds are reversed/, 1, 11);
  fails('start: "a" )\n', /unexpected '\)'; expected the end of the line/, 1, 12);
  fails('Start: "a"\n', /'Start' is neither a rule name \(lowercase\) nor a terminal name \(UPPERCASE\)/, 1, 1);
  fails('start: "ab".."c"\n', /needs one character on each side/, 1, 8);
  fails('start: "b".."a"\n', /range "b".."a" is reversed/, 1, 8);
  fails('start: a\na: a "x"\n', /rule 'a' can never finish/, 2, 1);
  fails('start: "a" %json\n', /%json must be followed by a JSON object/, 1, 12);
  fails('start: <|eot_id|\n', /unterminated special token/, 1, 8);
});

test('limits: a terminal too large when repetition is counted out is a LIMIT error, without walking 2^N nodes', () => {
  const doubling = ['start: T40', 'T0: "a"'];
  for (let i = 1; i <= 40; i++) doubling.push(`T${i}: T${i - 1} T${i - 1}`);
  fails(doubling.join('\n'), /lexeme T40 has 2199023255551 regex nodes counting repetition \(limits.maxRegexSize is 4000000\)/, 1, 8, 'LIMIT');
  fails('start: X\nX: "ab"{2000000}\n', /lexeme X has 6000001 regex nodes/, 1, 8, 'LIMIT');
});

test('limits: nesting depth and grammar size', () => {
  const deep = `start: ${'('.repeat(300)}"a"${')'.repeat(300)}\n`;
  fails(deep, /nested deeper than limits.maxNesting \(200\)/, 1, 208, 'LIMIT');
  assert.throws(
    () => parseLark('start: "a" "b" "c" "d"\nx: start start\n', { limits: { maxGrammarSize: 6 } }),
    (e: unknown) => e instanceof EngineError && e.code === 'LIMIT' && /maxGrammarSize/.test(e.message) && e.position !== undefined,
  );
});

test('property: mutated grammars either compile or fail with a positioned EngineError (never a crash)', () => {
  const seeds = ['json', 'arithmetic', 'clike'].map((n) => read(`grammars/${n}.lark`));
  const pieces = ['"', '/', '(', ')', '[', ']', '{', '}', '|', '~', '&', '%ignore', '%json {}', '<|x|>', '<[1-2]>', '\n', ':', '?', '*', '+', '{2,3}', '~1..2', 'A', 'a', '#', '\\', '..', '->', '%import common.WS', '"x"{0}', '@g', 'é'];
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 }), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...pieces)), { maxLength: 6 }), (k, muts) => {
      let t = seeds[k]!;
      for (const [pos, del, ins] of muts) {
        const p = pos % (t.length + 1);
        t = t.slice(0, p) + ins + t.slice(p + del);
      }
      try {
        parseLark(t);
      } catch (e) {
        return e instanceof EngineError && e.position !== undefined && e.position.line >= 1 && e.position.column >= 1 && e.position.line <= t.split("\n").length;
      }
      return true;
    }),
    { numRuns: 300, seed: 11 },
  );
});
