/**
 * `ananke eval` on a slice of the shipped tasks with Ananke's test model (random weights, real
 * Qwen3 tokens), k = 1: both modes get the same prompt and seed and differ only in the masks; every
 * constrained sample holds every hard rule, and unconstrained ones are judged by the same checks.
 * The model's text is meaningless: what is tested is enforcement and the harness, not quality.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadLocalModel, throughDecision, type LocalModel, type StepGenerateOptions, type StepModel } from '../../src/maze/index.ts';
import { loadTasks, runCodegenEval, type CodegenEvalReport } from '../../src/eval/index.ts';
import { ROOT, runCli } from '../helpers/cli.ts';
import { HAS_PYTHON } from '../helpers/python.ts';

const TASKS = path.join(ROOT, 'examples/tasks');
const SLICE = ['py-convert', 'ts-format-cents', 'ts-reorder-quantities'];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ananke-eval-run-'));
let model: LocalModel;

before(async () => {
  model = await loadLocalModel('test', { cacheDir: path.join(tmp, 'cache') });
});
after(async () => {
  await model?.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

interface Call { prompt: string; seed?: number; masked: boolean }

/** The test model, recording each generation's prompt, seed, and whether any step was masked. */
function recording(inner: StepModel, calls: Call[]): StepModel {
  return {
    name: inner.name, tokenizer: inner.tokenizer, isTestModel: inner.isTestModel,
    generate: (prompt: string, opts: StepGenerateOptions) => {
      const call: Call = { prompt, seed: opts.seed, masked: false };
      calls.push(call);
      return inner.generate(prompt, { ...opts, step: (g) => throughDecision(opts.step(g), (decide) => {
        const d = decide();
        if (d.mask !== null) call.masked = true;
        return d;
      }) });
    },
  };
}

test('a slice of three tasks, k = 1: same prompt and seed in both modes; the grammar reads every constrained sample', { timeout: 300_000 }, async () => {
  const calls: Call[] = [];
  const report: CodegenEvalReport = await runCodegenEval(loadTasks(TASKS, SLICE), {
    tasksDir: TASKS, model: recording(model, calls), samples: 1, seed: 7, maxTokens: 24, cacheDir: path.join(tmp, 'cache'),
  });
  assert.deepEqual(report.tasks.map((t) => t.id), SLICE);
  // Two generations per task: the constrained one (masked steps) then the unconstrained one (none), same prompt, same seed.
  assert.equal(calls.length, 2 * SLICE.length);
  for (let i = 0; i < calls.length; i += 2) {
    const [c, u] = [calls[i]!, calls[i + 1]!];
    assert.equal(c.prompt, u.prompt);
    assert.equal(c.seed, 7);
    assert.equal(u.seed, 7);
    assert.deepEqual([c.masked, u.masked], [true, false]);
  }
  const reorder = report.tasks.find((t) => t.id === 'ts-reorder-quantities')!;
  const head = 'export function reorderQuantities(warehouse: Warehouse, targetLevel: number): Map<Sku, number> ';
  assert.ok(calls[4]!.prompt.endsWith(head), 'the forced head ends the prompt of a new: target');
  for (const m of ['constrained', 'unconstrained'] as const) assert.ok(reorder[m].samples[0]!.code.startsWith(head), m);

  const c = report.summary.constrained;
  const u = report.summary.unconstrained;
  assert.equal(c.samples, 3);
  // The IR grammar reads every constrained sample: what it carries (syntax, the forced head, forbidden
  // names, naming at the sites it restricts) is never broken. Post-generation checks judge both modes alike.
  for (const t of report.tasks) assert.notEqual(t.constrained.samples[0]!.grammar, 'rejected', t.id);
  assert.ok(report.tasks.every((t) => t.constraints.hard > 0));
  // Random weights without masks write text no grammar reads.
  assert.ok(u.hardRulesHeld < u.samples, JSON.stringify(report.tasks.map((t) => t.unconstrained.samples[0]!.code)));
  assert.ok(report.tasks.some((t) => t.unconstrained.samples[0]!.grammar === 'rejected'));
  // Every sample was judged by every tool: tests run (they fail: the text is meaningless), TypeScript type-checked.
  assert.equal(c.testsRun + u.testsRun, HAS_PYTHON ? 6 : 4);
  assert.equal(c.testsPassed + u.testsPassed, 0);
  assert.equal(c.typeChecked + u.typeChecked, 4);
  for (const s of [c, u]) {
    assert.equal(s.passAt1, 0);
    assert.ok(s.tokens > 0 && s.msPerToken > 0);
  }
  assert.ok(report.notes.some((n) => /random weights/.test(n)), 'the report says the test model shows enforcement only');
});

test('the CLI prints both modes side by side and notes what the test model means', { timeout: 300_000 }, () => {
  const r = runCli(['eval', TASKS, '--model', 'test', '--only', 'py-is-balanced', '--max-tokens', '16', '--seed', '3'], { env: { ANANKE_CACHE_DIR: path.join(tmp, 'cache') } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\s+constrained\s+unconstrained$/m);
  assert.match(r.stdout, /^hard rules held\s+1\/1\s+\d\/1$/m);
  assert.match(r.stdout, /^pass@1\s+0\.000\s+0\.000$/m);
  assert.match(r.stdout, /note: Ananke's test model has random weights/);
  assert.match(r.stderr, /\[1\/1\] py-is-balanced: constrained /);
});
