/**
 * The group memo (src/engine/matcher/group-memo.ts) keeps each exit group's contribution to a mask
 * keyed by the parser rows its pushes read, so a parser state never seen before (a new position, or
 * a row pushed during the same mask, one deeper for every operator of a run) reuses what an
 * earlier state with the same rows read computed. It must not change a mask. Checked with Llama-3
 * on the program grammars, token by token: a grammar with the memo (and its plan cache, the
 * full-mask cache off so every mask is assembled) gives the same mask at every position as the
 * same grammar with the memo off; once more with a memo budget that runs out midway; and with
 * every cache on against every cache off, which also checks the parser states the full-mask
 * cache is keyed by (rows copied for gap markers leave completed items out, parser/earley.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import type { Limits } from '../../src/engine/limits.ts';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { READ_RULES, type EarleyParser } from '../../src/engine/parser/earley.ts';
import { hasBit, llama3, sameMasks } from './matcher-helpers.ts';

const tok = llama3();
const NO_CACHES: Partial<Limits> = { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 };

const grammar = (lang: string): string => readFileSync(new URL(`../../grammars/${lang}.lark`, import.meta.url), 'utf8');
const fixture = (lang: string, name: string): string => readFileSync(new URL(`../fixtures/grammars/${lang}/accept/${name}.txt`, import.meta.url), 'utf8');

/** Unary runs (every "~" and "-" is a lexeme, and Llama-3 has tokens of 16 and more of them), generics, gaps. */
const TS_TEXT = `// Unary runs, generics and gaps.
export function f<T extends number>(a: T, b: readonly T[]): number {
  const x = ~~a + -(-b.length) - ~-~-a;
  let y = !!(a > 0) ? - - -x : +(+x);
  const z = ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~a;
  if (y < -1 && x >= ~0) {
    y = -y;
  } else {
    y -= 2;
  }
  return [x, y, z].map((v) => v * -1).reduce((s, v) => s + v, 0);
}

export class Box<T> {
  private items: Array<T> = [];
  add(item: T): this {
    this.items.push(item);
    return this;
  }
  get size(): number {
    return this.items.length;
  }
}
`;

/** Masks of `text` token by token under limits `a` and `b` must be equal; returns the first grammar's stats. */
function assertSameMasks(lark: string, text: string, what: string, a: Partial<Limits>, b: Partial<Limits>): ReturnType<ReturnType<typeof compile>['stats']> {
  const g = parseLark(lark);
  const ids = tok.encode(text);
  const ga = compile(g, tok, a);
  const gb = compile(g, tok, b);
  sameMasks(ga, gb, ids, what);
  return ga.stats();
}

const MEMO_ONLY: Partial<Limits> = { fullMaskCacheBytes: 0 };
const NO_MEMO: Partial<Limits> = { fullMaskCacheBytes: 0, memoCacheBytes: 0 };

for (const [lang, name, text] of [
  ['typescript', 'unary runs, generics, gap markers', TS_TEXT],
  ['python', 'inventory.txt (indentation)', fixture('python', 'inventory')],
  ['rust', 'exprs.txt', fixture('rust', 'exprs')],
  ['go', 'lexer.txt', fixture('go', 'lexer')],
] as const) {
  test(`Llama-3, grammars/${lang}.lark on ${name}: masks with the group memo equal masks without it`, () => {
    const st = assertSameMasks(grammar(lang), text, lang, MEMO_ONLY, NO_MEMO);
    assert.ok(st.groupMemoHits > 1000, `${lang}: the memo served groups (${st.groupMemoHits} hits, ${st.groupMemoMisses} misses)`);
    assert.ok(st.groupMemoEntries > 0);
  });
}

test('Llama-3: the same when the memo budget runs out midway (typescript.lark)', () => {
  const st = assertSameMasks(grammar('typescript'), TS_TEXT, 'typescript, small memo', { fullMaskCacheBytes: 0, memoCacheBytes: 256 * 1024 }, NO_MEMO);
  assert.ok(st.groupMemoHits > 0);
});

