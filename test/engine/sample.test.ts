/**
 * The grammar sampler (src/engine/grammar/sample.ts, src/engine/sampling.ts). The law: a grammar
 * accepts what it generates — every sample is accepted by the compiled grammar as a whole text, and
 * token by token with the Llama-3 vocabulary every token is in the mask before it is consumed.
 * Checked on the shipped grammars and on random small grammars (fast-check).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  byteTokenizer, compile, EngineError, GrammarSampler, grammarSampler, hasBit, loadTokenizer, parseGbnf, parseLark,
  sampleGrammar, sampleGrammarTexts, seededRandom, type CompiledGrammar, type Grammar,
} from '../../src/engine/index.ts';
import { ROOT } from '../helpers/cli.ts';
import { randomSplit } from './matcher-helpers.ts';

const tok = loadTokenizer('llama3');
const grammarFile = (name: string): string => readFileSync(path.join(ROOT, 'grammars', name), 'utf8');
/** No lone surrogates: the UTF-8 round trip would replace them. */
const wellFormed = (t: string): boolean => new TextDecoder().decode(new TextEncoder().encode(t)) === t;

/** Token by token: each token of the path is in the mask before it is consumed; EOS at the end. */
function assertTokenByToken(cg: CompiledGrammar, tokens: readonly number[], where: string): void {
  const m = cg.matcher();
  const bits = new Uint32Array(cg.maskWords);
  for (let i = 0; i < tokens.length; i++) {
    m.computeMask(bits);
    assert.ok(hasBit(bits, tokens[i]!), `${where}: token ${i} (${JSON.stringify(tok.decode([tokens[i]!]))}) is not in the mask`);
    assert.ok(m.consume(tokens[i]!), `${where}: token ${i} was refused`);
  }
  assert.ok(m.isAccepting(), `${where}: not accepting at the end`);
  m.computeMask(bits);
  assert.ok(tok.eosTokens.some((e) => hasBit(bits, e)), `${where}: EOS not allowed at the end`);
}

const SHIPPED: { name: string; grammar: () => Grammar; n: number }[] = [
  { name: 'json.lark', grammar: () => parseLark(grammarFile('json.lark')), n: 60 },
  { name: 'arithmetic.lark', grammar: () => parseLark(grammarFile('arithmetic.lark')), n: 40 },
  { name: 'clike.lark', grammar: () => parseLark(grammarFile('clike.lark')), n: 40 },
  { name: 'json.gbnf', grammar: () => parseGbnf(grammarFile('json.gbnf')), n: 40 },
];

for (const { name, grammar, n } of SHIPPED) {
  test(`every sample of ${name} is accepted, whole and token by token (Llama-3)`, () => {
    const g = grammar();
    const sampler = grammarSampler(g, { ignoreRate: 0.1 });
    const byBytes = compile(g, byteTokenizer());
    const byTokens = compile(g, tok);
    const r = seededRandom(5);
    const texts = new Set<string>();
    for (let seed = 0; seed < n; seed++) {
      const { text, attempts } = sampler.sample(seed);
      assert.ok(attempts >= 1);
      texts.add(text);
      assert.ok(wellFormed(text), `seed ${seed}: not well-formed UTF-16`);
      const verdict = byBytes.check(text);
      assert.ok(verdict.accepted, `seed ${seed}: ${JSON.stringify(text)} rejected: ${verdict.message}`);
      assertTokenByToken(byTokens, tok.encode(text), `${name} seed ${seed} (canonical tokens)`);
      if (seed % 4 === 0) assertTokenByToken(byTokens, randomSplit(tok, text, r), `${name} seed ${seed} (random split)`);
    }
    // Varied, and cheap: the separators make the first try the accepted one almost always.
    assert.ok(texts.size >= n * 0.6, `${texts.size} distinct texts of ${n}`);
    assert.equal(sampler.stats.samples, n);
    assert.ok(sampler.stats.attempts <= n * 1.1, `${sampler.stats.attempts} tries for ${n} samples`);
  });
}

