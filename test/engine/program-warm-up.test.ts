/**
 * The program-grammar warm-up (src/engine/warm-up/program-warm-up.ts): every language has warm-up
 * texts its shipped grammar accepts whole (so a grammar change that breaks one fails here, not
 * silently in a server's startup), a warm-up walks them with nothing refused, a grammar warmed
 * masks as the same grammar with every cache off, and the warm-up is bounded and never throws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  byteTokenizer, compile, loadProgramGrammar, parseLark, PROGRAM_LANGUAGES, programWarmUpTexts, warmUpProgram,
} from '../../src/engine/index.ts';
import { llama3, sameMasks } from './matcher-helpers.ts';

test('programWarmUpTexts: every language has at least 20 KB of texts, accepted whole by its grammar', () => {
  for (const lang of PROGRAM_LANGUAGES) {
    const texts = programWarmUpTexts(lang);
    assert.ok(texts.length >= 3, `${lang}: ${texts.length} texts`);
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t.text), 0);
    assert.ok(bytes >= 20_000, `${lang}: ${bytes} bytes`);
    if (lang === 'javascript') {
      assert.deepEqual(texts, programWarmUpTexts('typescript'));
      continue;
    }
    const cg = compile(loadProgramGrammar(lang), byteTokenizer());
    for (const { name, text } of texts) {
      const r = cg.check(text);
      assert.ok(r.accepted, `${lang}/${name}:${r.line}:${r.column}: ${r.message}`);
    }
  }
});

test('warmUpProgram: walks every text of the language to its end with nothing refused', () => {
  const cg = compile(loadProgramGrammar('go'), byteTokenizer());
  const r = warmUpProgram(cg, 'go');
  const texts = programWarmUpTexts('go');
  assert.equal(r.total, texts.length);
  assert.equal(r.texts, texts.length);
  assert.equal(r.refused, 0);
  assert.equal(r.cut, false);
  // The byte vocabulary: one mask per byte of each text.
  assert.equal(r.masks, texts.reduce((n, t) => n + Buffer.byteLength(t.text), 0));
});

test('warmUpProgram: reads keyword prefixes at identifier positions, and nothing else, then rolls them back', () => {
  const tok = llama3();
  const cg = compile(loadProgramGrammar('typescript'), tok);
  const r = warmUpProgram(cg, 'typescript');
  assert.equal(r.refused, 0);
  assert.equal(r.prefixPositions, 48);
  // Each position reads the prefix tokens its mask allows: ` re`, ` ret`, ` return`, `const`, ...
  assert.ok(r.prefixTokens > 48 * 50, `${r.prefixTokens} prefix tokens`);
  // The texts' own masks are unchanged by the reads (each is rolled back): the same count as a
  // walk of the texts alone.
  const alone = programWarmUpTexts('typescript').reduce((n, t) => n + tok.encode(t.text).length, 0);
  assert.equal(r.masks, alone);
  // A held-out text full of keyword prefixes masks as the same grammar with every cache off.
  const text = 'const re = 1;\nlet ret = re + 2;\nfunction imp(ex: number): number { return ex; }\nconst cl = imp(ret);\n';
  const ref = compile(loadProgramGrammar('typescript'), tok, { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 });
  sameMasks(cg, ref, tok.encode(text), 'keyword prefixes');
});

test('warmUpProgram: a warmed grammar masks a held-out text as the same grammar with every cache off', () => {
  const tok = llama3();
  const g = loadProgramGrammar('python');
  const cg = compile(g, tok);
  // Bounded, so the test stays short: the first texts are enough to fill the caches it checks.
  const r = warmUpProgram(cg, 'python', { maxMs: 1500 });
  assert.equal(r.refused, 0);
  // The keyword prefixes come first (the texts' first identifiers): on a loaded machine they can
  // take most of the 1.5 s.
  assert.ok(r.masks + r.prefixTokens > 100, `${r.masks} masks, ${r.prefixTokens} prefix tokens`);
  const text = [
    'import asyncio',
    'from dataclasses import dataclass, field',
    '',
    '@dataclass',
    'class Job:',
    '    name: str',
    '    tags: list[str] = field(default_factory=list)',
    '',
    '    async def run(self, retries: int = 3) -> bool:',
    '        for attempt in range(retries):',
    '            if await self._try(attempt):',
    '                return True',
    "        raise RuntimeError(f'{self.name!r} failed after {retries} tries')",
    '',
  ].join('\n');
  const ref = compile(g, tok, { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 });
  sameMasks(cg, ref, tok.encode(text), 'held-out Python');
});

test('warmUpProgram is bounded by maxMs and never throws, whatever grammar it is given', () => {
  const cg = compile(loadProgramGrammar('rust'), byteTokenizer());
  const none = warmUpProgram(cg, 'rust', { maxMs: 0 });
  assert.deepEqual({ texts: none.texts, masks: none.masks, cut: none.cut }, { texts: 0, masks: 0, cut: true });
  // Another language's grammar refuses the texts early: counted, not thrown.
  const json = compile(parseLark('start: "{" "}"'), byteTokenizer());
  const r = warmUpProgram(json, 'python');
  assert.equal(r.refused, r.total);
  assert.equal(r.texts, r.total);
});
