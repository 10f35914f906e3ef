import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../src/engine/errors.ts';
import type { EarleyParser } from '../../src/engine/parser/earley.ts';
import { GrammarBuilder } from '../../src/engine/grammar/builder.ts';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { literal } from '../../src/engine/regex/ast.ts';
import { assertMaskAgrees, byteSplit, hasBit, llama3, tokenSample } from './matcher-helpers.ts';

const tok = llama3();
const SAMPLE = tokenSample(tok, 500, 3);
const EOT = tok.specialId('<|eot_id|>')!;

function lark(text: string, limits?: Parameters<typeof compile>[2]) {
  return compile(parseLark(text), tok, limits);
}

function consumeAll(m: ReturnType<ReturnType<typeof lark>['matcher']>, text: string): boolean {
  for (const t of tok.encode(text)) if (!m.consume(t)) return false;
  return true;
}

test('rollback restores the exact state, and clones are independent', () => {
  const cg = lark('start: "(" list ")"\nlist: NAME ("," NAME)*\nNAME: /[a-z]+/\n%ignore " "');
  const m = cg.matcher();
  const bits = new Uint32Array(cg.maskWords);
  const before = new Uint32Array(cg.maskWords);
  assert.ok(consumeAll(m, '(alpha, be'));
  m.computeMask(before);
  const pos = m.position;
  const c = m.clone();
  assert.ok(consumeAll(m, 'ta, gamma)'));
  assert.ok(m.isAccepting());
  // The clone did not move.
  assert.equal(c.position, pos);
  assert.equal(c.isAccepting(), false);
  c.computeMask(bits);
  assert.deepEqual(bits, before);
  // Rolling back the original gives the same mask again, and consuming on the clone leaves it alone.
  m.rollback(m.position - pos);
  m.computeMask(bits);
  assert.deepEqual(bits, before);
  // "be" is a complete NAME, so the clone can close the list; the original is unaffected.
  assert.ok(c.consume(tok.encode(')')[0]!));
  assert.ok(c.isAccepting());
  m.computeMask(bits);
  assert.deepEqual(bits, before);
});

test('rollback past the start is a STATE error', () => {
  const cg = lark('start: "a"+');
  const m = cg.matcher();
  assert.ok(m.consume(tok.encode('a')[0]!));
  assert.throws(() => m.rollback(2), (e: unknown) => e instanceof EngineError && e.code === 'STATE');
});

test('a rejected token changes nothing', () => {
  const cg = lark('start: "yes" | "no"');
  const m = cg.matcher();
  const bits = new Uint32Array(cg.maskWords);
  const before = new Uint32Array(cg.maskWords);
  m.computeMask(before);
  assert.equal(m.consume(tok.encode('maybe')[0]!), false);
  assert.equal(m.position, 0);
  m.computeMask(bits);
  assert.deepEqual(bits, before);
});

test('EOS is allowed exactly when the grammar accepts, and consuming it stops the matcher', () => {
  const cg = lark('start: "ab"+');
  const m = cg.matcher();
  const bits = new Uint32Array(cg.maskWords);
  m.computeMask(bits);
  assert.equal(hasBit(bits, EOT), false);
  assert.equal(m.consume(EOT), false);
  assert.ok(consumeAll(m, 'abab'));
  m.computeMask(bits);
  assert.equal(hasBit(bits, EOT), true);
  assert.ok(hasBit(bits, tok.encode('ab')[0]!));
  assert.ok(m.consume(EOT));
  assert.ok(m.isStopped());
  m.computeMask(bits);
  assert.ok(bits.every((w) => w === 0), 'nothing after EOS');
  m.rollback(1);
  assert.equal(m.isStopped(), false);
});

test('a grammar that can only end reports isStopped before EOS', () => {
  const cg = lark('start: "done"');
  const m = cg.matcher();
  assert.equal(m.isStopped(), false);
  assert.ok(consumeAll(m, 'done'));
  assert.ok(m.isStopped());
  assert.ok(m.isAccepting());
});