test('the same seed gives the same text; sampleGrammar and sampleGrammarTexts agree', () => {
  const g = parseLark(grammarFile('clike.lark'));
  const batch = [...sampleGrammarTexts(g, { seed: 100, n: 5 })];
  assert.equal(batch.length, 5);
  for (let i = 0; i < 5; i++) assert.equal(sampleGrammar(g, { seed: 100 + i }), batch[i]);
  assert.equal(new Set(batch).size, 5);
  const again = grammarSampler(g);
  assert.equal(again.sample(102).text, batch[2], 'order of calls does not matter');
});

test('clike samples: identifiers are never keywords, and the & / ~ terminals are respected', () => {
  const g = parseLark(grammarFile('clike.lark'));
  const keywords = new Set(['int', 'char', 'float', 'double', 'void', 'long', 'short', 'bool', 'unsigned', 'const', 'struct', 'if', 'else', 'while', 'do', 'for', 'return', 'break', 'continue', 'sizeof', 'true', 'false']);
  const sampler = grammarSampler(g);
  let idents = 0;
  for (let seed = 0; seed < 30; seed++) {
    const text = sampler.sample(seed).text;
    // Words that follow "struct" or precede "(" are identifiers (struct tags, calls).
    for (const m of text.matchAll(/\bstruct\s+([A-Za-z_]\w*)/g)) {
      idents++;
      assert.ok(!keywords.has(m[1]!), `seed ${seed}: struct tag ${m[1]} is a keyword`);
    }
  }
  assert.ok(idents > 5, `${idents} struct tags seen`);
});

test('a separator is put between two lexemes that would lex as one, and only there', () => {
  const g = parseLark(String.raw`
start: item+
item: ID | NUM | "+" | "++" | "(" | ")"
ID: /[a-z]+/
NUM: /[0-9]+/
%ignore /[ ]+/
`);
  const sampler = grammarSampler(g);
  let spaces = 0;
  let joined = 0;
  for (let seed = 0; seed < 120; seed++) {
    const text = sampler.sample(seed).text;
    // A space only where two words, two numbers or two pluses would otherwise merge.
    for (const m of text.matchAll(/ /g)) {
      spaces++;
      const before = text[m.index! - 1]!;
      const after = text[m.index! + 1]!;
      const sameClass = (/[a-z]/.test(before) && /[a-z]/.test(after)) || (/\d/.test(before) && /\d/.test(after)) || (before === '+' && after === '+');
      assert.ok(sameClass, `seed ${seed}: a needless space in ${JSON.stringify(text)} at ${m.index}`);
    }
    if (/[a-z][0-9(]|[)+][a-z]/.test(text)) joined++;
  }
  assert.ok(spaces > 5 && joined > 5, `spaces ${spaces}, joined boundaries ${joined}`);
});

test('a grammar whose lexemes can never be read apart fails after the bounded retries, with the reason', () => {
  // No %ignore, and A is greedy: "aa…a" is always one A, so "A B" can never be read.
  const g = parseLark('start: A B\nA: /a+/\nB: "a"');
  const sampler = grammarSampler(g, { maxAttempts: 7 });
  assert.throws(() => sampler.sample(1), (e: unknown) => e instanceof EngineError && e.code === 'LIMIT' && /no sample for seed 1 in 7 tries/.test(e.message) && /rejected/.test(e.message));
  assert.deepEqual(sampler.stats, { samples: 0, attempts: 7, rejected: 7, failed: 0 });
});

test('without a judge nothing is verified; with one, rejected tries are retried and counted', () => {
  const g = parseLark('start: "a" | "b" | "c"');
  const unverified = new GrammarSampler(g);
  assert.match(unverified.sample(3).text, /^[abc]$/);
  let calls = 0;
  const picky = new GrammarSampler(g, { accepts: (t) => (calls++, t === 'c') });
  for (let seed = 0; seed < 10; seed++) assert.equal(picky.sample(seed).text, 'c');
  assert.equal(picky.stats.samples, 10);
  assert.equal(picky.stats.attempts, calls);
  assert.equal(picky.stats.rejected, calls - 10);
  assert.ok(picky.stats.rejected > 5);
});

