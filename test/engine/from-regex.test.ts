import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listMaskbenchFiles, loadMaskbenchFile } from '../../src/eval/maskbench-file.ts';
import { compileJsonSchema } from '../../src/engine/schema/index.ts';
import { parseLark } from '../../src/engine/grammar/lark.ts';
import { programGrammarText } from '../../src/engine/index.ts';
import { regexToTerm } from '../../src/engine/lexer/from-regex.ts';
import { TermStore } from '../../src/engine/lexer/terms.ts';
import { withLimits } from '../../src/engine/limits.ts';
import type { Regex } from '../../src/engine/regex/ast.ts';
import { MASKBENCH_DEV, needsData } from '../helpers/shared-data.ts';

const limits = withLimits({});

/** Each lexeme's term, converted one by one and with one memo for all, in two fresh stores. */
function bothWays(regexes: readonly Regex[]): { plain: number[]; memo: number[] } {
  const one = new TermStore(limits);
  const plain = regexes.map((r) => regexToTerm(one, r));
  const all = new TermStore(limits);
  const memo = new Map<Regex, number>();
  return { plain, memo: regexes.map((r) => regexToTerm(all, r, memo)) };
}

test('regexToTerm with one memo for a lexer\'s lexemes gives the same terms as one by one (program grammars)', () => {
  for (const lang of ['typescript', 'python', 'go', 'rust'] as const) {
    const { plain, memo } = bothWays(parseLark(programGrammarText(lang)).lexemes.map((l) => l.regex));
    assert.deepEqual(memo, plain, lang);
  }
});

test('regexToTerm with one memo: the same terms for 60 MaskBench schemas\' lexemes, which share subtrees', needsData(MASKBENCH_DEV), () => {
  const files = listMaskbenchFiles(MASKBENCH_DEV, {});
  let shared = 0;
  for (let i = 0; i < files.length; i += Math.ceil(files.length / 60)) {
    let g;
    try {
      g = compileJsonSchema(loadMaskbenchFile(files[i]!).schema, { limits, postChecks: true });
    } catch {
      continue;
    }
    const regexes = g.lexemes.map((l) => l.regex);
    const { plain, memo } = bothWays(regexes);
    assert.deepEqual(memo, plain, files[i]);
    // Count schemas whose lexemes share a node object (what the memo is for).
    const seen = new Set<Regex>();
    const visit = (r: Regex): boolean => {
      if (seen.has(r)) return true;
      seen.add(r);
      const kids = r.kind === 'concat' || r.kind === 'alt' || r.kind === 'and' ? r.items : r.kind === 'repeat' || r.kind === 'not' ? [r.item] : [];
      return kids.some(visit);
    };
    if (regexes.some(visit)) shared++;
  }
  assert.ok(shared > 10, `${shared} schemas share regex nodes between lexemes`);
});
