/**
 * The trie walk of mask.ts for a lexer state whose every alive lexeme has one way to go on, spelled
 * byte by byte: the inside of a property name or an enum value, after its first distinguishing
 * bytes. Such states are most of the first visits in function-calling schemas (every position of a
 * property name is a new lexer state), and the general walk pays for them in lexer states: each
 * node it keeps is one derivative and one interned state (a few µs), although nothing is left to
 * decide. Here the walk follows the remaining strings through the trie by comparing bytes, builds
 * no lexer state, and yields exactly what the general walk would: the tokens that stay inside or end
 * with a lexeme, and the exits (where a lexeme ends and the next one starts) with the lexemes they
 * complete.
 */
import type { TokenTrie } from '../trie/token-trie.ts';

/**
 * What a literal walk found, appended to by each call: token ids, and per exit the lexemes it
 * completes (sorted ids; the same array object for every exit of one node, so callers can key
 * groups by identity), its trie range [first, end) and the depth of the node whose children start
 * the next lexeme.
 */
export class LiteralWalk {
  readonly tokens: number[] = [];
  readonly exitLexemes: number[][] = [];
  readonly exitFirst: number[] = [];
  readonly exitEnd: number[] = [];
  readonly exitDepth: number[] = [];
  /** Trie nodes looked at (statistics). */
  visited = 0;

  private exit(lexemes: number[], first: number, end: number, depth: number): void {
    this.exitLexemes.push(lexemes);
    this.exitFirst.push(first);
    this.exitEnd.push(end);
    this.exitDepth.push(depth);
  }

  /**
   * Walks the trie nodes [first, end) (siblings and their subtrees; their parent at depth `depth`)
   * from a state whose alive lexemes are `lexemes` (ascending) and still need the bytes `words[k]`
   * each (Lexer.literalsOf: a list ending with -1 goes on past the trie's depth). `fresh`: the state
   * is at a lexeme boundary (no exit before the first byte). `lazy[id]`: lexeme id ends at its
   * first match.
   */
  walk(trie: TokenTrie, first: number, end: number, depth: number, fresh: boolean, words: readonly (readonly number[])[], lexemes: Int32Array, lazy: Uint8Array): void {
    const live: number[] = [];
    for (let k = 0; k < words.length; k++) live.push(k);
    this.level(trie, first, end, depth, 0, live, fresh, words, lexemes, lazy);
  }

  /** The children [first, end) of a node reached after j bytes of the strings `live` (indices into words), at trie depth base + j. */
  private level(
    trie: TokenTrie,
    first: number,
    end: number,
    base: number,
    j: number,
    live: readonly number[],
    fresh: boolean,
    words: readonly (readonly number[])[],
    lexemes: Int32Array,
    lazy: Uint8Array,
  ): void {
    const size = trie.subtreeSize;
    const byteOf = trie.byte;
    // The node's own state: the lexemes complete here, and the next byte of each that goes on.
    let accepting: number[] | null = null;
    let last = -1;
    for (const k of live) {
      const w = words[k]!;
      if (w.length === j) (accepting ??= []).push(lexemes[k]!);
      else if (w[j]! > last) last = w[j]!;
    }
    // A byte that no string takes ends the lexeme before it, where the state accepts (not at a
    // lexeme boundary: lexemes are not empty).
    const exitsOnDeath = accepting !== null && !(j === 0 && fresh);
    for (let i = first; i < end; i += size[i]!) {
      const b = byteOf[i]!;
      // Children come in ascending byte order: past the largest byte a string takes, only exits remain.
      if (b > last && !exitsOnDeath) break;
      this.visited++;
      let next: number[] | null = null;
      for (const k of live) {
        const w = words[k]!;
        if (w.length > j && w[j] === b) (next ??= []).push(k);
      }
      if (next === null) {
        if (exitsOnDeath) this.exit(accepting!, i, i + size[i]!, base + j);
        continue;
      }
      for (let t = trie.tokenId[i]!; t >= 0; t = trie.nextSameBytes[t]!) this.tokens.push(t);
      // The child ends its lexeme when nothing goes on or a lazy lexeme is complete (core.ts F_ENDS).
      let done: number[] | null = null;
      let goesOn = false;
      let lazyDone = false;
      for (const k of next) {
        if (words[k]!.length === j + 1) {
          (done ??= []).push(lexemes[k]!);
          if (lazy[lexemes[k]!]) lazyDone = true;
        } else goesOn = true;
      }
      if (!goesOn || lazyDone) {
        if (size[i]! > 1) this.exit(done!, i + 1, i + size[i]!, base + j + 1);
        continue;
      }
      this.level(trie, i + 1, i + size[i]!, base, j + 1, next, fresh, words, lexemes, lazy);
    }
  }
}
