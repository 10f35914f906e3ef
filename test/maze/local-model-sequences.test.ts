/**
 * The local backend with several context sequences (LoadLocalModelOptions.sequences), on the test
 * model: generations run together, each masked on its own (its own bias), each reproducing what it
 * writes alone with the same seed; calls beyond the sequences wait for one, and a bad count is a
 * USAGE error.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AnankeError } from '../../src/core/index.ts';
import { loadLocalModel, type LocalModel } from '../../src/maze/local-model.ts';

let model: LocalModel;
before(async () => { model = await loadLocalModel('test', { sequences: 3 }); });
after(async () => { await model?.dispose(); });

/** Bit i of word i>>5 set for every token whose text is made of these characters only. */
function maskOfChars(chars: RegExp): Uint32Array {
  const m = new Uint32Array((model.tokenizer.vocabSize + 31) >>> 5);
  for (let id = 0; id < model.tokenizer.vocabSize; id++) {
    if (model.tokenizer.isSpecial[id] === 1) continue;
    const t = model.tokenizer.decode([id]);
    if (t !== '' && chars.test(t)) m[id >>> 5]! |= 1 << (id & 31);
  }
  return m;
}

test('generations on different sequences run together, keep their own masks, and write what they write alone', async () => {
  assert.equal(model.sequences, 3);
  const digits = maskOfChars(/^[0-9]+$/);
  const letters = maskOfChars(/^[a-z]+$/);
  const masks = [digits, letters, digits, letters, digits];
  const run = (i: number) => model.generate(`prompt ${i}`, { maxTokens: 12, seed: i, step: () => ({ mask: masks[i]!, eosAllowed: false }) });
  const alone = [];
  for (let i = 0; i < masks.length; i++) alone.push(await run(i));
  // Five calls on three sequences: two wait for one to be free.
  const together = await Promise.all(masks.map((_, i) => run(i)));
  for (let i = 0; i < masks.length; i++) {
    const text = model.tokenizer.decode(together[i]!.tokens);
    assert.match(text, masks[i] === digits ? /^[0-9]+$/ : /^[a-z]+$/, `generation ${i}: ${text}`);
    assert.deepEqual(together[i]!.tokens, alone[i]!.tokens, `generation ${i} differs when run beside others`);
    assert.equal(together[i]!.stop, 'max_tokens');
  }
});

test('sequences must be a positive integer', async () => {
  await assert.rejects(loadLocalModel('test', { sequences: 0 }), (e) => e instanceof AnankeError && e.code === 'USAGE' && /sequences/.test(e.message));
});
