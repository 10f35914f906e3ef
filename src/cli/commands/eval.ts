/**
 * `ananke eval <tasks>`: constrained against unconstrained generation on a folder of tasks (the same
 * model, prompt and seeds; only Ananke's masks differ), every sample parsed, checked, type-checked
 * and tested in a copy of its codebase; pass@1 and pass@k per mode (docs/eval.md). `--references`
 * checks the tasks themselves: each reference solution must pass its own test.
 */
import type { Command } from 'commander';
import { AnankeError, EXIT } from '../../core/index.ts';
import { loadLocalModel } from '../../maze/index.ts';
import {
  checkReferences, loadTasks, MODES, runCodegenEval, DEFAULT_TEST_TIMEOUT_MS,
  type CodegenEvalReport, type ModeSummary, type ReferenceResult, type TaskReport, type Verdict,
} from '../../eval/index.ts';
import { loadConfig } from '../config.ts';
import { intOption, numberOption } from '../parse-number.ts';

interface EvalOptions {
  model?: string;
  samples?: string;
  seed?: string;
  maxTokens?: string;
  temperature?: string;
  topP?: string;
  threads?: string;
  only?: string;
  references?: boolean;
  testTimeout?: string;
  json?: boolean;
  cache: boolean;
}

const DEFAULT_MAX_TOKENS = 256;
const DEFAULT_SEED = 1;

export function configure(cmd: Command): void {
  cmd
    .argument('<tasks>', 'a folder of tasks: <tasks>/<id>/task.json and its test (docs/eval.md)')
    .option('--model <path|test>', 'a GGUF model file, or `test` for Ananke\'s random-weight test model (default: $ANANKE_MODEL, else test)')
    .option('--samples <k>', 'samples per task and mode: pass@1 and pass@k (default 1)')
    .option('--seed <n>', `seed of the first sample; sample i uses seed + i in both modes (default ${DEFAULT_SEED})`)
    .option('--max-tokens <n>', `at most this many tokens per sample (default ${DEFAULT_MAX_TOKENS})`)
    .option('--temperature <t>', 'sampling temperature (default 0.8; pass@k needs more than 0)')
    .option('--top-p <p>', 'nucleus sampling (default 0.95)')
    .option('--threads <n>', 'CPU threads for the model')
    .option('--only <ids>', 'only these tasks, comma-separated')
    .option('--references', 'no model: check that every task\'s reference solution passes its own test and every hard constraint')
    .option('--test-timeout <seconds>', `a test running longer fails as a timeout (default ${DEFAULT_TEST_TIMEOUT_MS / 1000})`)
    .option('--json', 'print the whole report as JSON (every sample, its code and verdict)')
    .option('--no-cache', 'do not use the extraction cache')
    .addHelpText('after', `
Examples:
  $ ananke eval examples/tasks --model test --max-tokens 64             # enforcement only: the test model's text is meaningless
  $ ananke eval examples/tasks --model ./qwen2.5-coder-7b-instruct-q4_k_m.gguf --samples 5 --seed 1
  $ ananke eval examples/tasks --references                               # every task's reference passes its test

Generated code runs (the tasks' tests): run eval on code and models you trust, or in a container.
Exit status: 0 the evaluation ran (whatever the scores; with --references: every reference passed),
1 a reference failed (--references), 2 usage, 3 the folder, a file or the model not found,
4 a malformed task.json or model file, 6 node-llama-cpp not installed.`)
    .action(async (tasks: string, opts: EvalOptions) => {
      process.exitCode = await runEval(tasks, opts);
    });
}

