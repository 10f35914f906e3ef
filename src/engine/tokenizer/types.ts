/**
 * A tokenizer vocabulary as the engine needs it: the exact bytes of every token id, which ids are
 * special, and which end a sequence. Built once per process per tokenizer (it is cached by
 * loadTokenizer) and shared by every compiled grammar.
 */
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
  /** Encode text to ids the way the model's tokenizer does (no special tokens added). */
  encode(text: string): number[];
  /** Decode ids to text (bytes joined, then UTF-8 decoded; invalid sequences replaced). */
  decode(ids: readonly number[]): string;
}
