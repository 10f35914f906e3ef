/**
 * The top-level memo (src/engine/matcher/mask.ts, applyTop; docs/engine-optimizations.md §19)
 * keeps what all the exit groups of a top-level plan contribute to a mask, and the mask itself,
 * keyed by the lexer state and the parser rows their pushes read. It must not change a mask:
 * checked with Llama-3 on the program grammars and JSON, token by token, a grammar with the top
 * memo against the same grammar without it (the full-mask cache off on both, so every mask is
 * assembled; the group memo on both), at every position, and once with a memo budget that runs
 * out midway.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { setTopMemo } from '../../src/engine/matcher/mask.ts';
import type { Limits } from '../../src/engine/limits.ts';
import { llama3, sameMasks } from './matcher-helpers.ts';

const tok = llama3();
const grammar = (lang: string): string => readFileSync(new URL(`../../grammars/${lang}.lark`, import.meta.url), 'utf8');
const fixture = (lang: string, name: string): string => readFileSync(new URL(`../fixtures/grammars/${lang}/accept/${name}.txt`, import.meta.url), 'utf8');
const source = (rel: string): string => readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8');

/** Masks of `text` with the top memo (limits `a`) and without it must be equal; returns the first grammar's stats. */
function assertSameMasks(lark: string, text: string, what: string, a: Partial<Limits>): ReturnType<ReturnType<typeof compile>['stats']> {
  const g = parseLark(lark);
  const ids = tok.encode(text);
  const ga = compile(g, tok, a);
  const gb = compile(g, tok, { fullMaskCacheBytes: 0 });
  try {
    // The memo on for the first grammar's masks, off for the reference's.
    sameMasks(ga, gb, ids, what, (side) => setTopMemo(side === 0));
  } finally {
    setTopMemo(true);
  }
  assert.equal(gb.stats().topMemoHits, 0);
  return ga.stats();
}

const TOP: Partial<Limits> = { fullMaskCacheBytes: 0 };

for (const [lang, name, text] of [
  ['typescript', 'src/engine/matcher/min-heap.ts and src/engine/trie/token-mask.ts', source('src/engine/matcher/min-heap.ts') + '\n' + source('src/engine/trie/token-mask.ts')],
  ['python', 'inventory.txt and text-tools.txt (indentation)', fixture('python', 'inventory') + '\n' + fixture('python', 'text-tools')],
  ['rust', 'exprs.txt', fixture('rust', 'exprs')],
  ['go', 'lexer.txt', fixture('go', 'lexer')],
] as const) {
  test(`Llama-3, grammars/${lang}.lark on ${name}: masks with the top-level memo equal masks without it`, () => {
    const st = assertSameMasks(grammar(lang), text, lang, TOP);
    assert.ok(st.topMemoHits > 50, `${lang}: the top memo served masks (${st.topMemoHits} hits, ${st.topMemoMisses} misses)`);
  });
}

test('Llama-3, grammars/json.lark: the same on JSON documents', () => {
  const docs = [0, 1, 2].map((i) => JSON.stringify({ id: i, name: `item ${i}`, tags: ['a', 'b'], nested: { x: [1, 2.5, -3e4], y: null, z: true } }, null, 2)).join('\n');
  const st = assertSameMasks(grammar('json'), `[${docs.split('\n}\n').join('},\n')}]`.replace('}]', '}]'), 'json', TOP);
  assert.ok(st.topMemoHits > 0);
});

test('Llama-3: the same when the memo budget runs out midway (typescript.lark)', () => {
  const text = source('src/engine/matcher/min-heap.ts');
  const st = assertSameMasks(grammar('typescript'), text, 'typescript, small memo', { fullMaskCacheBytes: 0, memoCacheBytes: 4 << 20 });
  assert.ok(st.topMemoHits > 0);
});
