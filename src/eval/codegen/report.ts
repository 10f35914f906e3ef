/**
 * What `ananke eval` reports (docs/eval.md): every sample of every task in both modes, each mode's
 * pass@1 and pass@k per task, and per mode the totals over all tasks.
 */
import type { StopReason } from '../../maze/index.ts';
import type { Verdict } from './judge.ts';
import { passAtK } from './pass-at-k.ts';
import type { EvalLanguage, ToolInfo } from './toolchain.ts';

export const MODES = ['constrained', 'unconstrained'] as const;
export type Mode = (typeof MODES)[number];

export interface SampleReport extends Verdict {
  seed: number;
  /** The generated part as it goes in the file (with the forced head, for function and new targets). */
  code: string;
  stop: StopReason;
  tokens: number;
  /** Wall time of the generation. */
  ms: number;
  /** Ananke's share per sampled token: masks and their hand-over (constrained), the empty bias (unconstrained). */
  anankeMsPerToken: number;
}

export interface ModeReport {
  samples: SampleReport[];
  /** Samples whose test passed. */
  passed: number;
  passAt1: number;
  passAtK: number;
}

export interface TaskReport {
  id: string;
  language: EvalLanguage;
  target: string;
  /** Constraints compiled, and how many of them are hard. */
  constraints: { total: number; hard: number };
  constrained: ModeReport;
  unconstrained: ModeReport;
}

export interface ModeSummary {
  samples: number;
  /** Complete: not cut off by --max-tokens (the model ended, or Maze closed the construct). */
  complete: number;
  /** No hard constraint broken: the IR grammar reads the sample (whole, or to its end when cut off) and no post-check fails. */
  hardRulesHeld: number;
  parses: number;
  /** Post-check violations, all samples together, and the samples with at least one. */
  violations: number;
  samplesWithViolations: number;
  /** Samples type-checked (TypeScript with the typescript package), those with no error, and all errors together. */
  typeChecked: number;
  typeClean: number;
  typeErrors: number;
  testsRun: number;
  testsPassed: number;
  /** Means over tasks of each task's unbiased estimate. */
  passAt1: number;
  passAtK: number;
  tokens: number;
  /** Wall time of generation per generated token, and Ananke's share of it. */
  msPerToken: number;
  anankeMsPerToken: number;
}

export interface CodegenEvalReport {
  version: 1;
  tasksDir: string;
  model: { name: string; testModel: boolean };
  /** Samples per task and mode (the k of pass@k). */
  samples: number;
  seed: number;
  maxTokens: number;
  temperature: number;
  topP: number;
  tools: Partial<Record<EvalLanguage, ToolInfo>>;
  tasks: TaskReport[];
  summary: Record<Mode, ModeSummary>;
  /** What the numbers can and cannot say (the test model; samples cut off; missing tools). */
  notes: string[];
}

export function modeReport(samples: SampleReport[], k: number): ModeReport {
  const passed = samples.filter((s) => s.tests === 'passed').length;
  return { samples, passed, passAt1: passAtK(samples.length, passed, 1), passAtK: passAtK(samples.length, passed, k) };
}

export function summarizeMode(reports: readonly ModeReport[]): ModeSummary {
  const all = reports.flatMap((r) => r.samples);
  const count = (f: (s: SampleReport) => boolean): number => all.filter(f).length;
  const sum = (f: (s: SampleReport) => number): number => all.reduce((a, s) => a + f(s), 0);
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const tokens = sum((s) => s.tokens);
  return {
    samples: all.length,
    complete: count((s) => s.stop !== 'max_tokens' && s.stop !== 'aborted'),
    hardRulesHeld: count((s) => s.grammar !== 'rejected' && s.violations.length === 0),
    parses: count((s) => s.parses),
    violations: sum((s) => s.violations.length),
    samplesWithViolations: count((s) => s.violations.length > 0),
    typeChecked: count((s) => s.typeErrors !== null),
    typeClean: count((s) => s.typeErrors === 0),
    typeErrors: sum((s) => s.typeErrors ?? 0),
    testsRun: count((s) => s.tests !== 'not_run'),
    testsPassed: count((s) => s.tests === 'passed'),
    passAt1: mean(reports.map((r) => r.passAt1)),
    passAtK: mean(reports.map((r) => r.passAtK)),
    tokens,
    msPerToken: tokens ? sum((s) => s.ms) / tokens : 0,
    anankeMsPerToken: tokens ? sum((s) => s.anankeMsPerToken * s.tokens) / tokens : 0,
  };
}
