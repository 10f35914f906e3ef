/**
 * `ananke eval`: for every task, k samples generated with Ananke's masks (Maze) and k without
 * (the same model, prompt, seeds and sampling; only the masking differs), each judged in a copy of
 * its codebase; and the check that every task's reference solution passes its own test.
 */
import fs from 'node:fs';
import { DEFAULT_SAMPLING, Maze, type StepModel } from '../../maze/index.ts';
import { byteTokenizer, compile, parseLark, type CheckResult } from '../../engine/index.ts';
import { judge, type Verdict } from './judge.ts';
import { TaskPreparer, type PrepareOptions, type PreparedTask } from './prepare.ts';
import { modeReport, summarizeMode, type CodegenEvalReport, type SampleReport, type TaskReport } from './report.ts';
import { Sandbox, sandboxParent } from './sandbox.ts';
import type { CodegenTask } from './task.ts';
import type { EvalLanguage, ToolInfo, Toolchain } from './toolchain.ts';
import { toolchainFor } from './toolchains.ts';
import { generateUnconstrained } from './unconstrained.ts';

/** A test that runs longer than this is stopped and counted as failed (`timeout`): generated code may loop. */
export const DEFAULT_TEST_TIMEOUT_MS = 30_000;

export interface JudgeOptions extends PrepareOptions {
  testTimeoutMs?: number;
}

export interface CodegenEvalOptions extends JudgeOptions {
  tasksDir: string;
  model: StepModel;
  /** Samples per task and mode (the k of pass@k). */
  samples: number;
  seed: number;
  maxTokens: number;
  temperature?: number;
  topP?: number;
  /** After each task, with its report. */
  onTask?: (task: TaskReport, done: number, total: number) => void;
}

/** Prepares each task in its own sandbox, hands it to `each`, and cleans up whatever happens. */
async function forEachTask(tasks: readonly CodegenTask[], opts: PrepareOptions, each: (p: PreparedTask, box: Sandbox, toolchain: Toolchain) => Promise<void>): Promise<Partial<Record<EvalLanguage, ToolInfo>>> {
  const preparer = new TaskPreparer(opts);
  const parent = sandboxParent();
  const tools: Partial<Record<EvalLanguage, ToolInfo>> = {};
  try {
    for (const task of tasks) {
      const p = await preparer.prepare(task);
      const toolchain = toolchainFor(p.language);
      tools[p.language] = toolchain.info;
      const box = Sandbox.create(task, parent);
      try {
        toolchain.prepare(box);
        await each(p, box, toolchain);
      } finally {
        box.dispose();
      }
    }
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
  return tools;
}

export async function runCodegenEval(tasks: readonly CodegenTask[], opts: CodegenEvalOptions): Promise<CodegenEvalReport> {
  const { model, samples: k, seed, maxTokens } = opts;
  const temperature = opts.temperature ?? DEFAULT_SAMPLING.temperature;
  const topP = opts.topP ?? DEFAULT_SAMPLING.topP;
  const timeout = opts.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
  const maze = new Maze();
  const reports: TaskReport[] = [];
  const tools = await forEachTask(tasks, opts, async (p, box, toolchain) => {
    // The same compiled grammar judges both modes' samples.
    const { cg } = await maze.compiled(p.ir, model.tokenizer);
    const check = (text: string): CheckResult => cg.check(text);
    const constrained: SampleReport[] = [];
    const unconstrained: SampleReport[] = [];
    for (let i = 0; i < k; i++) {
      const sampling = { maxTokens, seed: seed + i, temperature, topP };
      const t0 = performance.now();
      const c = await maze.generate(model, { ir: p.ir, prompt: p.prompt.prompt, ...sampling });
      const cMs = performance.now() - t0;
      const cCode = p.prompt.head + c.text;
      constrained.push({
        seed: seed + i, code: cCode, stop: c.stop, tokens: c.stats.tokens, ms: cMs, anankeMsPerToken: c.stats.anankeMsPerToken,
        ...(await judge(p, box, toolchain, cCode, check, timeout)),
      });
      const u = await generateUnconstrained(model, p.prompt.prompt, sampling);
      const uCode = p.prompt.head + u.text;
      unconstrained.push({
        seed: seed + i, code: uCode, stop: u.stop, tokens: u.tokens, ms: u.ms, anankeMsPerToken: u.anankeMsPerToken,
        ...(await judge(p, box, toolchain, uCode, check, timeout)),
      });
    }
    const report: TaskReport = {
      id: p.task.id, language: p.language, target: p.task.spec, constraints: p.constraints,
      constrained: modeReport(constrained, k), unconstrained: modeReport(unconstrained, k),
    };
    reports.push(report);
    opts.onTask?.(report, reports.length, tasks.length);
  });
  const summary = { constrained: summarizeMode(reports.map((r) => r.constrained)), unconstrained: summarizeMode(reports.map((r) => r.unconstrained)) };
  const notes: string[] = [];
  if (model.isTestModel) {
    notes.push('Ananke\'s test model has random weights: its code is meaningless, so these figures show enforcement only. Constrained samples are always read by the grammar of the constraints (syntax, forbidden names, naming where the grammar restricts it, the signature); unconstrained ones mostly do not even parse; rules the grammar carries only in part, or not at all, are judged after generation in both modes and counted as violations. Tests passed and pass@k need a real model: docs/eval.md says how to run one.');
  }
  const cut = summary.constrained.samples - summary.constrained.complete;
  if (cut > 0) notes.push(`${cut} of ${summary.constrained.samples} constrained samples were cut off by --max-tokens before the model ended them: the grammar reads them to their end (no hard rule broken), but an unfinished function does not parse.`);
  for (const info of Object.values(tools)) notes.push(...info.notes);
  return {
    version: 1, tasksDir: opts.tasksDir, model: { name: model.name, testModel: model.isTestModel },
    samples: k, seed, maxTokens, temperature, topP, tools, tasks: reports, summary, notes,
  };
}

export interface ReferenceResult extends Verdict {
  id: string;
  language: EvalLanguage;
  target: string;
  /** The grammar accepts it, it parses, no hard constraint is broken, no type error, its test passes. */
  ok: boolean;
}

/** Judges each task's reference solution exactly as a sample is judged: a task whose reference fails is a broken task. */
export async function checkReferences(tasks: readonly CodegenTask[], opts: JudgeOptions & { onTask?: (r: ReferenceResult, done: number, total: number) => void } = {}): Promise<{ results: ReferenceResult[]; tools: Partial<Record<EvalLanguage, ToolInfo>> }> {
  const results: ReferenceResult[] = [];
  const tools = await forEachTask(tasks, opts, async (p, box, toolchain) => {
    const cg = compile(parseLark(p.ir.grammar), byteTokenizer());
    const v = await judge(p, box, toolchain, p.reference, (text) => cg.check(text), opts.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS);
    const ok = v.grammar === 'accepted' && v.parses && v.violations.length === 0 && (v.typeErrors ?? 0) === 0 && v.tests === 'passed';
    const r: ReferenceResult = { id: p.task.id, language: p.language, target: p.task.spec, ...v, ok };
    results.push(r);
    opts.onTask?.(r, results.length, tasks.length);
  });
  return { results, tools };
}
