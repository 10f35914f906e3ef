/**
 * The caches that make masks fast must not change them. The full-mask cache is keyed by the
 * interned parser state (parser/row-intern.ts): positions far apart in a text (every statement of a
 * block, every top-level function) share one state and one mask. Checked here on real programs of
 * the C-like grammar: with the byte vocabulary, every mask at every position obeys the mask/consume
 * law (consume never reads the cache); with Llama-3, masks served from the cache equal the masks a
 * freshly compiled grammar computes at the same position.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import { withLimits } from '../../src/engine/limits.ts';
import { loadProgramGrammar } from '../../src/engine/program-grammars.ts';
import { hasBit, lawHolds, llama3, sameMasks } from './matcher-helpers.ts';

const CLIKE = readFileSync(new URL('../../grammars/clike.lark', import.meta.url), 'utf8');
const program = (name: string): string => readFileSync(new URL(`../fixtures/grammars/clike/accept/${name}.txt`, import.meta.url), 'utf8');

test('byte vocabulary: cached masks obey the mask/consume law at every position of two C programs', () => {
  const tok = byteTokenizer();
  const cg = compile(parseLark(CLIKE), tok);
  for (const name of ['linked-list', 'bubble-sort']) lawHolds(cg, tok, program(name), name);
  const st = cg.stats();
  // The second program reuses states of the first: the cache really served masks.
  assert.ok(st.fullMaskHits > 500, `full-mask hits ${st.fullMaskHits}`);
  assert.ok(st.parserStates > 0 && st.parserStates < st.fullMaskMisses + 1);
});

test('Llama-3: masks served from the state cache equal masks computed from scratch', () => {
  const tok = llama3();
  const text = program('gcd-primes');
  const ids = tok.encode(text);
  const lark = parseLark(CLIKE);
  const cached = compile(lark, tok);
  const bits = new Uint32Array(cached.maskWords);
  const fresh = new Uint32Array(cached.maskWords);
  // Warm the cache with the whole program once.
  const warm = cached.matcher();
  for (const id of ids) {
    warm.computeMask(bits);
    assert.ok(warm.consume(id));
  }
  const hits0 = cached.stats().fullMaskHits;
  // Then compare at spread positions against the same grammar with every cache off.
  const uncached = compile(lark, tok, { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 });
  const m = cached.matcher();
  const step = Math.max(1, Math.floor(ids.length / 25));
  for (let i = 0; i < ids.length; i++) {
    if (i % step === 0) {
      m.computeMask(bits);
      const ref = uncached.matcher();
      for (let k = 0; k < i; k++) assert.ok(ref.consume(ids[k]!));
      ref.computeMask(fresh);
      assert.deepEqual(bits, fresh, `mask differs at token ${i}`);
    }
    assert.ok(m.consume(ids[i]!));
  }
  assert.ok(cached.stats().fullMaskHits > hits0, 'the second pass was served from the cache');
  assert.equal(uncached.stats().maskCacheBytes, 0, 'the reference cached nothing');
});

test('Llama-3: full masks stored as concatenated lists (a plan list, or several with EOS) read back equal to masks with every cache off', () => {
  const tok = llama3();
  // Property names and enum values (top plans and sub-plans that are lists), numbers, a string, and
  // the end where EOS joins the lists; each document twice, so the second pass reads the stored masks.
  const schema = { type: 'object', properties: { location: { type: 'string' }, unit: { enum: ['celsius', 'fahrenheit'] }, days: { type: 'integer' } }, required: ['location'] };
  const docs = ['{"location": "Paris, FR", "unit": "celsius", "days": 3}', '{"location": "x", "unit": "fahrenheit"}'];
  const lim = withLimits({});
  const cached = compile(compileJsonSchema(schema, { limits: lim }), tok, lim);
  const off = withLimits({ planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 });
  const uncached = compile(compileJsonSchema(schema, { limits: off }), tok, off);
  for (let pass = 0; pass < 2; pass++) for (const d of docs) sameMasks(cached, uncached, tok.encode(d), `pass ${pass}: ${d}`);
  const st = cached.stats();
  assert.ok(st.fullMaskHits > 20, `the second pass read stored masks (${st.fullMaskHits} hits)`);
});

test('Llama-3: a program grammar stores each distinct dense mask once, and serves every position as computed from scratch', () => {
  const tok = llama3();
  // A warm-up text (grammars/warm-up/): ~1,340 positions, ~260 distinct dense masks.
  const text = readFileSync(new URL('../../grammars/warm-up/python/models.py', import.meta.url), 'utf8');
  const ids = tok.encode(text);
  const g = loadProgramGrammar('python');
  const cached = compile(g, tok);
  const bits = new Uint32Array(cached.maskWords);
  const first = cached.matcher();
  for (const id of ids) {
    first.computeMask(bits);
    assert.ok(first.consume(id));
  }
  const st = cached.stats();
  // Past the first DEDUP_AFTER (64) bitmaps, a position whose mask is already stored names it.
  assert.ok(st.fullMaskBitmaps >= 64 && st.fullMaskEntries > st.fullMaskBitmaps + 100, JSON.stringify({ entries: st.fullMaskEntries, bitmaps: st.fullMaskBitmaps }));
  // Second pass: every mask comes from the cache (aliases included) and equals a cache-free one.
  sameMasks(cached, compile(g, tok, { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 }), ids, 'models.py, second pass');
  assert.ok(cached.stats().fullMaskHits - st.fullMaskHits > ids.length / 2);
});
