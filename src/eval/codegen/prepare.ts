/**
 * A task made ready to generate: its codebase's constraints (Clew, once per codebase), its target
 * resolved against the file, the ConstraintIR Braid compiles for it, the prompt both modes get, and
 * the reference solution. The same pipeline as `ananke generate` (src/cli/commands/generate.ts).
 */
import fs from 'node:fs';
import { AnankeError, type Constraint, type ConstraintIR, type FileFacts } from '../../core/index.ts';
import { Braid, type BraidOptions } from '../../braid/index.ts';
import { extractRepo } from '../../clew/index.ts';
import { generationPrompt, type GenerationPrompt } from '../generation-prompt.ts';
import { resolveTarget, withCodebaseIndent, type ResolvedTarget } from '../target-context.ts';
import type { CodegenTask } from './task.ts';
import type { EvalLanguage } from './toolchain.ts';

export interface PreparedTask {
  task: CodegenTask;
  language: EvalLanguage;
  resolved: ResolvedTarget;
  ir: ConstraintIR;
  prompt: GenerationPrompt;
  /** A correct candidate: the generated part (with the forced head, for function and new targets). */
  reference: string;
  /** Constraints compiled, and how many of them are hard. */
  constraints: { total: number; hard: number };
}

export interface PrepareOptions extends BraidOptions {
  cache?: boolean;
  cacheDir?: string;
}

export class TaskPreparer {
  private readonly extracted = new Map<string, { constraints: Constraint[]; files: Pick<FileFacts, 'language' | 'signals'>[] }>();
  private braid: Braid | undefined;

  constructor(private readonly opts: PrepareOptions = {}) {}

  private async extraction(codebase: string): Promise<{ constraints: Constraint[]; files: Pick<FileFacts, 'language' | 'signals'>[] }> {
    let x = this.extracted.get(codebase);
    if (!x) {
      // Every constraint, whatever its confidence: Braid decides which are hard (as `generate` does).
      const r = await extractRepo([codebase], { cache: this.opts.cache ?? true, minConfidence: 0, ...(this.opts.cacheDir ? { cacheDir: this.opts.cacheDir } : {}) });
      // Of the facts, what the target's indentation reads (withCodebaseIndent).
      this.extracted.set(codebase, (x = { constraints: r.constraints, files: r.facts.files.map((f) => ({ language: f.language, signals: f.signals })) }));
    }
    return x;
  }

  async prepare(task: CodegenTask): Promise<PreparedTask> {
    let resolved = await resolveTarget(task.target);
    const language = resolved.ctx.language;
    if (language !== 'typescript' && language !== 'python') {
      throw new AnankeError('UNSUPPORTED', `${task.file}: eval tasks are TypeScript or Python (their tests run through Node or python3); this target is ${language}`, { file: task.file });
    }
    const extracted = await this.extraction(task.codebase);
    resolved = withCodebaseIndent(resolved, extracted.files);
    this.braid ??= await Braid.create(16);
    const { minConfidence, minExamples } = this.opts;
    const { ir } = this.braid.compile([...extracted.constraints, ...resolved.derived], resolved.ctx, {
      ...(minConfidence !== undefined ? { minConfidence } : {}), ...(minExamples !== undefined ? { minExamples } : {}),
    });
    const reference = task.reference !== undefined ? fs.readFileSync(task.reference, 'utf8') : resolved.original;
    if (reference === undefined) throw new AnankeError('PARSE', `${task.file}: no reference solution (give "reference")`, { file: task.file });
    return {
      task, language, resolved, ir, reference,
      prompt: generationPrompt(task.prompt, resolved, ir),
      constraints: { total: ir.enforcement.length, hard: ir.enforcement.filter((e) => e.hard).length },
    };
  }
}