test('forced tokens: the literal bytes the grammar forces, tokenized canonically', () => {
  const cg = lark('start: "{\\"name\\": \\"" NAME "\\", \\"version\\": 1}"\nNAME: /[a-z]+/');
  const m = cg.matcher();
  const forced = m.forcedTokens();
  // The first literal is forced; the last token is held back (it could merge with what follows).
  assert.ok(forced.length > 0);
  const text = tok.decode(forced);
  assert.ok('{"name": "'.startsWith(text), `forced ${JSON.stringify(text)}`);
  assert.deepEqual(forced, tok.encode('{"name": "').slice(0, forced.length));
  for (const t of forced) assert.ok(m.consume(t));
  // Inside NAME there is a choice: nothing is forced.
  assert.ok(consumeAll(m, tok.decode(tok.encode('{"name": "').slice(forced.length)) + 'x'));
  assert.deepEqual(m.forcedTokens(), []);
  // At the end the whole rest is forced, and nothing can follow, so every token is kept.
  assert.ok(consumeAll(m, 'yz"'));
  const rest = m.forcedTokens();
  assert.equal(tok.decode(rest), ', "version": 1}');
  for (const t of rest) assert.ok(m.consume(t));
  assert.ok(m.isAccepting());
});

test('special tokens are scanned by id, not by bytes', () => {
  const cg = lark('start: "a" <|eot_id|> "b" <[128010]>');
  const m = cg.matcher();
  const bits = new Uint32Array(cg.maskWords);
  assert.ok(consumeAll(m, 'a'));
  m.computeMask(bits);
  assert.ok(hasBit(bits, EOT));
  assert.equal(hasBit(bits, tok.encode('b')[0]!), false);
  // The token's text is not the token.
  const asText = m.clone();
  assert.equal(byteSplit(tok, '<|eot_id|>').every((t) => asText.consume(t)), false);
  assert.ok(m.consume(EOT));
  assert.equal(m.isStopped(), false, 'a special token of the grammar is not an end of sequence');
  assert.ok(consumeAll(m, 'b'));
  m.computeMask(bits);
  assert.ok(hasBit(bits, 128010));
  assert.equal(hasBit(bits, 128011), false);
  assert.ok(m.consume(128010));
  assert.ok(m.isAccepting());
});

test('%ignore lexemes may appear between any two lexemes without changing the parse', () => {
  const cg = lark('start: "f" "(" ARG ")"\nARG: /[0-9]+/\n%ignore /[ \\t]+/');
  assert.ok(cg.matches('f(1)'));
  assert.ok(cg.matches('  f \t ( 12 )  '));
  assert.equal(cg.matches('f(1 2)'), false);
  assert.equal(cg.matches('f (x)'), false);
  const m = cg.matcher();
  const bits = new Uint32Array(cg.maskWords);
  for (const t of tok.encode(' f ( 1')) {
    assertMaskAgrees(m, tok, bits, SAMPLE, 100, 'ignore');
    assert.ok(m.consume(t));
  }
});

test('keywords and identifiers: every lexeme matching the same bytes is scanned', () => {
  const cg = lark('start: stmt+\nstmt: "if" ID | ID "=" ID\nID: /[a-z]+/\n%ignore " "');
  assert.ok(cg.matches('if x'));
  assert.ok(cg.matches('if = x'), '"if" as an identifier');
  assert.ok(cg.matches('if x if = y'));
  assert.equal(cg.matches('if'), false);
});

test('lazy lexemes end at the first match', () => {
  const cg = lark('start: comment "!"\ncomment[lazy]: /#.*;/');
  assert.ok(cg.matches('# a ;!'));
  // Greedy would read up to the last ";"; lazy stops at the first one, so ";" then "!" is needed.
  assert.equal(cg.matches('# a ; b ;!'), false);
  const greedy = lark('start: COMMENT "!"\nCOMMENT: /#[^!]*;/');
  assert.ok(greedy.matches('# a ; b ;!'));
});

test('greedy lexing: a lexeme is not split where a longer one continues', () => {
  const cg = lark('start: A B\nA: /a+/\nB: /ab/');
  // "aab": A is greedy and eats "aa", then "b" cannot start B.
  assert.equal(cg.matches('aab'), false);
  assert.equal(cg.matches('aaab'), false);
});

