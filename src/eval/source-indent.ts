import { indentOfSignals, indentSteps, mostUsedStep } from '../clew/index.ts';
import type { FileFacts } from '../core/index.ts';

/**
 * Where a Python function sits in its file's indentation (ConstraintIR.indent): the whitespace its
 * line starts with, and the file's indentation step. A server's grammar counts indentation in fixed
 * units from a fixed base (the portable expansion), so it must be told both to accept the body a
 * model writes at the function's real depth.
 */
export function sourceIndent(source: string, at: number): { base: string; unit: string } {
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  return indentUnder(source, source.slice(lineStart, at));
}

/**
 * The same for a function whose line starts with `text` (a new target's signature): its leading
 * whitespace is the base; a tab there makes the unit a tab, else the file's step.
 */
export function indentUnder(source: string, text: string): { base: string; unit: string } {
  const base = /^[ \t]*/.exec(text)![0];
  return { base, unit: base.includes('\t') ? '\t' : indentUnit(source) };
}

/**
 * The file's indentation step: the most frequent growth of indentation from a line that opens a
 * block (ends with `:`) to the next non-blank line; a tab if that growth is one; four spaces when no
 * block says (PEP 8's step).
 */
export function indentUnit(source: string): string {
  return mostUsedStep(indentSteps(source)) ?? '    ';
}

/**
 * A Python module target's indentation (ConstraintIR.indent): from column 0, in the step most blocks
 * of the codebase's Python files open by (their `indent.*` signals); undefined when none shows one,
 * and a server's grammar then takes every common unit.
 */
export function codebaseIndent(files: readonly Pick<FileFacts, 'language' | 'signals'>[]): { base: string; unit: string } | undefined {
  const sum: Record<string, number> = {};
  for (const f of files) {
    if (f.language !== 'python') continue;
    for (const [k, n] of Object.entries(f.signals)) if (k.startsWith('indent.')) sum[k] = (sum[k] ?? 0) + n;
  }
  const unit = indentOfSignals(sum);
  return unit === undefined ? undefined : { base: '', unit };
}
