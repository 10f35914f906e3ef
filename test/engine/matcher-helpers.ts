/** Shared helpers for the matcher tests: tokenization paths and the mask/consume law. */
import assert from 'node:assert/strict';
import { loadTokenizer } from '../../src/engine/tokenizer/load.ts';
import type { Tokenizer } from '../../src/engine/tokenizer/types.ts';
import { tokenTrie } from '../../src/engine/trie/token-trie.ts';
import { compile, type CompiledGrammar } from '../../src/engine/matcher/compiled.ts';
import type { Grammar } from '../../src/engine/grammar/ir.ts';
import type { Matcher } from '../../src/engine/matcher/types.ts';
import { rng } from '../helpers/rng.ts';

export function llama3(): Tokenizer {
  return loadTokenizer('llama3');
}

export function hasBit(bits: Uint32Array, t: number): boolean {
  return ((bits[t >>> 5]! >>> (t & 31)) & 1) === 1;
}

/** Re-exported for the matcher tests that import it from here. */
export { rng };

/** Ids of the non-special tokens that are a prefix of bytes[pos..]. */
export function prefixTokens(tok: Tokenizer, bytes: Uint8Array, pos: number): number[] {
  const trie = tokenTrie(tok);
  const out: number[] = [];
  // Walk down the trie along the bytes: children of node i are found by scanning its subtree.
  let node = 0;
  for (let k = pos; k < bytes.length; k++) {
    const b = bytes[k]!;
    let child = node + 1;
    const end = node + trie.subtreeSize[node]!;
    let found = -1;
    while (child < end) {
      if (trie.byte[child] === b) {
        found = child;
        break;
      }
      child += trie.subtreeSize[child]!;
    }
    if (found < 0) break;
    node = found;
    for (let t = trie.tokenId[node]!; t >= 0; t = trie.nextSameBytes[t]!) out.push(t);
  }
  return out;
}

/** The token made of exactly one byte b (byte-level vocabularies have all 256). */
export function byteToken(tok: Tokenizer, b: number): number {
  const ids = prefixTokens(tok, Uint8Array.of(b), 0);
  assert.ok(ids.length > 0, `no single-byte token for byte ${b}`);
  return ids[0]!;
}

/** A tokenization of the text into single-byte tokens. */
export function byteSplit(tok: Tokenizer, text: string): number[] {
  return [...new TextEncoder().encode(text)].map((b) => byteToken(tok, b));
}

/** A random tokenization of the text into vocabulary tokens (each step picks a random prefix token). */
export function randomSplit(tok: Tokenizer, text: string, rand: () => number): number[] {
  const bytes = new TextEncoder().encode(text);
  const out: number[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const cands = prefixTokens(tok, bytes, pos);
    const t = cands[Math.floor(rand() * cands.length)]!;
    out.push(t);
    pos += tok.offsets[t + 1]! - tok.offsets[t]!;
  }
  return out;
}

/** Consumes tokens; true when all were consumed and the matcher then accepts. */
export function acceptsTokens(cg: CompiledGrammar, tokens: readonly number[]): boolean {
  const m = cg.matcher();
  for (const t of tokens) if (!m.consume(t)) return false;
  return m.isAccepting();
}

/**
 * The central law at the matcher's current position: a token is in the mask exactly when consuming
 * it succeeds (checked with consume + rollback on the same matcher), and EOS is in the mask exactly
 * when the matcher accepts (unless `checkEos` is false: a grammar that names an EOS token as a
 * special-token symbol allows it there). `sample` tokens are checked, plus up to `maxAllowed`
 * tokens of the mask.
 */
export function assertMaskAgrees(m: Matcher, tok: Tokenizer, bits: Uint32Array, sample: readonly number[], maxAllowed: number, where: string, checkEos = true): void {
  m.computeMask(bits);
  const pos = m.position;
  const check = (t: number): void => {
    const inMask = hasBit(bits, t);
    const ok = m.consume(t);
    if (ok) m.rollback(1);
    assert.equal(m.position, pos);
    if (inMask !== ok) {
      assert.fail(`${where}: token ${t} ${JSON.stringify(tok.decode([t]))}: mask says ${inMask}, consume says ${ok}`);
    }
  };
  for (const t of sample) check(t);
  let n = 0;
  for (let w = 0; w < bits.length && n < maxAllowed; w++) {
    let v = bits[w]!;
    while (v !== 0 && n < maxAllowed) {
      const t = (w << 5) + (31 - Math.clz32(v & -v));
      v &= v - 1;
      check(t);
      n++;
    }
  }
  if (checkEos) for (const e of tok.eosTokens) assert.equal(hasBit(bits, e), m.isAccepting(), `${where}: EOS ${e} in mask must equal isAccepting()`);
}

