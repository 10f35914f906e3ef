import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { EngineError } from '../errors.ts';

/**
 * Text → token ids (IdEncoder), delegated to @huggingface/tokenizers (a JS port of the Rust `tokenizers`
 * crate: normalizer, pre-tokenizer regex, BPE / Unigram model, added-token splitting). Building it
 * costs ~0.5–1 s for a 150k vocabulary, so it is built on the first encode, not at load: most
 * users of a Tokenizer (masks, tries) never encode.
 *
 * Encoding adds no BOS/EOS (add_special_tokens: false). As in the reference, added tokens written
 * in the text (`<|im_end|>`, `<think>`) are recognized and produce their ids; with `specialTokens`
 * false, special ones are read as plain text (what the Rust crate's `split_special_tokens` does, which
 * the port lacks: the special added tokens are left out of the table it splits text by).
 */
export interface IdEncoder {
  encode(text: string, specialTokens: boolean): number[];
}

export function createReferenceEncoder(tokenizerJson: unknown, tokenizerConfig: unknown, source: string): IdEncoder {
  const build = (split: boolean): HfTokenizer => {
    try {
      return new HfTokenizer(split ? withoutSpecialAdded(tokenizerJson) : (tokenizerJson as object), (tokenizerConfig ?? {}) as object);
    } catch (e) {
      throw new EngineError('TOKENIZER', `${source}: the tokenizer's encoder could not be built: ${(e as Error).message}`);
    }
  };
  const hf = build(false);
  // The plain-text reading is built on its first use (building costs as much as the first).
  let plain: HfTokenizer | undefined;
  return {
    encode(text: string, specialTokens: boolean): number[] {
      const t = specialTokens ? hf : (plain ??= build(true));
      return t.encode(text, { add_special_tokens: false }).ids;
    },
  };
}

/** The tokenizer.json with only the added tokens that are not special (those the text may spell). */
function withoutSpecialAdded(tokenizerJson: unknown): object {
  const json = tokenizerJson as { added_tokens?: { special?: boolean }[] };
  if (!Array.isArray(json.added_tokens)) return json;
  return { ...json, added_tokens: json.added_tokens.filter((t) => t.special !== true) };
}