test('nullable and left-recursive rules', () => {
  const b = new GrammarBuilder();
  const x = b.literal('x');
  const plus = b.literal('+');
  // expr: expr "+" term | term ; term: opt "x" ; opt: ε | "-" ; start: expr tail ; tail: ε
  const expr = b.newRule('expr');
  const term = b.newRule('term');
  const opt = b.newRule('opt');
  const tail = b.newRule('tail');
  const start = b.newRule('start');
  b.addAlternative(expr, [{ kind: 'rule', id: expr }, plus, { kind: 'rule', id: term }]);
  b.addAlternative(expr, [{ kind: 'rule', id: term }]);
  b.addAlternative(term, [{ kind: 'rule', id: opt }, x]);
  b.addAlternative(opt, []);
  b.addAlternative(opt, [b.literal('-')]);
  b.addAlternative(tail, []);
  b.addAlternative(start, [{ kind: 'rule', id: expr }, { kind: 'rule', id: tail }, { kind: 'rule', id: tail }]);
  const cg = compile(b.build(start), tok);
  assert.ok(cg.matches('x'));
  assert.ok(cg.matches('-x+x+-x'));
  assert.equal(cg.matches('x+'), false);
  assert.equal(cg.matches('--x'), false);
  const long = Array.from({ length: 500 }, () => 'x').join('+');
  assert.ok(cg.matches(long), 'left recursion over 500 repetitions');
  const m = cg.matcher();
  for (const t of byteSplit(tok, '-x+x')) assert.ok(m.consume(t));
  assert.ok(m.isAccepting());
});

test('a grammar whose rules are all nullable accepts the empty text', () => {
  const cg = lark('start: a b\na: "x"?\nb: "y"*');
  assert.ok(cg.matches(''));
  assert.ok(cg.matches('xyyy'));
  assert.ok(cg.matcher().isAccepting());
});

test('limits: maxItemsPerRow raises LIMIT instead of growing without bound', () => {
  // Right recursion keeps one item per open level in each row.
  const cg = lark('start: a\na: "x" a | "x"', { maxItemsPerRow: 50 });
  assert.throws(
    () => cg.matches('x'.repeat(200)),
    (e: unknown) => e instanceof EngineError && e.code === 'LIMIT' && /maxItemsPerRow/.test(e.message),
  );
});

test('limits: maxLexerStepsPerMask raises LIMIT during a mask', () => {
  const cg = lark('start: STR\nSTR: /"[^"]*"/', { maxLexerStepsPerMask: 3 });
  const m = cg.matcher();
  const bits = new Uint32Array(cg.maskWords);
  assert.throws(() => m.computeMask(bits), (e: unknown) => e instanceof EngineError && e.code === 'LIMIT');
});

test('limits: maxGrammarSize raises LIMIT at compile time', () => {
  const b = new GrammarBuilder();
  const r = b.newRule('start');
  for (let i = 0; i < 100; i++) b.addAlternative(r, [b.literal(`w${i}`)]);
  const g = b.build(r);
  assert.throws(() => compile(g, tok, { maxGrammarSize: 50 }), (e: unknown) => e instanceof EngineError && e.code === 'LIMIT');
});

test('check() says where the text fails and what was expected', () => {
  const cg = lark('start: "let" NAME "=" NUM ";"\nNAME: /[a-z]+/\nNUM: /[0-9]+/\n%ignore /[ \\n]+/');
  assert.deepEqual(cg.check('let x = 1;'), { accepted: true });
  const bad = cg.check('let x = y;');
  assert.equal(bad.accepted, false);
  assert.equal(bad.offset, 8);
  assert.equal(bad.line, 1);
  assert.equal(bad.column, 9);
  assert.ok(bad.expected!.includes('NUM'));
  const short = cg.check('let x =\n 1');
  assert.equal(short.incomplete, true);
  assert.equal(short.line, 2);
  assert.ok(short.expected!.includes('";"'), JSON.stringify(short));
});

test('check() names a keyword read where only a longer identifier could go on', () => {
  // IDENT excludes the keywords, so after `=` the bytes `let` are only the start of an identifier.
  const cg = lark('start: "let" IDENT "=" (IDENT | "if" IDENT) ";"\nIDENT: /[a-z]+/ & ~("let" | "if")\n%ignore " "');
  const bad = cg.check('let x = let;');
  assert.equal(bad.offset, 11);
  assert.deepEqual(bad.expected, ['the rest of IDENT']);
  assert.match(bad.message!, /\("let" is a keyword, not allowed here\)$/);
  // A keyword the parser allows, followed by a byte it refuses: no note (the keyword was fine).
  const after = cg.check('let x = if;');
  assert.equal(after.offset, 10);
  assert.doesNotMatch(after.message!, /keyword/);
});

test('an unknown special token in the grammar is a GRAMMAR error at compile time', () => {
  const g = parseLark('start: "a" <|no_such_token|>');
  assert.throws(() => compile(g, tok), (e: unknown) => e instanceof EngineError && e.code === 'GRAMMAR');
});