/** A fixed random sample of token ids plus every single-byte token. */
export function tokenSample(tok: Tokenizer, n: number, seed: number): number[] {
  const r = rng(seed);
  const out = new Set<number>();
  for (let b = 0; b < 256; b++) out.add(byteToken(tok, b));
  while (out.size < n + 256) out.add(Math.floor(r() * tok.vocabSize));
  return [...out];
}

/**
 * Every mask along `ids` equals the reference grammar's mask at the same position; the end accepts.
 * `before(side)` runs before each mask of `cg` (0) and of `ref` (1): to switch a global setting
 * between the two.
 */
export function sameMasks(cg: CompiledGrammar, ref: CompiledGrammar, ids: readonly number[], what: string, before?: (side: 0 | 1) => void): void {
  const a = new Uint32Array(cg.maskWords);
  const b = new Uint32Array(cg.maskWords);
  const m = cg.matcher();
  const r = ref.matcher();
  const tok = cg.tokenizer;
  for (let i = 0; i <= ids.length; i++) {
    before?.(0);
    m.computeMask(a);
    before?.(1);
    r.computeMask(b);
    if (!a.every((w, k) => w === b[k])) {
      const diff: number[] = [];
      for (let t = 0; t < a.length * 32 && diff.length < 5; t++) if (hasBit(a, t) !== hasBit(b, t)) diff.push(t);
      assert.fail(`${what}: masks differ before token ${i}, e.g. tokens ${diff.map((t) => (t < tok.vocabSize ? JSON.stringify(tok.decode([t])) : String(t))).join(' ')}`);
    }
    if (i < ids.length) {
      assert.ok(m.consume(ids[i]!), `${what}: token ${i} refused`);
      assert.ok(r.consume(ids[i]!));
    }
  }
  assert.ok(m.isAccepting(), `${what}: not accepting at the end`);
}

/**
 * Two compiles of `g`: masks with a global setting on (`set(true)`) equal masks with it off at every
 * token of every text, and the setting is on again afterwards. Neither compile takes plans from the
 * walks shared between grammars (the reference would read the other side's).
 */
export function settingKeepsMasks(g: Grammar, tok: Tokenizer, texts: readonly string[], set: (on: boolean) => void): { on: CompiledGrammar; off: CompiledGrammar } {
  const on = compile(g, tok, { sharedPlanBytes: 0 });
  const off = compile(g, tok, { sharedPlanBytes: 0 });
  try {
    for (const text of texts) sameMasks(on, off, tok.encode(text), text.slice(0, 50), (side) => set(side === 0));
  } finally {
    set(true);
  }
  return { on, off };
}

/** The mask/consume law at every position of `text` (byte vocabulary: 256 byte tokens and EOS, allowed exactly where the matcher accepts); the end accepts. */
export function lawHolds(cg: CompiledGrammar, tok: Tokenizer, text: string, what: string): void {
  const ids = tok.encode(text);
  const bits = new Uint32Array(cg.maskWords);
  const m = cg.matcher();
  for (let i = 0; i <= ids.length; i++) {
    m.computeMask(bits);
    for (let t = 0; t < 256; t++) {
      const ok = m.consume(t);
      if (ok) m.rollback(1);
      if (ok !== hasBit(bits, t)) assert.fail(`${what} byte ${i}: token ${t} mask ${hasBit(bits, t)} consume ${ok}`);
    }
    for (const e of tok.eosTokens) assert.equal(hasBit(bits, e), m.isAccepting(), `${what} byte ${i}: EOS`);
    if (i < ids.length) assert.ok(m.consume(ids[i]!), `${what} byte ${i} refused`);
  }
  assert.ok(m.isAccepting(), `${what}: not accepting at the end`);
}
