import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { EngineError } from '../errors.ts';

/**
 * Text → token ids (IdEncoder), delegated to @huggingface/tokenizers (a JS port of the Rust `tokenizers`
 * crate: normalizer, pre-tokenizer regex, BPE / Unigram model, added-token splitting). Building it
 * costs ~0.5–1 s for a 150k vocabulary, so it is built on the first encode, not at load: most
 * users of a Tokenizer (masks, tries) never encode.
 *
 * Encoding adds no BOS/EOS (add_special_tokens: false). As in the reference, added tokens written
 * in the text (`<|im_end|>`, `<think>`) are recognized and produce their ids.
 */
export interface IdEncoder {
  encode(text: string): number[];
}

export function createReferenceEncoder(tokenizerJson: unknown, tokenizerConfig: unknown, source: string): IdEncoder {
  let hf: HfTokenizer;
  try {
    hf = new HfTokenizer(tokenizerJson as object, (tokenizerConfig ?? {}) as object);
  } catch (e) {
    throw new EngineError('TOKENIZER', `${source}: the tokenizer's encoder could not be built: ${(e as Error).message}`);
  }
  return {
    encode(text: string): number[] {
      return hf.encode(text, { add_special_tokens: false }).ids;
    },
  };
}
