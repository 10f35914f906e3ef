/**
 * One text walked through a compiled grammar the way a generation would meet it: a fresh matcher,
 * a full mask before each token, then the token. Both warm-ups (tool schemas, program grammars)
 * walk their texts so; what stays behind is the grammar's caches and V8's optimized code.
 */
import type { CompiledGrammar } from '../matcher/compiled.ts';
import type { TokenMatcher } from '../matcher/matcher.ts';
import { PLAIN_TEXT } from '../tokenizer/types.ts';

/**
 * Called at each position after its mask (in `bits`), before the text's next token: it may read
 * other tokens there, and leaves the matcher as it found it (consume, then rollback).
 */
export type AtPosition = (m: TokenMatcher, bits: Uint32Array, next: number) => void;

export interface TextWalk {
  masks: number;
  /** The walk stopped at a token its mask refused, or at a limit of the grammar's. */
  refused: boolean;
  /** The deadline passed before the text's end. */
  cut: boolean;
}

/**
 * Walks `text` through `grammar` until its end, a refused token or a limit (refused), or until
 * performance.now() passes `deadline` (cut; read every 8 masks: a mask is microseconds, a cold one
 * a few milliseconds). `bits` is a mask buffer of grammar.maskWords words; `at` runs at each
 * position. Never throws for what the grammar does with the text.
 */
export function walkText(grammar: CompiledGrammar, text: string, bits: Uint32Array, deadline = Infinity, at?: AtPosition): TextWalk {
  const walk: TextWalk = { masks: 0, refused: false, cut: false };
  try {
    const ids = grammar.tokenizer.encode(text, PLAIN_TEXT);
    const m = grammar.matcher() as TokenMatcher;
    for (let i = 0; i < ids.length; i++) {
      if ((i & 7) === 7 && performance.now() >= deadline) {
        walk.cut = true;
        break;
      }
      m.computeMask(bits);
      walk.masks++;
      const id = ids[i]!;
      if (at !== undefined) at(m, bits, id);
      if ((bits[id >>> 5]! & (1 << (id & 31))) === 0 || !m.consume(id)) {
        walk.refused = true;
        break;
      }
    }
  } catch {
    // A limit (a caller may set them tight on purpose): this text's walk ends here.
    walk.refused = true;
  }
  return walk;
}