test('maxDepth bounds the nesting: past it every rule takes its shortest alternative', () => {
  const g = parseLark('start: "(" start ")" | "(" start start ")" | "x"');
  for (const maxDepth of [0, 1, 3, 6]) {
    const s = grammarSampler(g, { maxDepth });
    for (let seed = 0; seed < 30; seed++) {
      const text = s.sample(seed).text;
      let depth = 0;
      let deepest = 0;
      for (const c of text) {
        if (c === '(') deepest = Math.max(deepest, ++depth);
        if (c === ')') depth--;
      }
      assert.ok(deepest <= maxDepth, `maxDepth ${maxDepth}: ${text} nests ${deepest} deep`);
      if (maxDepth === 0) assert.equal(text, 'x');
    }
  }
});

test('maxBytes is a soft budget: once reached, the rest closes off by the shortest way', () => {
  const g = parseLark(grammarFile('arithmetic.lark'));
  const size = (maxBytes: number): number => {
    const s = grammarSampler(g, { maxDepth: 60, maxBytes });
    let most = 0;
    for (let seed = 0; seed < 30; seed++) most = Math.max(most, Buffer.byteLength(s.sample(seed).text));
    return most;
  };
  const small = size(40);
  assert.ok(small < 400, `longest sample with maxBytes 40: ${small} bytes`);
  assert.ok(size(4000) > small);
});

test('special tokens: alternatives that need one are never taken; a grammar that always needs one is refused', () => {
  const g = parseLark('start: "a" <[5]> | "b" | x\nx: <[7]> | "c"');
  const texts = new Set([...sampleGrammarTexts(g, { seed: 0, n: 40 })]);
  assert.deepEqual([...texts].sort(), ['b', 'c']);
  assert.throws(
    () => new GrammarSampler(parseLark('start: "a" <[5]>')),
    (e: unknown) => e instanceof EngineError && e.code === 'GRAMMAR' && /special token/.test(e.message),
  );
});

test('& and ~ terminals: rejection from the positive side, or a DFA walk when that rarely succeeds', () => {
  const g = parseLark(String.raw`
start: (A | B | C | D) ("," (A | B | C | D))*
A: /[a-z]{1,3}/ & ~("if" | "in" | "a")
B: /[a-z]+/ & /.*q.*/ & /.*z/
C: ~/[a-z]*/ & /[a-z0-9]{1,4}/
D: "<" (/(?s:.)*/ & ~/(?s:.)*>(?s:.)*/) ">"
`);
  const s = grammarSampler(g);
  const seen = { A: 0, B: 0, C: 0, D: 0 };
  for (let seed = 0; seed < 60; seed++) {
    const text = s.sample(seed).text;
    for (const part of splitTopLevel(text)) {
      if (/^[a-z]{1,3}$/.test(part) && !['if', 'in', 'a'].includes(part)) seen.A++;
      if (/^[a-z]*q[a-z]*z$/.test(part)) seen.B++;
      if (/^<[^>]*>$/.test(part)) seen.D++;
      else if (/^[a-z0-9]{1,4}$/.test(part) && /[0-9]/.test(part)) seen.C++;
    }
  }
  assert.ok(seen.A > 0 && seen.B > 0 && seen.C > 0 && seen.D > 0, JSON.stringify(seen));
  assert.equal(s.stats.rejected, 0);
});

/** Splits "x,<a,b>,y" at the commas outside <…>. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inside = false;
  for (const c of text) {
    if (c === '<' && !inside) inside = true;
    else if (c === '>' && inside) inside = false;
    if (c === ',' && !inside) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

test('lazy lexemes end at their first match, and samples respect it', () => {
  // The body /(?s:.)*/ may draw "*/" anywhere: the text is cut at the first match.
  const one = grammarSampler(parseLark('start: comment\ncomment[lazy]: "/*" /(?s:.)*/ "*/"'));
  let cut = 0;
  for (let seed = 0; seed < 60; seed++) {
    const text = one.sample(seed).text;
    assert.ok(text.startsWith('/*') && text.endsWith('*/') && text.length >= 4, JSON.stringify(text));
    assert.equal(text.indexOf('*/', 2), text.length - 2, `the first "*/" ends the comment: ${JSON.stringify(text)}`);
    if (text.length <= 5) cut++;
  }
  assert.ok(cut > 0, 'some comments are short, cut at an early "*/"');
  // Among other lexemes, each comment still ends at its first "*/".
  const mixed = grammarSampler(parseLark('start: (comment | WORD)+\ncomment[lazy]: "/*" /(?s:.)*/ "*/"\nWORD: /[a-z]+/\n%ignore " "'));
  let comments = 0;
  for (let seed = 0; seed < 40; seed++) {
    const text = mixed.sample(seed).text;
    for (let i = text.indexOf('/*'); i >= 0; i = text.indexOf('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      assert.ok(end >= 0, JSON.stringify(text));
      comments++;
      i = end + 2;
    }
  }
  assert.ok(comments > 5, `${comments} comments`);
});

