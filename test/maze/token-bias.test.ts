/**
 * The bias of one step (src/maze/token-bias.ts), without a runtime: the entries are exactly the
 * smaller side of the mask with the end tokens as `eosAllowed` says, whatever the mask's end bits
 * and the bits past the vocabulary say; a fill of the same mask keeps the entries, and a mask
 * changed in place (Maze reuses one buffer) is never taken for the previous one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { seededRandom } from '../../src/engine/index.ts';
import { POSITIVE_BIAS, TokenBiasBuilder } from '../../src/maze/token-bias.ts';

/** What the entries must be, written the plain way: one id at a time. */
function expected(vocab: number, eos: readonly number[], mask: Uint32Array | null, eosAllowed: boolean): { allowed: number; entries: Map<number, number> } {
  const isAllowed = (id: number): boolean => (eos.includes(id) ? eosAllowed : mask === null || ((mask[id >>> 5]! >>> (id & 31)) & 1) === 1);
  let allowed = 0;
  for (let id = 0; id < vocab; id++) if (isAllowed(id)) allowed++;
  const entries = new Map<number, number>();
  if (allowed === 0) return { allowed, entries };
  const lift = allowed <= vocab - allowed;
  for (let id = 0; id < vocab; id++) {
    if (lift && isAllowed(id)) entries.set(id, POSITIVE_BIAS);
    if (!lift && !isAllowed(id)) entries.set(id, -Infinity);
  }
  return { allowed, entries };
}

function entriesOf(b: TokenBiasBuilder): Map<number, number> {
  const out = new Map<number, number>();
  const keys = b.keys ?? new Uint32Array(0);
  const values = b.values ?? new Float32Array(0);
  assert.equal(keys.length, values.length);
  for (let i = 0; i < keys.length; i++) {
    assert.ok(!out.has(keys[i]!), `token ${keys[i]} twice`);
    out.set(keys[i]!, values[i]!);
  }
  return out;
}

/** A mask with about `density` of its bits set, garbage in the bits past the vocabulary included. */
function randomMask(words: number, density: number, seed: number): Uint32Array {
  const r = seededRandom(seed);
  const m = new Uint32Array(words);
  for (let w = 0; w < words; w++) {
    const pick = r();
    if (pick < 0.2) m[w] = 0;
    else if (pick < 0.4) m[w] = 0xffffffff;
    else for (let b = 0; b < 32; b++) if (r() < density) m[w]! |= 1 << b;
  }
  return m;
}

test('the entries are the smaller side of the mask, end tokens as eosAllowed says (property)', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1e6 }), fc.boolean(), fc.boolean(),
    (vocab, density, seed, eosAllowed, nullMask) => {
      const eos = [...new Set([vocab - 1, Math.floor(vocab / 3)])];
      const b = new TokenBiasBuilder(vocab, eos);
      const mask = nullMask ? null : randomMask((vocab + 31) >>> 5, density, seed);
      const want = expected(vocab, eos, mask, eosAllowed);
      assert.equal(b.fill(mask, eosAllowed), want.allowed);
      assert.deepEqual(entriesOf(b), want.entries);
    },
  ), { numRuns: 400 });
});

test('the Qwen3 vocabulary: half allowed, nearly all allowed, a handful allowed, nothing allowed', () => {
  const vocab = 151669;
  const eos = [128247, 151643, 151645, 151662, 151663, 151664];
  const words = (vocab + 31) >>> 5;
  const cases: Array<[string, Uint32Array]> = [
    ['half', randomMask(words, 0.5, 1)],
    ['nearly all', new Uint32Array(words).fill(0xffffffff).map((x, w) => (w % 97 === 0 ? 0xfffffffe : x))],
    ['a handful', new Uint32Array(words).map((_, w) => (w % 1000 === 0 ? 0b1011 : 0))],
    ['nothing', new Uint32Array(words)],
  ];
  const b = new TokenBiasBuilder(vocab, eos);
  for (const [name, mask] of cases) {
    for (const eosAllowed of [false, true]) {
      const want = expected(vocab, eos, mask, eosAllowed);
      assert.equal(b.fill(mask, eosAllowed), want.allowed, name);
      assert.deepEqual(entriesOf(b), want.entries, `${name}, end ${eosAllowed ? 'allowed' : 'not allowed'}`);
      assert.ok((b.keys?.length ?? 0) <= vocab / 2 + 1, `${name}: the smaller side`);
    }
  }
});

test('the same mask again keeps the entries; a mask changed in place, or another end decision, fills again', () => {
  const vocab = 1000;
  const eos = [7, 999];
  const b = new TokenBiasBuilder(vocab, eos);
  const mask = randomMask(32, 0.5, 3);
  b.fill(mask, false);
  assert.equal(b.reused, false);
  const keys = b.keys;
  b.fill(mask, false);
  assert.equal(b.reused, true);
  assert.equal(b.keys, keys, 'the very same arrays (the runtime keeps its sampler when they are equal)');
  // Maze reuses one mask buffer: a changed bit in the same buffer is a new mask.
  mask[5]! ^= 1 << 9;
  assert.equal(b.fill(mask, false), expected(vocab, eos, mask, false).allowed);
  assert.equal(b.reused, false);
  assert.deepEqual(entriesOf(b), expected(vocab, eos, mask, false).entries);
  b.fill(mask, true);
  assert.equal(b.reused, false);
  assert.deepEqual(entriesOf(b), expected(vocab, eos, mask, true).entries);
  // After clear() nothing is handed over and nothing is reused.
  b.clear();
  assert.equal(b.keys, undefined);
  b.fill(mask, true);
  assert.equal(b.reused, false);
  assert.deepEqual(entriesOf(b), expected(vocab, eos, mask, true).entries);
  // A null mask in between: the next fill of the old mask is not a reuse of stale ids.
  b.fill(null, false);
  assert.deepEqual(entriesOf(b), new Map(eos.map((id) => [id, -Infinity])));
  b.fill(mask, true);
  assert.equal(b.reused, false);
  assert.deepEqual(entriesOf(b), expected(vocab, eos, mask, true).entries);
});

test('a mask shorter than the vocabulary is refused', () => {
  const b = new TokenBiasBuilder(100, [99]);
  assert.throws(() => b.fill(new Uint32Array(3), false), /a mask of 3 words for a vocabulary of 100 tokens/);
});
