export { tokenTrie, buildTokenTrie, walkTrie, type TokenTrie } from './token-trie.ts';
export { maskWords, newMask, setBit, clearBit, hasBit, popCount, nextSetBit, setBits } from './token-mask.ts';