test('non-ASCII classes give valid UTF-8; ignored comments are put in at ignoreRate', () => {
  const g = parseLark(String.raw`
start: W ("," W)*
W: /[α-ω\u{1F600}-\u{1F64F}]+/
%ignore /[ ]+/
%ignore /#[^\n]*\n/
`);
  const s = grammarSampler(g, { ignoreRate: 0.5 });
  let comments = 0;
  let astral = 0;
  for (let seed = 0; seed < 40; seed++) {
    const text = s.sample(seed).text;
    assert.ok(wellFormed(text));
    if (text.includes('#')) comments++;
    if (/[\u{1F600}-\u{1F64F}]/u.test(text)) astral++;
  }
  assert.ok(comments > 5 && astral > 5, `comments ${comments}, astral ${astral}`);
});

test('bad options are refused', () => {
  const g = parseLark('start: "a"');
  assert.throws(() => new GrammarSampler(g, { maxAttempts: 0 }), (e: unknown) => e instanceof EngineError && e.code === 'STATE');
  assert.throws(() => new GrammarSampler(g, { maxDepth: -1 }), (e: unknown) => e instanceof EngineError && e.code === 'STATE');
});

// ---- random small grammars ----------------------------------------------------------------------

/** Terminals random grammars use: literals that prefix each other, & / ~, Unicode, a lazy rule. */
const TERMS = ['"a"', '"ab"', '"if"', '"("', '")"', '"+"', '"++"', '"="', '"=="', 'ID', 'NUM', 'STR', 'GREEK', 'ODD', 'KW', 'blk'];
const TERM_DEFS = String.raw`
ID: /[a-z_][a-z0-9_]*/ & ~("if" | "ab" | "a")
NUM: /[0-9]+(\.[0-9]+)?/
STR: /"([^"\\\n]|\\[^\n])*"/
GREEK: /[α-ω]+/
ODD: /[a-c]{1,3}/ & ~/ab|ba/
KW: "select"i
blk[lazy]: "<" /[a-z =]*/ ">"
`;
const IGNORES = ['', '%ignore /[ \\t]+/', '%ignore /[ ]+/\n%ignore /#[^\\n]*\\n/', '%llguidance {"ignore_once": true}\n%ignore /[ \\n]+/'];

