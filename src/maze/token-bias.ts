/**
 * A step's mask as the token bias llama.cpp's logit-bias sampler applies (docs/maze-local.md, "The
 * bias"): token ids and logits in typed arrays, in the form node-llama-cpp's native sampler takes
 * them (`tokenBiasKeys`, `tokenBiasValues`), for whichever side of the mask is smaller:
 *   - few allowed: every allowed token gets +POSITIVE_BIAS, so every other token's probability
 *     underflows to exactly 0;
 *   - few disallowed: every disallowed token gets -Infinity ("never").
 * End-of-sequence tokens follow `eosAllowed`, whatever their mask bits say.
 *
 * What it costs is what matters here (every sampled token pays it; bench/maze.ts measures it), so:
 *   - one logit per side, so the value arrays are filled once, at construction, and a step writes
 *     only ids;
 *   - the end tokens and the ids past the vocabulary are cleared from each mask word by one AND
 *     with a precomputed word, not tested id by id;
 *   - a word whose bits are all on the biased side is 32 consecutive ids, written without the
 *     bit loop;
 *   - the same mask and end decision as the previous fill (consecutive steps inside one lexeme —
 *     a comment, a string, an identifier — often have exactly the same mask) keeps the entries as
 *     they are: one comparison of the mask's bytes instead of a fill, and the very same arrays,
 *     which node-llama-cpp's sampler recognises as unchanged and keeps instead of rebuilding.
 */
import { AnankeError } from '../core/index.ts';

/**
 * The logit added to every allowed token when the allowed side is the smaller one. Big enough that
 * a disallowed token's probability underflows to 0 in float32 (e^-(1e4 - logit spread)/T) at any
 * temperature below ≈ 90, small enough that float32 keeps allowed logits apart to ≈ 0.001
 * (1e4 has a spacing of 2^-10), a relative probability error of at most 0.1%.
 */
export const POSITIVE_BIAS = 1e4;

export class TokenBiasBuilder {
  private readonly words: number;
  /** Per mask word: the bits that are ordinary tokens (not an end token, not past the vocabulary). */
  private readonly keep: Uint32Array;
  private readonly ids: Uint32Array;
  private readonly lift: Float32Array;
  private readonly never: Float32Array;
  /** The mask and end decision of the last fill, and what it gave (valid while `lastValid`). */
  private readonly lastMask: Uint32Array;
  private readonly lastBytes: Buffer;
  private lastEos = false;
  private lastAllowed = 0;
  private lastValid = false;
  /** The entries of the last fill: views of the first `count` ids and logits (undefined: none). */
  keys: Uint32Array | undefined;
  values: Float32Array | undefined;
  /** Whether the last fill kept the previous entries (same mask, same end decision). */
  reused = false;
  /** The mask of a step that allows everything (made on first use). */
  private all: Uint32Array | undefined;

  constructor(
    private readonly vocabSize: number,
    private readonly eosTokens: readonly number[],
  ) {
    this.words = (vocabSize + 31) >>> 5;
    this.keep = new Uint32Array(this.words).fill(0xffffffff);
    const tail = vocabSize & 31;
    if (tail !== 0) this.keep[this.words - 1] = (1 << tail) - 1;
    for (const id of eosTokens) this.keep[id >>> 5]! &= ~(1 << (id & 31));
    // The smaller side is at most half the vocabulary; the whole of it keeps the bound obvious.
    this.ids = new Uint32Array(vocabSize);
    this.lift = new Float32Array(vocabSize).fill(POSITIVE_BIAS);
    this.never = new Float32Array(vocabSize).fill(-Infinity);
    this.lastMask = new Uint32Array(this.words);
    this.lastBytes = Buffer.from(this.lastMask.buffer, 0, this.words * 4);
  }

  /**
   * Fills the entries for one step (`mask` null: everything allowed); returns the number of allowed
   * tokens, end tokens included (0: nothing can be sampled).
   */
  fill(mask: Uint32Array | null, eosAllowed: boolean): number {
    const words = this.words;
    const eos = this.eosTokens;
    // Everything allowed is rare (Maze always has a mask): the all-ones mask, through the same path.
    if (mask === null) mask = this.all ??= new Uint32Array(words).fill(0xffffffff);
    if (mask.length < words) throw new AnankeError('INTERNAL', `a mask of ${mask.length} words for a vocabulary of ${this.vocabSize} tokens (needs ${words})`);
    const keep = this.keep;
    // memcmp through Buffer views: 0.5 µs for Qwen3's 4,740 words against 3 µs for a JS loop.
    if (this.lastValid && this.lastEos === eosAllowed && this.lastBytes.equals(Buffer.from(mask.buffer, mask.byteOffset, words * 4))) {
      this.reused = true;
      return this.lastAllowed;
    }
    this.reused = false;
    let allowed = eosAllowed ? eos.length : 0;
    for (let w = 0; w < words; w++) {
      let x = mask[w]! & keep[w]!;
      x -= (x >>> 1) & 0x55555555;
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      allowed += Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    const ids = this.ids;
    let count = 0;
    if (allowed === 0) {
      this.set(0, this.lift);
    } else if (allowed <= this.vocabSize - allowed) {
      // Few allowed: lift them far above the rest.
      for (let w = 0; w < words; w++) count = pushBits(ids, count, mask[w]! & keep[w]!, w << 5);
      if (eosAllowed) for (let k = 0; k < eos.length; k++) ids[count++] = eos[k]!;
      this.set(count, this.lift);
    } else {
      // Few disallowed: rule them out.
      for (let w = 0; w < words; w++) count = pushBits(ids, count, ~mask[w]! & keep[w]!, w << 5);
      if (!eosAllowed) for (let k = 0; k < eos.length; k++) ids[count++] = eos[k]!;
      this.set(count, this.never);
    }
    this.lastMask.set(mask.subarray(0, words));
    this.lastEos = eosAllowed;
    this.lastAllowed = allowed;
    this.lastValid = true;
    return allowed;
  }

  /** No entries, and nothing kept for the next fill to reuse (a generation ends). */
  clear(): void {
    this.lastValid = false;
    this.reused = false;
    this.set(0, this.lift);
  }

  private set(count: number, logits: Float32Array): void {
    if (count === 0) {
      this.keys = undefined;
      this.values = undefined;
    } else {
      this.keys = this.ids.subarray(0, count);
      this.values = logits.subarray(0, count);
    }
  }
}

/** Appends the ids of the set bits of `x` (bit i: id base + i) at `count`; returns the new count. */
function pushBits(ids: Uint32Array, count: number, x: number, base: number): number {
  if (x === 0) return count;
  if (x === -1) {
    for (let i = 0; i < 32; i++) ids[count + i] = base + i;
    return count + 32;
  }
  while (x !== 0) {
    const low = x & -x;
    ids[count++] = base + 31 - Math.clz32(low);
    x ^= low;
  }
  return count;
}
