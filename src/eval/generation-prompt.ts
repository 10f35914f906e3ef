/**
 * What a model reads before it writes a target: the prompt, then the file's code before the target,
 * then the fixed text the grammar starts with (a declaration's forced head, or a fim range's text
 * before it). `head` is the part of that fixed text that belongs to the generated code (function
 * and new targets), so `head + generated` is the candidate put back in the file. `ananke eval`
 * gives its constrained and unconstrained samples this same prompt; only the masking differs.
 */
import type { ConstraintIR } from '../core/index.ts';
import type { ResolvedTarget } from './target-context.ts';

export interface GenerationPrompt {
  prompt: string;
  head: string;
}

export function generationPrompt(prompt: string, resolved: ResolvedTarget, ir: ConstraintIR): GenerationPrompt {
  const kind = resolved.ctx.target.kind;
  const before = kind !== 'fim' && resolved.source !== undefined && resolved.start !== undefined ? resolved.source.slice(0, resolved.start) : '';
  return {
    prompt: `${prompt.trim()}\n\n${before}${ir.prefix ?? ''}`,
    head: kind === 'function' || kind === 'new' ? (ir.prefix ?? '') : '',
  };
}
