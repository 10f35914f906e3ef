/**
 * A language's tree-sitter grammar as the judge of sampled texts (`checkGrammarSoundness`): parse
 * with Clew's parser, read the verdict off the tree, free the tree. Shared by bench/grammars.ts and
 * the soundness tests.
 */
import { parseSource } from '../../src/clew/index.ts';
import type { Language } from '../../src/core/index.ts';
import { treeSitterVerdict, type ParseFn } from '../../src/eval/index.ts';

export function treeSitterJudge(lang: Language): ParseFn {
  return async (text) => {
    const tree = await parseSource(lang, text);
    try {
      return treeSitterVerdict(tree.rootNode);
    } finally {
      tree.delete();
    }
  };
}
