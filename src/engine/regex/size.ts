import { EngineError } from '../errors.ts';
import type { Regex } from './ast.ts';

/**
 * The size of a regex that limits.maxRegexSize bounds: its node count with counted repetition
 * multiplied out (r{n,m} counts r m times, r{n,} n + 1 times), computed without expanding anything.
 * Every entry point (parseRegex, GrammarBuilder.lexeme, the Lexer constructor) measures with this
 * one function.
 */

/**
 * Expanded node count (a double: it may be huge, e.g. 2^60, and is never unrolled). The regex is
 * measured as a DAG: a front end or a caller building the IR directly may share one node many times
 * (`x_{i+1} = concat(x_i, x_i)`), so each distinct node is visited once and a deep sharing costs
 * its depth, not its expanded size.
 */
export function regexSize(re: Regex): number {
  // Not memoized across calls: a process-wide WeakMap keyed by regexes made every major garbage
  // collection revisit its entries (docs/engine-optimizations.md §36); callers measure a regex
  // about once per compile, and a walk of distinct nodes is cheap beside compiling them.
  return sizeIn(re, new Map());
}

/**
 * Throws EngineError('LIMIT') when the regex is larger than `max` (see regexSize); returns the size.
 * `what` names it in the message (a lexeme's name, `lexeme #3`); the default is "regex". `memo`:
 * sizes of nodes measured before, kept by a caller that measures many regexes sharing subtrees
 * (a grammar builder, for one build).
 */
export function checkRegexSize(re: Regex, max: number, what = 'regex', memo?: Map<Regex, number>): number {
  const size = sizeIn(re, memo ?? new Map());
  if (size > max) {
    const shown = size > 1e15 ? 'over 1e15' : String(Math.round(size));
    throw new EngineError('LIMIT', `${what} has ${shown} regex nodes counting repetition (limits.maxRegexSize is ${max}); use smaller repetition bounds or raise limits.maxRegexSize`);
  }
  return size;
}

/** Size of `re`, recording the size of every node it visits in `memo` (one map per measurement). */
function sizeIn(re: Regex, memo: Map<Regex, number>): number {
  const known = memo.get(re);
  if (known !== undefined) return known;
  let size: number;
  switch (re.kind) {
    case 'empty':
    case 'never':
    case 'chars':
    case 'bytes':
      size = 1;
      break;
    case 'concat':
    case 'alt':
    case 'and':
      size = 1;
      for (const it of re.items) size += sizeIn(it, memo);
      break;
    case 'not':
      size = 1 + sizeIn(re.item, memo);
      break;
    case 'repeat': {
      const copies = re.max === Infinity ? re.min + 1 : re.max;
      size = 1 + sizeIn(re.item, memo) * Math.max(1, copies);
      break;
    }
  }
  memo.set(re, size);
  return size;
}
