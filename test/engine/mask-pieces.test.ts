/**
 * Plans are assembled from shared parts (src/engine/matcher/mask.ts): exit ranges interned by
 * content, so a sub-plan is built once per (ranges, next start state) for every group that
 * restarts there, and pieces, the walk below a trie node per (node, lexer state after its byte),
 * shared by every walk that reaches that node in that state. Neither may change a mask. Checked
 * with Llama-3 on program texts, token by token: every mask from a grammar with its plan cache on
 * (and the full-mask cache off, so every mask is assembled from plans) equals the mask of the same
 * grammar compiled with every cache at 0 (each mask walks the whole trie), at every position; once
 * more with a plan budget that runs out midway, so pieces and ranges stop being kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { hasBit, llama3 } from './matcher-helpers.ts';

const tok = llama3();
const NO_CACHES = { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 };

/**
 * Keywords and identifiers with exclusions, operators that carry the white space after them, a
 * unary operator that repeats (every "-" of "-----" is a lexeme), lexeme fallback (`..`).
 */
const GO_LIKE = String.raw`
%llguidance {"lexeme_fallback": true}
start: (stmt _NL?)*
stmt: IF expr block | FOR expr block | VAR IDENT ASSIGN expr | IDENT ASSIGN expr | expr
block: LBRACE (stmt _NL?)* RBRACE
expr: unary (BINOP unary)* | expr RANGE expr
unary: MINUS unary | atom
atom: IDENT | NUMBER | LPAREN expr RPAREN | atom LPAREN [expr (COMMA expr)*] RPAREN | atom DOT IDENT
_GAP: /[ \t\n]*/
IF: "if" _GAP
FOR: "for" _GAP
VAR: "var" _GAP
LBRACE: "{" _GAP
RBRACE: "}"
LPAREN: "(" _GAP
RPAREN: ")"
COMMA: "," _GAP
ASSIGN: "=" _GAP
MINUS: "-" _GAP
DOT: "."
RANGE: ".."
BINOP: /[+*\/<>]|==|!=/ _GAP
IDENT: /[a-zA-Z_][a-zA-Z0-9_]*/ & ~/if|for|var/
NUMBER: /[0-9]+(\.[0-9]+)?/
_NL: /\n+/
%ignore /[ \t]+/
`;

/** The indentation grammar of program-features.test.ts. */
const PY_LIKE = String.raw`
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

const GO_TEXT = `var x = 1
for x < 10 {
  x = x + 1
  if x == 5 { print(x, ---x, -1..3) }
  y = foo(x).bar(-- - x, 2.5, 0..9)
}
z = (((x)))
`;

const PY_TEXT = `def f(a, b):
    if a:
        return b - a
    while b:
        b = b - 1
        x = [a, b, (a + b) * 2]
    return f(b, a)
x = f(1, 2)
`;

function assertSameMasks(lark: string, text: string, what: string, planCacheBytes?: number): ReturnType<ReturnType<typeof compile>['stats']> {
  const g = parseLark(lark);
  const ids = tok.encode(text);
  const shared = compile(g, tok, planCacheBytes === undefined ? { fullMaskCacheBytes: 0 } : { fullMaskCacheBytes: 0, planCacheBytes });
  const ref = compile(g, tok, NO_CACHES);
  const a = shared.matcher();
  const b = ref.matcher();
  const ma = new Uint32Array(shared.maskWords);
  const mb = new Uint32Array(ref.maskWords);
  for (let i = 0; i <= ids.length; i++) {
    a.computeMask(ma);
    b.computeMask(mb);
    if (!ma.every((w, k) => w === mb[k])) {
      const diff: number[] = [];
      for (let t = 0; t < tok.vocabSize && diff.length < 5; t++) if (hasBit(ma, t) !== hasBit(mb, t)) diff.push(t);
      assert.fail(`${what}: masks differ before token ${i}, e.g. tokens ${diff.map((t) => JSON.stringify(tok.decode([t]))).join(' ')}`);
    }
    if (i < ids.length) {
      assert.ok(a.consume(ids[i]!), `${what}: token ${i} refused`);
      assert.ok(b.consume(ids[i]!));
    }
  }
  assert.ok(a.isAccepting(), `${what}: accepted`);
  assert.equal(ref.stats().maskCacheBytes, 0, 'the reference cached nothing');
  if (planCacheBytes !== undefined) assert.ok(shared.stats().maskCacheBytes >= planCacheBytes, `${what}: the plan budget ran out`);
  return shared.stats();
}

test('Llama-3: masks assembled from pieces and shared exit ranges equal masks walked from scratch (keywords, gaps, unary runs, fallback)', () => {
  assertSameMasks(GO_LIKE, GO_TEXT, 'go-like');
});

test('Llama-3: the same with indentation (exit groups keyed by the newline column)', () => {
  assertSameMasks(PY_LIKE, PY_TEXT, 'python-like');
});

test('Llama-3: the same on a real Go file with grammars/go.lark', () => {
  const lark = readFileSync(new URL('../../grammars/go.lark', import.meta.url), 'utf8');
  const text = readFileSync(new URL('../fixtures/grammars/go/accept/workers.txt', import.meta.url), 'utf8');
  assertSameMasks(lark, text, 'go.lark workers.txt');
});

test('Llama-3: the same when the plan budget runs out midway (pieces and ranges stop being kept)', () => {
  const lark = readFileSync(new URL('../../grammars/go.lark', import.meta.url), 'utf8');
  const text = readFileSync(new URL('../fixtures/grammars/go/accept/collections.txt', import.meta.url), 'utf8');
  assertSameMasks(lark, text, 'go.lark collections.txt, 2 MiB of plans', 2 * 1024 * 1024);
});

test('Llama-3: the same on real TypeScript, with pieces taken below the top of the walks (keyword prefixes)', () => {
  // Inside an identifier that spells a keyword's prefix, most letters lead back to the plain
  // identifier state one or two bytes below the walk's top: pieces kept there (DEEP_PIECE_LEVELS).
  const lark = readFileSync(new URL('../../grammars/typescript.lark', import.meta.url), 'utf8');
  const source = (rel: string): string => readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8');
  const st = assertSameMasks(lark, source('src/engine/matcher/min-heap.ts') + '\n' + source('src/engine/trie/token-mask.ts'), 'typescript.lark');
  assert.ok(st.deepPieceHits > 0, `deep pieces were used (${st.deepPieceHits})`);
});
