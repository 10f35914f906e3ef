/**
 * A step's mask as the token bias llama.cpp's logit-bias sampler applies (docs/maze-local.md, "The
 * bias"): token ids and logits in typed arrays, in the form node-llama-cpp's native sampler takes
 * them (`tokenBiasKeys`, `tokenBiasValues`), for whichever side of the mask is smaller:
 *   - few allowed: every allowed token gets +POSITIVE_BIAS, so every other token's probability
 *     underflows to exactly 0;
 *   - few disallowed: every disallowed token gets -Infinity ("never").
 * End-of-sequence tokens follow `eosAllowed`, whatever their mask bits say. With the IR's soft biases
 * (soft-biases.ts), each allowed ordinary token the table biases gets one more entry, its weight,
 * after the side's entries (llama.cpp adds the entries of an id): never a disallowed or end token.
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
import type { SoftBiasTable } from './soft-biases.ts';

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
  private lastSoft: SoftBiasTable | null = null;
  private lastAllowed = 0;
  private lastValid = false;
  /** The entries of the last fill: views of the first `count` ids and logits (undefined: none). */
  keys: Uint32Array | undefined;
  values: Float32Array | undefined;
  /** Whether the last fill kept the previous entries (same mask, same end decision). */
  reused = false;
  /** The mask of a step that allows everything (made on first use). */
  private all: Uint32Array | undefined;
  /**
   * With soft biases (soft-biases.ts): ids and logits with room for the biased tokens after the
   * mask's side, the logits of each side prefilled, and how far past the side the last fill wrote
   * weights (restored to the side's logit by the next fill).
   */
  private softIds: Uint32Array | undefined;
  private softLift: Float32Array | undefined;
  private softNever: Float32Array | undefined;
  private dirtyLift = [0, 0];
  private dirtyNever = [0, 0];

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
   * tokens, end tokens included (0: nothing can be sampled). With `soft`, each allowed token that
   * has a soft weight gets one more entry, its weight, after the mask's side: llama.cpp's logit-bias
   * sampler adds every entry of an id to its logit, so a lifted token ends at POSITIVE_BIAS + weight
   * and a token of the unlisted side at its logit + weight. Disallowed and end tokens get none.
   */
  fill(mask: Uint32Array | null, eosAllowed: boolean, soft: SoftBiasTable | null = null): number {
    const words = this.words;
    const eos = this.eosTokens;
    // Everything allowed is rare (Maze always has a mask): the all-ones mask, through the same path.
    if (mask === null) mask = this.all ??= new Uint32Array(words).fill(0xffffffff);
    if (mask.length < words) throw new AnankeError('INTERNAL', `a mask of ${mask.length} words for a vocabulary of ${this.vocabSize} tokens (needs ${words})`);
    const keep = this.keep;
    // memcmp through Buffer views: 0.5 µs for Qwen3's 4,740 words against 3 µs for a JS loop.
    if (this.lastValid && this.lastEos === eosAllowed && this.lastSoft === soft && this.lastBytes.equals(Buffer.from(mask.buffer, mask.byteOffset, words * 4))) {
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
    const ids = soft === null ? this.ids : this.softArrays(soft);
    let count = 0;
    if (allowed === 0) {
      this.set(0, this.lift);
    } else if (allowed <= this.vocabSize - allowed) {
      // Few allowed: lift them far above the rest.
      for (let w = 0; w < words; w++) count = pushBits(ids, count, mask[w]! & keep[w]!, w << 5);
      if (eosAllowed) for (let k = 0; k < eos.length; k++) ids[count++] = eos[k]!;
      if (soft === null) this.set(count, this.lift);
      else this.appendSoft(mask, soft, count, this.softLift!, this.dirtyLift, POSITIVE_BIAS);
    } else {
      // Few disallowed: rule them out.
      for (let w = 0; w < words; w++) count = pushBits(ids, count, ~mask[w]! & keep[w]!, w << 5);
      if (!eosAllowed) for (let k = 0; k < eos.length; k++) ids[count++] = eos[k]!;
      if (soft === null) this.set(count, this.never);
      else this.appendSoft(mask, soft, count, this.softNever!, this.dirtyNever, -Infinity);
    }
    this.lastMask.set(mask.subarray(0, words));
    this.lastSoft = soft;
    this.lastEos = eosAllowed;
    this.lastAllowed = allowed;
    this.lastValid = true;
    return allowed;
  }

  /** No entries, and nothing kept for the next fill to reuse (a generation ends). */
  clear(): void {
    this.lastValid = false;
    this.lastSoft = null;
    this.reused = false;
    this.set(0, this.lift);
  }

  private set(count: number, logits: Float32Array, ids: Uint32Array = this.ids): void {
    if (count === 0) {
      this.keys = undefined;
      this.values = undefined;
    } else {
      this.keys = ids.subarray(0, count);
      this.values = logits.subarray(0, count);
    }
  }

  /** The id array with room for a table's biased tokens (grown once, kept for later tables). */
  private softArrays(soft: SoftBiasTable): Uint32Array {
    const size = this.vocabSize + soft.tokens;
    if (this.softIds === undefined || this.softIds.length < size) {
      this.softIds = new Uint32Array(size);
      this.softLift = new Float32Array(size).fill(POSITIVE_BIAS);
      this.softNever = new Float32Array(size).fill(-Infinity);
      this.dirtyLift = [0, 0];
      this.dirtyNever = [0, 0];
    }
    return this.softIds;
  }

  /**
   * After `count` entries of one side (logit `side`), one entry per allowed token with a soft
   * weight: the mask's bits ∩ the ordinary tokens ∩ the table's, word by word.
   */
  private appendSoft(mask: Uint32Array, soft: SoftBiasTable, count: number, logits: Float32Array, dirty: number[], side: number): void {
    // Weights the last fill of this side wrote past its entries go back to the side's logit.
    if (dirty[1]! > dirty[0]!) logits.fill(side, dirty[0], dirty[1]);
    const ids = this.softIds!;
    const keep = this.keep;
    const bits = soft.bits;
    const weight = soft.weight;
    const words = this.words;
    const start = count;
    for (let w = 0; w < words; w++) {
      const x = mask[w]! & keep[w]! & bits[w]!;
      if (x !== 0) count = pushBits(ids, count, x, w << 5);
    }
    for (let i = start; i < count; i++) logits[i] = weight[ids[i]!]!;
    dirty[0] = start;
    dirty[1] = count;
    this.set(count, logits, ids);
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
