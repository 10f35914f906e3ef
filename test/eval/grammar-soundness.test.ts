/**
 * The soundness harness (src/eval/grammar-soundness.ts): sampled texts of a grammar, parsed by
 * tree-sitter through Clew. A JavaScript subset written to be sound gives no failure; the same
 * grammar with one over-accepting rule (`a < > b`, doubled operators) must be reported, with seeds
 * that reproduce the texts and tree-sitter's error positions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSource } from '../../src/clew/index.ts';
import { byteTokenizer, compile, parseLark, sampleGrammar } from '../../src/engine/index.ts';
import { checkGrammarSoundness, soundnessExcerpt, treeSitterVerdict } from '../../src/eval/index.ts';
import { treeSitterJudge } from '../../bench/lib/tree-sitter-judge.ts';

const parseJs = treeSitterJudge('javascript');

const KEYWORDS = [
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof',
  'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static', 'super', 'switch',
  'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'async', 'of', 'get', 'set',
];

/**
 * A JavaScript subset: let, if/else, while, blocks, expressions without `/` (no regex literal
 * ambiguity). Written sound after the harness found two over-acceptances in a first draft: a
 * postfix `x++` lets ignored text put a line break before `++` (JavaScript's automatic semicolon
 * insertion then ends the statement at `x`), and NUL in a string or comment (tree-sitter reads NUL
 * as the end of input); at 1,000 samples, numbers with leading zeros (`00.5`, a legacy octal then
 * `.5`). Only prefix `++x` remains; strings and comments exclude NUL; numbers are `0` or `[1-9]…`.
 */
const JS_SUBSET = String.raw`
start: stmt+
stmt: "let" NAME "=" expr ";"
    | expr ";"
    | "if" "(" expr ")" block ["else" block]
    | "while" "(" expr ")" block
    | block
block: "{" stmt* "}"
expr: expr BINOP unary
    | unary
BINOP: "+" | "-" | "*" | "<" | ">" | "<=" | ">=" | "===" | "!==" | "&&" | "||"
unary: ("!" | "-" | "+") unary
     | ("++" | "--") NAME
     | postfix
postfix: postfix "(" [args] ")"
       | postfix "." NAME
       | postfix "[" expr "]"
       | atom
atom: NAME | NUMBER | STRING | "true" | "false" | "null" | "(" expr ")" | "[" [args] "]"
args: expr ("," expr)*
KEYWORD: ${KEYWORDS.map((k) => `"${k}"`).join(' | ')}
NAME: /[A-Za-z_$][A-Za-z0-9_$]*/ & ~KEYWORD
NUMBER: /(0|[1-9][0-9]*)(\.[0-9]+)?/
STRING: /"([^"\\\n\r\x00]|\\[nt"\\])*"/
%ignore /[ \t\n]+/
%ignore /\/\/[^\n\x00]*/
%ignore /\/\*([^*\x00]|\*+[^*\/\x00])*\*+\//
`;

/** The same language plus `a OP OP b` (`a < > b`, `x === === y`), which JavaScript rejects. */
const JS_OVER_ACCEPTING = JS_SUBSET.replace('expr: expr BINOP unary', 'expr: expr BINOP unary\n    | expr BINOP BINOP unary');

test('a sound grammar: every sample parses in tree-sitter-javascript', async () => {
  const g = parseLark(JS_SUBSET);
  const report = await checkGrammarSoundness(g, parseJs, { n: 150, seed: 1 });
  assert.equal(report.samples, 150);
  assert.deepEqual(report.unsampled, []);
  assert.deepEqual(
    report.failures.map((f) => `seed ${f.seed} ${f.what} at ${f.errorAt?.line}:${f.errorAt?.column}: ${f.excerpt}`),
    [],
  );
  assert.equal(report.parsed, 150);
  assert.equal(report.failed, 0);
  assert.equal(report.sampler.samples, 150);
  assert.ok(report.sampler.attempts >= 150);
});

test('an over-accepting grammar: failures are counted and listed with seed, excerpt and position', async () => {
  const g = parseLark(JS_OVER_ACCEPTING);
  const opts = { n: 120, seed: 1, maxListed: 5 };
  const report = await checkGrammarSoundness(g, parseJs, opts);
  const sound = compile(parseLark(JS_SUBSET), byteTokenizer());
  assert.equal(report.samples, 120);
  assert.equal(report.parsed + report.failed, report.samples);
  assert.ok(report.failed >= 5, `${report.failed} failures`);
  assert.equal(report.failures.length, 5, 'listing stops at maxListed; the count does not');
  for (const f of report.failures) {
    // The seed reproduces the text with the harness's sampling options (ignoreRate 0.05 by default).
    assert.equal(sampleGrammar(g, { seed: f.seed, ignoreRate: 0.05 }), f.text);
    assert.ok(f.errorAt && f.errorAt.line >= 1 && f.errorAt.column >= 1, JSON.stringify(f));
    assert.match(f.excerpt, /⟪here⟫/);
    assert.match(f.what ?? '', /^(ERROR|MISSING)/);
    // The sound grammar refuses the text: the failure is the added rule's doing.
    assert.equal(sound.check(f.text).accepted, false, f.text);
  }
  // At least one listed text holds two operators in a row, the over-acceptance we added.
  assert.ok(
    report.failures.some((f) => /(===|!==|&&|\|\||<=|>=|[+\-*<>])\s*(===|!==|&&|\|\||<=|>=|[*<>])/.test(f.text)),
    report.failures.map((f) => f.text).join('\n'),
  );
});

