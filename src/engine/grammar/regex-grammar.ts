import { withLimits, type Limits } from '../limits.ts';
import { parseRegex, type RegexFlavor } from '../regex/parse.ts';
import { GrammarBuilder } from './builder.ts';
import type { Grammar } from './ir.ts';

/**
 * A grammar that matches exactly the strings a regex matches: one lexeme, and a start rule made
 * of it. Nothing is ignored. The regex uses Rust syntax by default (as in the Lark dialect);
 * `flavor: 'ecma'` reads JSON Schema `pattern` syntax. Errors are EngineError('REGEX').
 */
export function grammarFromRegex(source: string, opts?: { flavor?: RegexFlavor; limits?: Partial<Limits> }): Grammar {
  const limits = withLimits(opts?.limits);
  const regex = parseRegex(source, { flavor: opts?.flavor ?? 'rust', limits });
  const b = new GrammarBuilder(limits);
  const start = b.ruleWith('start', [[b.regex(`/${source}/`, regex)]]);
  return b.build(start);
}
