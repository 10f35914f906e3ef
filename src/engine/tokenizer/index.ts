export type { EncodeOptions, Tokenizer } from './types.ts';
export { PLAIN_TEXT } from './types.ts';
export { loadTokenizer, readTokenizer, tokenizerFromJson, tokenizerInfo, resolveTokenizerFile, WELL_KNOWN_EOS, type TokenizerInfo } from './load.ts';
export type { VocabKind } from './vocab-table.ts';
export { BYTE_TO_CHAR, CHAR_TO_BYTE, byteLevelDecode, byteLevelEncode } from './byte-unicode.ts';