/**
 * A Python subset with blocks by indentation (the engine's `indentation` option), comments, calls.
 * The harness found what a first draft got wrong: `-not x` (unary minus binds tighter than `not`:
 * precedence levels written out now), `ifFalse` and `0.x` (NAME was lowercase only and NUMBER had
 * no `0.5`, so the sampler saw no lexeme that continues and wrote them touching, where Python reads
 * one identifier or a float: the grammar's lexemes must munch as far as Python's).
 */
const PY_SUBSET = String.raw`
%llguidance {"indentation": {"newline": "_NEWLINE", "indent": "_INDENT", "dedent": "_DEDENT", "open": ["(", "["], "close": [")", "]"]}}
%declare _INDENT _DEDENT
_NEWLINE: /(\r?\n[\t ]*)+/
%ignore /[\t ]+/
%ignore /#[^\r\n\x00]*/
start: stmt+
stmt: simple _NEWLINE
    | "if" expr ":" suite ("elif" expr ":" suite)* ["else" ":" suite]
    | "while" expr ":" suite
    | "def" NAME "(" [NAME ("," NAME)*] ")" ":" suite
suite: simple _NEWLINE
     | _NEWLINE _INDENT stmt+ _DEDENT
simple: NAME "=" expr | "pass" | "return" [expr] | expr
expr: expr ("and" | "or") negation | negation
negation: "not" negation | comparison
comparison: comparison ("<" | "==") arith | arith
arith: arith ("+" | "-" | "*") factor | factor
factor: "-" factor | postfix
postfix: postfix "(" [expr ("," expr)*] ")" | postfix "." NAME | postfix "[" expr "]" | atom
atom: NAME | NUMBER | STRING | "None" | "True" | "False" | "(" expr ")" | "[" [expr ("," expr)*] "]"
KEYWORD: "False" | "None" | "True" | "and" | "as" | "assert" | "async" | "await" | "break" | "class" | "continue"
       | "def" | "del" | "elif" | "else" | "except" | "finally" | "for" | "from" | "global" | "if" | "import"
       | "in" | "is" | "lambda" | "nonlocal" | "not" | "or" | "pass" | "raise" | "return" | "try" | "while"
       | "with" | "yield" | "match" | "case" | "type" | "print" | "exec"
NAME: /[A-Za-z_][A-Za-z0-9_]*/ & ~KEYWORD
NUMBER: /(0|[1-9][0-9]*)(\.[0-9]+)?/
STRING: /"([^"\\\n\r\x00]|\\[nt"\\])*"/
`;

const parsePython = treeSitterJudge('python');

/** True once the matcher implements the indentation option (added beside this harness). */
const INDENTATION_READY = (() => {
  try {
    return compile(parseLark(PY_SUBSET), byteTokenizer()).check('if a:\n    pass\nb = 1\n').accepted;
  } catch {
    return false;
  }
})();

test('a sound indentation grammar: every sample parses in tree-sitter-python', { skip: INDENTATION_READY ? false : 'the matcher does not implement indentation yet' }, async () => {
  const report = await checkGrammarSoundness(parseLark(PY_SUBSET), parsePython, { n: 150, seed: 1 });
  assert.deepEqual(
    report.failures.map((f) => `seed ${f.seed} ${f.what} at ${f.errorAt?.line}:${f.errorAt?.column}: ${f.excerpt}`),
    [],
  );
  assert.equal(report.parsed, 150);
});

test('treeSitterVerdict: the first ERROR or MISSING node in document order, 1-based', async () => {
  assert.deepEqual(await parseJs('let a = 1;\nf(a);\n'), { hasError: false });
  const v = await parseJs('let a = 1;\nlet b = a < > 2;\n');
  assert.equal(v.hasError, true);
  assert.equal(v.errorAt?.line, 2);
  assert.ok(v.errorAt!.column >= 9 && v.errorAt!.column <= 13, JSON.stringify(v));
  const missing = await parseJs('f(a;');
  assert.equal(missing.hasError, true);
  assert.match(missing.what ?? '', /^(MISSING|ERROR)/);
});

test('treeSitterVerdict: a MISSING hidden token (not among the children) is placed after the node before it', async () => {
  // tree-sitter-go does not read a block comment holding a line break as a line break (the Go
  // spec does): the statement terminator after the package clause is MISSING, as a hidden token.
  const tree = await parseSource('go', 'package a /*\n*/import "x"\n');
  try {
    const v = treeSitterVerdict(tree.rootNode);
    assert.deepEqual(v, { hasError: true, errorAt: { line: 2, column: 3 }, what: 'MISSING (a hidden token)' });
  } finally {
    tree.delete();
  }
});

test('soundnessExcerpt: the error line around the column, marked', () => {
  const text = 'first line\n' + 'x'.repeat(100) + 'ERR' + 'y'.repeat(100) + '\nlast';
  const e = soundnessExcerpt(text, { line: 2, column: 101 }, 5);
  assert.equal(e, '…xxxxx⟪here⟫ERRyy…');
  assert.equal(soundnessExcerpt('ab', { line: 1, column: 1 }), '⟪here⟫ab');
  assert.equal(soundnessExcerpt('short text', undefined), 'short text');
});

test('samples the sampler cannot produce are reported as unsampled, not as parse failures', async () => {
  // Greedy A swallows every "a": "A B" can never be written, so every seed runs out of tries.
  const g = parseLark('start: A B\nA: /a+/\nB: "a"');
  let parsed = 0;
  const report = await checkGrammarSoundness(g, () => (parsed++, { hasError: false }), { n: 3, seed: 7 });
  assert.equal(parsed, 0);
  assert.equal(report.samples, 0);
  assert.deepEqual(report.unsampled.map((u) => u.seed), [7, 8, 9]);
  assert.match(report.unsampled[0]!.message, /no sample for seed 7/);
});