test('literal regex lexemes from the builder work without the Lark front end', () => {
  const b = new GrammarBuilder();
  const start = b.ruleWith('start', [[b.regex('HELLO', literal('hello'))]]);
  const cg = compile(b.build(start), tok);
  assert.ok(cg.matches('hello'));
  assert.equal(cg.matches('hell'), false);
});

test('a lexeme both used by the grammar and %ignored keeps both readings', () => {
  const cg = lark('start: "a" WS "b"\nWS: / +/\n%ignore WS');
  assert.ok(cg.matches('a b'));
  assert.ok(cg.matches(' a  b '));
  assert.equal(cg.matches('ab'), false, 'WS is required between a and b');
  const m = cg.matcher();
  const bits = new Uint32Array(cg.maskWords);
  for (const t of byteSplit(tok, ' a  b')) {
    assertMaskAgrees(m, tok, bits, SAMPLE, 100, 'used and ignored');
    assert.ok(m.consume(t));
  }
  assert.ok(m.isAccepting());
});

test('a special token that only a predicted rule expects is allowed and scanned', () => {
  // After "a" the rules `tail` and `more` are predicted: their items are the row's predicted part,
  // read from the prediction closure, not stored in the row (EarleyParser.predictedDots).
  const cg = lark('start: "a" tail\ntail: more | "c"\nmore: <|eot_id|> "b" | <[128010]>');
  const m = cg.matcher();
  const bits = new Uint32Array(cg.maskWords);
  assert.ok(consumeAll(m, 'a'));
  m.computeMask(bits);
  assert.ok(hasBit(bits, EOT));
  assert.ok(hasBit(bits, 128010));
  assert.equal(hasBit(bits, 128011), false);
  assert.ok(hasBit(bits, tok.encode('c')[0]!));
  const other = m.clone();
  assert.ok(other.consume(128010));
  assert.equal(other.isAccepting(), true);
  assert.ok(m.consume(EOT));
  assert.ok(consumeAll(m, 'b'));
  assert.equal(m.isAccepting(), true);
});

test('a row stores its kernel; its predicted part is read from the prediction closure, not copied', () => {
  const cg = lark('start: e\ne: e "+" t | t\nt: t "*" f | f\nf: "(" e ")" | /[0-9]+/');
  const m = cg.matcher();
  assert.ok(consumeAll(m, '1+'));
  const p = (m as unknown as { cur: { parser: EarleyParser } }).cur.parser;
  const top = p.depth - 1;
  // Kernel: e → e "+" • t. Predicted: t → • t "*" f, t → • f, f → • "(" e ")", f → • /[0-9]+/.
  assert.equal(p.rowTo(top) - p.rowFrom(top), 1);
  assert.equal(p.predictedDots(top).length, 4);
  assert.equal(p.topRowSize, 5);
});

test('a wildcard token set admits any token by id, and the mask agrees with consume', () => {
  const cg = lark('start: "x" <[*]>');
  const m = cg.matcher();
  const bits = new Uint32Array(cg.maskWords);
  assert.ok(consumeAll(m, 'x'));
  // EOS tokens are in the wildcard set, so they are allowed here as symbols, not as end of sequence.
  assertMaskAgrees(m, tok, bits, SAMPLE, 50, 'wildcard', false);
  assert.ok(hasBit(bits, EOT));
  assert.equal(m.isAccepting(), false);
  assert.ok(hasBit(bits, tok.encode('hello')[0]!));
  assert.ok(m.consume(tok.encode(' world')[0]!));
  assert.ok(m.isAccepting());
});

test('masks reused while reading inside one lexeme equal freshly computed ones', () => {
  const cg = lark('start: "{" (KEY ":" VAL ";")* "}"\nKEY: /[a-z_]+/\nVAL: /"[^"]*"/\n%ignore /[ \\n]+/');
  const text = '{ alpha_beta_gamma: "some long string value with words";\n   delta: "x";    }';
  const m = cg.matcher();
  const a = new Uint32Array(cg.maskWords);
  const b = new Uint32Array(cg.maskWords);
  for (const t of tok.encode(text)) {
    m.computeMask(a);
    m.clone().computeMask(b); // a clone starts without a remembered mask
    assert.deepEqual(a, b);
    assert.ok(hasBit(a, t));
    assert.ok(m.consume(t));
  }
  assert.ok(m.isAccepting());
});