async function runEval(tasksDir: string, opts: EvalOptions): Promise<number> {
  const cfg = loadConfig();
  const only = opts.only?.split(',').map((s) => s.trim()).filter(Boolean);
  if (opts.only !== undefined && !only?.length) throw new AnankeError('USAGE', '--only needs task ids, comma-separated');
  const samples = intOption('--samples', opts.samples, 1, 1000) ?? 1;
  const seed = intOption('--seed', opts.seed, 0) ?? cfg.seed ?? DEFAULT_SEED;
  const maxTokens = intOption('--max-tokens', opts.maxTokens, 1) ?? cfg.maxTokens ?? DEFAULT_MAX_TOKENS;
  const temperature = numberOption('--temperature', opts.temperature, 0, 10) ?? cfg.temperature;
  const topP = numberOption('--top-p', opts.topP, 0, 1) ?? cfg.topP;
  const threads = intOption('--threads', opts.threads, 1) ?? cfg.threads;
  const testTimeoutS = numberOption('--test-timeout', opts.testTimeout, 0.1, 3600);
  const cacheDir = process.env['ANANKE_CACHE_DIR'] ? undefined : cfg.cacheDir;
  const judging = {
    cache: opts.cache, ...(cacheDir ? { cacheDir } : {}),
    ...(cfg.minConfidence !== undefined ? { minConfidence: cfg.minConfidence } : {}), ...(cfg.minExamples !== undefined ? { minExamples: cfg.minExamples } : {}),
    ...(testTimeoutS !== undefined ? { testTimeoutMs: testTimeoutS * 1000 } : {}),
  };
  const tasks = loadTasks(tasksDir, only);
  const progress = (s: string): void => { if (!opts.json) process.stderr.write(`ananke: ${s}\n`); };

  if (opts.references) {
    if (opts.model !== undefined || opts.samples !== undefined) throw new AnankeError('USAGE', '--references checks the tasks\' own solutions: it takes no --model or --samples');
    const { results, tools } = await checkReferences(tasks, { ...judging, onTask: (r, done, total) => progress(`[${done}/${total}] ${r.id}: ${r.ok ? 'ok' : `FAILED: ${referenceFailure(r)}`}`) });
    const ok = results.filter((r) => r.ok).length;
    if (opts.json) process.stdout.write(`${JSON.stringify({ tasksDir, tools, tasks: results, ok, total: results.length }, null, 2)}\n`);
    else process.stdout.write(`${ok} of ${results.length} reference solutions pass their tests and every hard constraint${ok < results.length ? `; failing: ${results.filter((r) => !r.ok).map((r) => r.id).join(', ')}` : ''}\n`);
    return ok === results.length ? EXIT.OK : EXIT.NO;
  }

  const modelSpec = opts.model ?? cfg.model ?? 'test';
  const model = await loadLocalModel(modelSpec, { threads, ...(cacheDir ? { cacheDir } : {}) });
  try {
    progress(`${tasks.length} task${tasks.length === 1 ? '' : 's'} from ${tasksDir}, model ${model.isTestModel ? 'test (Ananke\'s random-weight test model: its code is meaningless, the figures show enforcement only)' : model.name}, ${samples} sample${samples === 1 ? '' : 's'} per task and mode, seed ${seed}, at most ${maxTokens} tokens`);
    const report = await runCodegenEval(tasks, {
      ...judging, tasksDir, model, samples, seed, maxTokens,
      ...(temperature !== undefined ? { temperature } : {}), ...(topP !== undefined ? { topP } : {}),
      onTask: (t, done, total) => progress(`[${done}/${total}] ${taskLine(t)}`),
    });
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : summaryText(report));
  } finally {
    await model.dispose();
  }
  return EXIT.OK;
}

function referenceFailure(r: ReferenceResult): string {
  const why: string[] = [];
  if (r.grammar !== 'accepted') why.push(`the IR grammar ${r.grammar === 'prefix' ? 'wants more text' : `rejects it at ${r.grammarError}`}`);
  if (!r.parses) why.push('does not parse');
  for (const v of r.violations) why.push(`${v.constraintId} line ${v.line}: ${v.message}`);
  if (r.typeErrors) why.push(`${r.typeErrors} type errors`);
  if (r.tests !== 'passed') why.push(`test ${r.tests}${r.testOutput ? `:\n${r.testOutput.trim()}` : ''}`);
  return why.join('; ');
}

/** One sample's verdict in a few words: "prefix, 0 violations, test failed". */
function verdictWords(v: Verdict): string {
  return `${v.grammar}${v.parses ? ', parses' : ''}, ${v.violations.length} violation${v.violations.length === 1 ? '' : 's'}${v.typeErrors !== null ? `, ${v.typeErrors} type errors` : ''}, test ${v.tests}`;
}

function taskLine(t: TaskReport): string {
  const mode = (m: TaskReport['constrained']): string => (m.samples.length === 1 ? verdictWords(m.samples[0]!) : `${m.passed}/${m.samples.length} passed, pass@1 ${m.passAt1.toFixed(2)}`);
  return `${t.id}: constrained ${mode(t.constrained)} | unconstrained ${mode(t.unconstrained)}`;
}

/** The two modes side by side, then the notes. */
function summaryText(r: CodegenEvalReport): string {
  const [c, u] = MODES.map((m) => r.summary[m]) as [ModeSummary, ModeSummary];
  const ratio = (n: number, of: number): string => `${n}/${of}`;
  const rows: Array<[string, (s: ModeSummary) => string]> = [
    ['samples', (s) => String(s.samples)],
    ['complete (not cut off)', (s) => ratio(s.complete, s.samples)],
    ['hard rules held', (s) => ratio(s.hardRulesHeld, s.samples)],
    ['parses', (s) => ratio(s.parses, s.samples)],
    ['constraint violations', (s) => `${s.violations} (${s.samplesWithViolations} samples)`],
    ['type-check errors', (s) => (s.typeChecked ? `${s.typeErrors} (${s.typeClean}/${s.typeChecked} clean)` : 'not run')],
    ['tests passed', (s) => ratio(s.testsPassed, s.testsRun)],
    ['pass@1', (s) => s.passAt1.toFixed(3)],
    ...(r.samples > 1 ? [[`pass@${r.samples}`, (s: ModeSummary) => s.passAtK.toFixed(3)] as [string, (s: ModeSummary) => string]] : []),
    ['ms per token', (s) => s.msPerToken.toFixed(2)],
    ['  of which Ananke', (s) => s.anankeMsPerToken.toFixed(2)],
  ];
  const w = Math.max(...rows.map(([l]) => l.length));
  const col = (s: string): string => s.padStart(16);
  let out = `${''.padEnd(w)}${col('constrained')}${col('unconstrained')}\n`;
  for (const [label, f] of rows) out += `${label.padEnd(w)}${col(f(c))}${col(f(u))}\n`;
  for (const n of r.notes) out += `\nnote: ${n}\n`;
  return out;
}