test('Llama-3: every cache on equals every cache off (typescript.lark and python.lark: parser states of gap rows and copies)', () => {
  assertSameMasks(grammar('typescript'), TS_TEXT, 'typescript, all caches', {}, NO_CACHES);
  assertSameMasks(grammar('python'), fixture('python', 'text-tools'), 'python, all caches', {}, NO_CACHES);
});

test('Llama-3: a run of unary operators is served by the memo at every depth', () => {
  // "~" is a lexeme of its own after "=": each character of a "~~~~" token pushes one row deeper,
  // and the rows differ at every depth (so the full-mask cache never sees them twice); the rows the
  // pushes read below them do not. The first masks store the chain bottom up; the mask at a new
  // "const z = " (a parser state never seen) is served from the memo.
  const g = parseLark(grammar('typescript'));
  const cg = compile(g, tok, { fullMaskCacheBytes: 0 });
  const m = cg.matcher();
  const bits = new Uint32Array(cg.maskWords);
  const warm = Array.from({ length: 6 }, (_, i) => `const a${i} = ~~x;\n`).join('') + 'const z = ';
  for (const id of tok.encode(warm)) {
    m.computeMask(bits);
    assert.ok(m.consume(id));
  }
  const before = cg.stats();
  m.computeMask(bits);
  const after = cg.stats();
  const run = tok.encode('~'.repeat(16));
  assert.equal(run.length, 1, 'Llama-3 has a token of 16 "~"');
  assert.ok(hasBit(bits, run[0]!), 'the run is allowed');
  const hits = after.groupMemoHits - before.groupMemoHits;
  const misses = after.groupMemoMisses - before.groupMemoMisses;
  assert.ok(hits >= 10, `the mask was served by the memo (${hits} hits, ${misses} misses)`);
  // With the memo off, the same mask pushes the chain again: the masks are equal (as everywhere).
  const ref = compile(g, tok, { fullMaskCacheBytes: 0, memoCacheBytes: 0 });
  const r = ref.matcher();
  const refBits = new Uint32Array(ref.maskWords);
  for (const id of tok.encode(warm)) assert.ok(r.consume(id));
  r.computeMask(refBits);
  assert.deepEqual(bits, refBits);
});

test('what completions read of a row is keyed without its items waiting for lexemes (EarleyParser.traceRow, not whole)', () => {
  // After "s(" the row's kernel holds `p: "(" . list ")"` and `q: "(" . "#"`; after "t(" only the
  // first. A completion of `list` reads only the items waiting for a rule, so the two rows' partial
  // keys are equal while their whole keys (what a scan reads) differ.
  const g = parseLark('start: "s" q ";" | "t" r ";"\nq: p | "(" "#"\nr: p\np: "(" list ")"\nlist: NAME ("," NAME)*\nNAME: /[a-z]+/\n');
  const cg = compile(g, byteTokenizer());
  const keys = (prefix: string): { whole: number[]; partial: number[] } => {
    const m = cg.matcher();
    for (const b of Buffer.from(prefix)) assert.ok(m.consume(b));
    const parser = (m as unknown as { cur: { parser: EarleyParser } }).cur.parser;
    const top = parser.depth - 1;
    const out = new Int32Array(256);
    parser.beginLabels();
    const whole = Array.from(out.subarray(0, parser.traceRow(top, out, 0)));
    parser.beginLabels();
    const partial = Array.from(out.subarray(0, parser.traceRead(top, READ_RULES, out, 0)));
    return { whole, partial };
  };
  const s = keys('s(');
  const t = keys('t(');
  assert.notDeepEqual(s.whole, t.whole);
  assert.deepEqual(s.partial, t.partial);
  assert.ok(s.partial.length > 1, 'the partial key holds the item waiting for list');
});
