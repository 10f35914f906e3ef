/**
 * A tokenizer vocabulary as the engine needs it: the exact bytes of every token id, which ids are
 * special, and which end a sequence. Built once per process per tokenizer (it is cached by
 * loadTokenizer) and shared by every compiled grammar.
 */
export interface EncodeOptions {
  /** Whether special tokens' text becomes their ids (default true); false: it is plain text. */
  specialTokens?: boolean;
}

export interface Tokenizer {
  /** `llama3`, `qwen3`, or the path it was loaded from. */
  readonly name: string;
  /** Number of token ids (including special and added tokens); masks have this many bits. */
  readonly vocabSize: number;
  /** All token bytes concatenated; token i is bytes[offsets[i] .. offsets[i+1]). */
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
  /** 1 for special / control tokens (never produced by matching text), 0 otherwise. */
  readonly isSpecial: Uint8Array;
  /** End-of-sequence ids (there can be several, e.g. <|eot_id|> and <|end_of_text|>). */
  readonly eosTokens: readonly number[];
  tokenBytes(id: number): Uint8Array;
  /** Special token id by its text (`<|eot_id|>`), or undefined. */
  specialId(text: string): number | undefined;
  /**
   * Encode text to ids the way the model's tokenizer does (no BOS/EOS added). Added tokens written
   * in the text (`<|im_end|>`, `<think>`) become their ids, as in a prompt; with
   * `{ specialTokens: false }`, special ones are plain text, as a model writes them (it emits a
   * special token by id, never by spelling it): for text a grammar reads.
   */
  encode(text: string, opts?: EncodeOptions): number[];
  /** Decode ids to text (bytes joined, then UTF-8 decoded; invalid sequences replaced). */
  decode(ids: readonly number[]): string;
}

/** Encode options for text a grammar reads (model output, forced text, sources): specials are text. */
export const PLAIN_TEXT: EncodeOptions = Object.freeze({ specialTokens: false });