interface Spec {
  rules: { name: string; suffix: string }[][][];
  tokenAlt: boolean;
  ignore: number;
  seed: number;
}
const symArb = fc.record({
  name: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TERMS) }, { weight: 2, arbitrary: fc.constantFrom('r0', 'r1', 'r2', 'r3') }),
  suffix: fc.constantFrom('', '', '', '?', '*', '+'),
});
const specArb: fc.Arbitrary<Spec> = fc.record({
  rules: fc.array(fc.array(fc.array(symArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }), { minLength: 4, maxLength: 4 }),
  tokenAlt: fc.boolean(),
  ignore: fc.integer({ min: 0, max: IGNORES.length - 1 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

function larkOf(spec: Spec): string {
  const lines = ['start: r0'];
  spec.rules.forEach((alts, i) => {
    const body = alts.map((a) => a.map((s) => s.name + s.suffix).join(' '));
    // A real special token of Llama-3 (a grammar that names an id scans that id as the symbol, so
    // an id that is also text, like 1 = '"', would change what the text's tokens mean).
    if (spec.tokenAlt && i === 1) body.push('<[128010]> r2');
    body.push(`"${'xyzw'[i]}"`); // a terminal-only alternative keeps every rule productive
    lines.push(`r${i}: ${body.join(' | ')}`);
  });
  return `${IGNORES[spec.ignore]}\n${lines.join('\n')}\n${TERM_DEFS}`;
}

test('law on random grammars: every sample is accepted whole and token by token (Llama-3)', () => {
  let samples = 0;
  let unsampleable = 0;
  let withWhitespaceIgnore = 0;
  fc.assert(
    fc.property(specArb, (spec) => {
      const lark = larkOf(spec);
      const g = parseLark(lark);
      const byTokens = compile(g, tok);
      const sampler = grammarSampler(g, { maxAttempts: 20, ignoreRate: 0.2 });
      const r = seededRandom(spec.seed);
      for (let k = 0; k < 4; k++) {
        let text: string;
        try {
          text = sampler.sample(spec.seed + k).text;
        } catch (e) {
          // Only grammars without %ignore may be impossible to write (greedy lexemes that touch).
          assert.ok(e instanceof EngineError && e.code === 'LIMIT', String(e));
          assert.equal(spec.ignore, 0, `a grammar with %ignore could not be sampled:\n${lark}\n${(e as Error).message}`);
          unsampleable++;
          continue;
        }
        samples++;
        if (spec.ignore > 0) withWhitespaceIgnore++;
        const where = `grammar:\n${lark}\nseed ${spec.seed + k}: ${JSON.stringify(text)}`;
        assert.ok(byTokens.check(text).accepted, `${where} rejected by the Llama-3 compile`);
        assertTokenByToken(byTokens, tok.encode(text), `${where} (canonical)`);
        assertTokenByToken(byTokens, randomSplit(tok, text, r), `${where} (random split)`);
      }
    }),
    { numRuns: 30, seed: 20240917 },
  );
  assert.ok(samples > 80 && withWhitespaceIgnore > 40, `samples ${samples} (${withWhitespaceIgnore} with %ignore), unsampleable ${unsampleable}`);
});

// ---- zero-width terminals: indentation and gap markers -------------------------------------------

const INDENTED = String.raw`
%llguidance {"indentation": {"newline": "_NEWLINE", "indent": "_INDENT", "dedent": "_DEDENT", "open": ["(", "["], "close": [")", "]"]}}
%declare _INDENT _DEDENT
_NEWLINE: /(\r?\n[\t ]*)+/
%ignore /[\t ]+/
%ignore /#[^\r\n]*/
start: stmt+
stmt: simple _NEWLINE
    | "if" expr ":" suite ("elif" expr ":" suite)* ["else" ":" suite]
    | "while" expr ":" suite
suite: simple _NEWLINE
     | _NEWLINE _INDENT stmt+ _DEDENT
simple: NAME "=" expr | "pass" | expr
expr: expr "+" atom | atom
atom: NAME | NUMBER | "(" expr ("," expr)* ")" | "[" [expr ("," expr)*] "]"
NAME: /[a-z_][a-z0-9_]*/ & ~("if" | "elif" | "else" | "while" | "pass")
NUMBER: /0|[1-9][0-9]*/
`;

/** Lark's Indenter on lines: after a line ending in ':' the next is deeper; a dedent lands on a level. */
function assertIndentation(text: string): { indents: number; dedents: number } {
  const levels = [0];
  let opened = false;
  let indents = 0;
  let dedents = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const col = line.length - line.trimStart().length;
    const top = levels[levels.length - 1]!;
    if (opened) {
      assert.ok(col > top, `a block must be indented: ${JSON.stringify(line)} in\n${text}`);
      levels.push(col);
      indents++;
    } else if (col < top) {
      while (levels[levels.length - 1]! > col) {
        levels.pop();
        dedents++;
      }
      assert.equal(levels[levels.length - 1], col, `dedent to an unknown level: ${JSON.stringify(line)} in\n${text}`);
    } else assert.equal(col, top, `unexpected indent: ${JSON.stringify(line)} in\n${text}`);
    opened = /:\s*(#.*)?$/.test(line);
  }
  assert.ok(!opened, 'the text does not end with an open block');
  return { indents, dedents };
}

test('indentation: each _NEWLINE is written with the column its _INDENT/_DEDENT need (no judge)', () => {
  const g = parseLark(INDENTED);
  const s = new GrammarSampler(g, { ignoreRate: 0.1 });
  let indents = 0;
  for (let seed = 0; seed < 60; seed++) indents += assertIndentation(s.sample(seed).text).indents;
  assert.ok(indents > 20, `${indents} indented blocks`);
});

/** True once the matcher implements the option (being added beside this sampler). */
function engineAccepts(lark: string, text: string): boolean {
  try {
    return compile(parseLark(lark), byteTokenizer()).check(text).accepted;
  } catch {
    return false;
  }
}
const INDENTATION_READY = engineAccepts(INDENTED, 'if a:\n    pass\nb = 1\n');

test('indentation: samples are accepted whole and token by token (Llama-3)', { skip: INDENTATION_READY ? false : 'the matcher does not implement indentation yet' }, () => {
  const g = parseLark(INDENTED);
  const sampler = grammarSampler(g, { ignoreRate: 0.1 });
  const byTokens = compile(g, tok);
  for (let seed = 0; seed < 30; seed++) {
    const text = sampler.sample(seed).text;
    assertIndentation(text);
    assertTokenByToken(byTokens, tok.encode(text), `seed ${seed} ${JSON.stringify(text)}`);
  }
  assert.ok(sampler.stats.attempts <= 33, JSON.stringify(sampler.stats));
});

const GAPS = String.raw`
%llguidance {"gap": {"_TIGHT": "none", "_SAMELINE": "no_newline", "_NL": "newline"}}
%declare _TIGHT _SAMELINE _NL _UNUSED
%ignore /[ \n]+/
start: stmt+
stmt: "return" _SAMELINE expr _NL
    | expr ">" _TIGHT ">" expr ";"
    | "never" _UNUSED ";"
expr: NAME | "(" expr ")"
NAME: /[a-z]+/ & ~("return" | "never")
`;

test('gap markers: none touches, no_newline keeps a line, newline breaks one; a declared terminal with no role is never used (no judge)', () => {
  const g = parseLark(GAPS);
  const s = new GrammarSampler(g, { ignoreRate: 0.5 });
  let returns = 0;
  let shifts = 0;
  for (let seed = 0; seed < 60; seed++) {
    const text = s.sample(seed).text;
    assert.doesNotMatch(text, /never/);
    for (const m of text.matchAll(/return([ \n]*)/g)) {
      returns++;
      assert.doesNotMatch(m[1]!, /\n/, `a line break after return in ${JSON.stringify(text)}`);
    }
    // The gap after a return's expression, before the next statement, holds a line break.
    for (const gapText of gapsAfterReturnExpr(text)) assert.match(gapText, /\n/, JSON.stringify(text));
    shifts += (text.match(/>>/g) ?? []).length;
    assert.doesNotMatch(text, />[ \n]+>/, `a gap in >> in ${JSON.stringify(text)}`);
  }
  assert.ok(returns > 10 && shifts > 10, `returns ${returns}, shifts ${shifts}`);
});

/** The whitespace after each `return <expr>` that is followed by more text. */
function gapsAfterReturnExpr(text: string): string[] {
  const toks = text.match(/return|[a-z]+|[()>;]|\s+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (toks[i] !== 'return') continue;
    let depth = 0;
    let j = i + 1;
    for (; j < toks.length; j++) {
      const t = toks[j]!;
      if (/^\s/.test(t)) continue;
      if (t === '(') depth++;
      else if (t === ')') depth--;
      if (depth === 0) break; // a NAME, or the ')' closing the expression
    }
    if (j + 2 < toks.length || (j + 1 < toks.length && !/^\s/.test(toks[j + 1]!))) out.push(/^\s/.test(toks[j + 1] ?? '') ? toks[j + 1]! : '');
  }
  return out;
}

const GAPS_READY = engineAccepts(GAPS, 'return a\nb>>c;');

test('gap markers: samples are accepted by the compiled grammar', { skip: GAPS_READY ? false : 'the matcher does not implement gap markers yet' }, () => {
  const g = parseLark(GAPS);
  const sampler = grammarSampler(g, { ignoreRate: 0.5 });
  for (let seed = 0; seed < 40; seed++) sampler.sample(seed);
  assert.ok(sampler.stats.attempts <= 44, JSON.stringify(sampler.stats));
});
