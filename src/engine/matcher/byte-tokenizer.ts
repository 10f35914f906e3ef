import { EngineError } from '../errors.ts';
import type { Tokenizer } from '../tokenizer/types.ts';

/**
 * A vocabulary of the 256 single bytes plus one end-of-sequence token (id 256, `<eos>`). Compiling
 * against it is cheap (no tokenizer file, a 257-node trie), so validating text with
 * `CompiledGrammar.check` does not need a model's vocabulary.
 */
export function byteTokenizer(): Tokenizer {
  cached ??= makeByteTokenizer();
  return cached;
}

let cached: Tokenizer | undefined;

const EOS_TEXT = '<eos>';

function makeByteTokenizer(): Tokenizer {
  const vocabSize = 257;
  const bytes = new Uint8Array(256);
  const offsets = new Uint32Array(vocabSize + 1);
  for (let b = 0; b < 256; b++) {
    bytes[b] = b;
    offsets[b + 1] = b + 1;
  }
  offsets[257] = 256;
  const isSpecial = new Uint8Array(vocabSize);
  isSpecial[256] = 1;
  const enc = new TextEncoder();
  const dec = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  return {
    name: 'bytes',
    vocabSize,
    bytes,
    offsets,
    isSpecial,
    eosTokens: [256],
    tokenBytes(id: number): Uint8Array {
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw new EngineError('TOKENIZER', `token id ${id} is out of range for the byte vocabulary`);
      return bytes.subarray(offsets[id]!, offsets[id + 1]!);
    },
    specialId(text: string): number | undefined {
      return text === EOS_TEXT ? 256 : undefined;
    },
    encode(text: string): number[] {
      return [...enc.encode(text)];
    },
    decode(ids: readonly number[]): string {
      return dec.decode(Uint8Array.from(ids.filter((i) => i < 256)));
    },
  };
}
