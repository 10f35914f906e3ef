/**
 * MaskBench (JSONSchemaBench's token-mask benchmark), run the way the field runs it (docs/engine-maskbench.md)
 * so the figures compare with the published ones: per schema file, compile with the Llama-3
 * tokenizer (TTFM = compile + first mask), then for every instance a fresh matcher walks the
 * instance's tokens (Python json.dumps layout, no special tokens), timing every mask (TBM), checking
 * the token's bit and consuming it; a document the grammar accepts is then post-checked where the
 * schema compiler holds some keyword only as a superset. Each schema is classified (passing,
 * compile error, validation error (of key order only, or not), invalidation error, crash,
 * timeout). Single thread. Optionally XGrammar (web-xgrammar) runs
 * the same schemas and instances in the same process, for speed ratios.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EngineError, PLAIN_TEXT, withLimits, type Limits, type CompiledGrammar, type Matcher, type Tokenizer, loadTokenizer, warmUp, toolSchemaCases, DEFAULT_WARM_UP_SCHEMAS, type WarmUpReport } from '../engine/index.ts';
import { listMaskbenchFiles, loadMaskbenchFile, MaskbenchFileError, type MaskbenchFile } from './maskbench-file.ts';
import { anankeSchemaEngine, type SchemaCompilation, type SchemaEngine } from './maskbench-engine.ts';
import { refusedOnlyForOrder } from './maskbench-order.ts';
import { AnankeError, Samples, startedPoolSize, type Summary } from '../core/index.ts';
import { PeerWorker } from './maskbench-peer.ts';
import { GcPauses } from './gc-pauses.ts';
import { CategoryTable, type CategorySummary, type SchemaTimings } from './maskbench-categories.ts';
import type { EngineSchemaResult, InstanceFailure, SchemaStatus, SlowestMask } from './maskbench-result.ts';

export type { EngineSchemaResult, InstanceFailure, SchemaStatus, SlowestMask } from './maskbench-result.ts';
export { maskbenchCategory, type CategorySummary, type CategoryTimings } from './maskbench-categories.ts';

export interface SchemaResult extends EngineSchemaResult {
  file: string;
  /** Number of valid and invalid instances in the file. */
  valid: number;
  invalid: number;
  /** Times the mask allowed a token that consume() then refused (a matcher bug if non-zero). */
  maskConsumeMismatches?: number;
  /** The peer engine on the same schema (with --peer). */
  peer?: EngineSchemaResult;
}

export interface StatusCounts {
  schemas: number;
  passing: number;
  compileError: number;
  validationError: number;
  invalidationError: number;
  crash: number;
  timeout: number;
}

export interface EngineSummary extends StatusCounts {
  tokens: number;
  tbm: Summary;
  ttfm: Summary;
}

export interface ReasonCount {
  reason: string;
  count: number;
  example: string;
}

export interface PeerComparison {
  /** Schemas both engines compiled and ran to the end (no compile error, crash or timeout). */
  schemas: number;
  oursTokens: number;
  peerTokens: number;
  ours: { tbm: Summary; ttfm: Summary };
  peer: { tbm: Summary; ttfm: Summary };
  /** ours / peer, on those schemas: lower is better for us. */
  ratio: { tbmAvg: number; tbmP50: number; tbmP99: number; ttfmP50: number; ttfmP99: number };
  /** Schemas each engine ran before the other ran them (MaskbenchOptions.peerBatch). */
  batch: number;
  /** Warm-up schemas each engine ran again, untimed, before each of its batches (REWARM_SCHEMAS; 0 with the warm-up off). */
  rewarm: number;
  note: string;
}

export interface MaskbenchSummary extends EngineSummary {
  /**
   * Validation errors (counted in `validationError`) where every valid instance refused is
   * accepted once its object keys are in the grammar's order (maskbench-order.ts): property order
   * only, not content.
   */
  validationErrorOrderOnly: number;
  /** Schemas whose grammar holds some keyword as a superset, decided by a post-check of the document. */
  postChecked: number;
  /** Instances the grammar accepted and the post-check refused (each an invalid one, when right). */
  postCheckRejections: number;
  folder: string;
  engine: string;
  tokenizer: string;
  budgetMs: number;
  wallMs: number;
  /** The V8 helper pool the process was started with (`--v8-pool-size`; src/cli/v8-pool.ts), or 'default'. */
  v8PoolSize: number | 'default';
  /** Files that are not MaskBench files (not counted in `schemas`). */
  skipped: { file: string; error: string }[];
  /** Compile errors grouped by message shape, most common first. */
  compileErrorReasons: ReasonCount[];
  /** Slowest schemas by TTFM and by their slowest mask. */
  slowest: { ttfm: { file: string; us: number }[]; tbm: { file: string; us: number }[] };
  /** The largest single mask of the run, where it was and what it built. */
  slowestMask?: SlowestMask & { file: string };
  /**
   * Masks of a second pass over every instance with the grammar already compiled and used (a server
   * answering a second request for the same schema), µs; absent with `reuse: false`.
   */
  reused?: Summary;
  /** Figures per source category (maskbench-categories.ts), in name order. */
  categories: CategorySummary[];
  /**
   * Our masks over `thresholdUs` (10 ms), how many of them had a garbage-collection pause inside
   * (gc-pauses.ts) and how many of those a major collection's, and the largest mask of the run that had none (absent when every mask of at least
   * 1 ms had one); `gcPauses`: pauses during the run.
   */
  slowMasks: SlowMasks;
  /** The untimed warm-up before the first schema (ours; XGrammar ran the same schemas). */
  warmUp: WarmUpReport;
  peer?: EngineSummary & { engine: string; config: string };
  comparison?: PeerComparison;
}

export interface SlowMasks {
  thresholdUs: number;
  count: number;
  withGcPause: number;
  /** Of withGcPause, the masks with a major collection (mark-compact) inside, not only scavenges. */
  withMajorGc: number;
  gcPauses: number;
  /**
   * Every mask of at least 1 ms with a collector pause inside (so every pause of 1 ms or more that
   * landed in a mask): how many, how many of them major collections, the pause time inside them.
   */
  pausedMasks: { count: number; major: number; pauseMs: number };
  largestWithoutGc?: { file: string; test: number; token: number; us: number };
}

export interface MaskbenchReport {
  summary: MaskbenchSummary;
  results: SchemaResult[];
}

export interface MaskbenchOptions {
  /** First N files (after filter) in sorted order. */
  limit?: number;
  /** Only files whose name contains this. */
  filter?: string;
  /** Explicit files (full paths) instead of listing the folder. */
  files?: string[];
  /** Per-schema wall budget in milliseconds (compile + all instances); default 10,000. */
  budgetMs?: number;
  /** Default: Ananke's JSON Schema compiler. */
  engine?: SchemaEngine;
  /** Default: loadTokenizer('llama3'). */
  tokenizer?: Tokenizer;
  /** Engine limits (bound the work of one mask call so a pathological schema cannot hang the run). */
  limits?: Partial<Limits>;
  /** Also run XGrammar over the same schemas (in a worker thread, see maskbench-peer.ts). */
  peer?: boolean;
  /**
   * With `peer`, how many schemas each engine runs before the other runs them (default
   * DEFAULT_PEER_BATCH); at least the run's schema count: ours all first, then XGrammar's.
   */
  peerBatch?: number;
  /** Called with a progress line now and then (for stderr). */
  progress?: (line: string) => void;
  /** Minimum time between progress lines, ms (default 5,000). */
  progressEveryMs?: number;
  /**
   * Walk every instance a second time on the same compiled grammar and report those masks as
   * `reused` (default true). The first pass's figures are those of the protocol either way.
   */
  reuse?: boolean;
  /**
   * Before timing, run the engine over DEFAULT_WARM_UP_SCHEMAS synthetic tool-calling schemas
   * (src/engine/warm-up), and XGrammar with `peer` over the first PEER_WARM_UP_SCHEMAS of them, as a
   * server does at startup, so that neither V8's
   * warm-up nor the first walks of the states every JSON schema has are charged to the first
   * schemas of the run (default true; false: the vocabulary is prepared and one schema walked).
   */
  warmUp?: boolean;
}

export const DEFAULT_BUDGET_MS = 10_000;
/** Instance failures kept per schema in the results file. */
const MAX_FAILURES = 5;
const SLOWEST_LISTED = 10;
const REASONS_LISTED = 25;

export const PEER_NOTE =
  'XGrammar (web-xgrammar 0.1.27, WebAssembly) as configured by src/eval/peer/xgrammar.ts (any whitespace, ' +
  'indent -1, strictMode false); its defaults differ from ours, so speed is compared only on schemas both engines accept.';

/** Synthetic schemas XGrammar runs before timing (with `peer` and the warm-up on). */
const PEER_WARM_UP_SCHEMAS = 8;

/**
 * With `peer`, our engine runs a batch of this many schemas, then XGrammar the same batch: close
 * enough in time that the machine's load is the same for both, and far enough apart that neither
 * engine starts each schema in caches the other just filled (schema by schema, Glaive's TBM p99
 * was 136 µs against 109 in batches of 32 and 81–94 alone; docs/engine-maskbench.md). Our TTFM is
 * still higher than in runs of ours alone (`peerBatch`).
 */
export const DEFAULT_PEER_BATCH = 32;

/**
 * With `peer` (and the warm-up on), how many of the warm-up's schemas each engine runs again,
 * untimed, before each of its batches. A thread that waited seconds for the other engine's batch
 * starts slower: without it, our TTFM p50 beside XGrammar was 2.4–3.0 ms against 2.2 ms in the
 * same hour with the whole run as one batch, and the first schemas after a pause took up to 1.5×
 * (docs/engine-maskbench.md, "The side-by-side run and our TTFM").
 */
const REWARM_SCHEMAS = 8;

/** Masks at least this long are noted with their interval, to be matched with GC pauses. */
const NOTED_MASK_US = 1_000;
/** The threshold the slow-mask count uses (issue: no mask over 10 ms). */
export const SLOW_MASK_US = 10_000;

/** A mask of at least NOTED_MASK_US: where, how long, and when (performance.now()). */
interface SlowMaskAt {
  file: string;
  test: number;
  token: number;
  us: number;
  start: number;
  end: number;
}

/**
 * Masks over SLOW_MASK_US, how many had a collector pause inside, and the largest that had none;
 * and every noted mask with a pause inside (pausedMasks).
 */
function slowMaskSummary(slow: SlowMaskAt[], gc: GcPauses): SlowMasks {
  const pausedMasks = { count: 0, major: 0, pauseMs: 0 };
  let count = 0;
  let withGcPause = 0;
  let withMajorGc = 0;
  let largest: SlowMaskAt | undefined;
  for (const m of slow) {
    const ms = gc.within(m.start, m.end);
    const major = ms > 0 && gc.majorWithin(m.start, m.end);
    if (ms === 0 && (largest === undefined || m.us > largest.us)) largest = m;
    if (ms > 0) {
      pausedMasks.count++;
      if (major) pausedMasks.major++;
      pausedMasks.pauseMs += ms;
    }
    if (m.us >= SLOW_MASK_US) {
      count++;
      if (ms > 0) withGcPause++;
      if (major) withMajorGc++;
    }
  }
  pausedMasks.pauseMs = round(pausedMasks.pauseMs);
  const out: SlowMasks = { thresholdUs: SLOW_MASK_US, count, withGcPause, withMajorGc, gcPauses: gc.count, pausedMasks };
  if (largest !== undefined) out.largestWithoutGc = { file: largest.file, test: largest.test, token: largest.token, us: round(largest.us) };
  return out;
}

/** Runs MaskBench over a folder of MaskBench files. */
export async function runMaskbench(folder: string, opts: MaskbenchOptions = {}): Promise<MaskbenchReport> {
  const started = performance.now();
  const files = opts.files ?? listMaskbenchFiles(folder, { filter: opts.filter, limit: opts.limit });
  const peerBatch = opts.peerBatch ?? DEFAULT_PEER_BATCH;
  if (!Number.isInteger(peerBatch) || peerBatch < 1) throw new AnankeError('USAGE', `peerBatch must be a positive integer, not ${peerBatch}`);
  const tok = opts.tokenizer ?? loadTokenizer('llama3');
  const engine = opts.engine ?? anankeSchemaEngine();
  const limits = withLimits(opts.limits);
  const budgetMs = opts.budgetMs ?? DEFAULT_BUDGET_MS;
  const peer = opts.peer ? new PeerWorker(tok.name) : undefined;
  const warmSchemas = opts.warmUp === false ? 1 : DEFAULT_WARM_UP_SCHEMAS;
  const ourWarmUp = (schemas: number) => warmUp(tok, { schemas, limits, compile: (schema) => engine.compile(schema, tok, limits).grammar });
  const warm = ourWarmUp(warmSchemas);
  // XGrammar gets the first PEER_WARM_UP_SCHEMAS of the same workload: WebAssembly needs less warming
  // than JavaScript, and it compiles some of these schemas for seconds (integer ranges, maxLength).
  const peerWarmUp = (n: number) => toolSchemaCases(n).map((c) => ({ file: 'warm-up', schema: c.schema, tests: [{ valid: true, text: c.document }] }));
  if (peer) peer.warmUp(peerWarmUp(Math.min(warmSchemas, PEER_WARM_UP_SCHEMAS)), tok);
  // With the peer, each engine's thread waits while the other runs its batch; before each batch it
  // runs the first REWARM_SCHEMAS of the same warm-up again, untimed (see REWARM_SCHEMAS).
  const rewarm = peer && opts.warmUp !== false;

  const results: SchemaResult[] = [];
  const skipped: { file: string; error: string }[] = [];
  const tbmAll = new Samples();
  const ttfmAll = new Samples();
  const schemaTbm = new Samples();
  const peerTbmAll = new Samples();
  const peerTtfmAll = new Samples();
  const peerSchemaTbm = new Samples();
  const both = { schemas: 0, oursTbm: new Samples(), peerTbm: new Samples(), oursTtfm: new Samples(), peerTtfm: new Samples() };
  const reuse = opts.reuse ?? true;
  const reusedAll = new Samples();
  const reusedTbm = new Samples();
  const categories = new CategoryTable();
  // The run's slowest mask (the summary gets a copy once its pause is known), and each schema's.
  let slowestMask: { file: string; mask: SlowestMask } | undefined;
  const slowestAt = new Map<SlowestMask, SlowMaskAt>();
  // Masks of at least NOTED_MASK_US, with their interval: matched with the collector's pauses at the end.
  const slow: SlowMaskAt[] = [];
  const gc = new GcPauses();
  const every = opts.progressEveryMs ?? 5_000;
  let lastProgress = started;

  // Schemas our engine ran whose XGrammar run waits for the end of their batch.
  let batch: { mb: MaskbenchFile; encoded: Int32Array[]; r: SchemaResult; ours: EngineRun; oursTimings: SchemaTimings | undefined }[] = [];
  const runPeerBatch = (): void => {
    if (rewarm) peer!.warmUp(peerWarmUp(REWARM_SCHEMAS), tok);
    for (const { mb, encoded, r, ours, oursTimings } of batch) {
      peerSchemaTbm.length = 0;
      const p = peer!.run(mb, encoded, budgetMs);
      peerSchemaTbm.pushArray(p.tbm);
      r.peer = p.result;
      peerTbmAll.pushAll(peerSchemaTbm);
      if (p.result.ttfmUs !== undefined) peerTtfmAll.push(p.result.ttfmUs);
      if (ranToEnd(ours.result.status) && ranToEnd(p.result.status)) {
        both.schemas++;
        both.oursTbm.pushArray(oursTimings!.tbm);
        both.peerTbm.pushAll(peerSchemaTbm);
        both.oursTtfm.push(ours.result.ttfmUs!);
        both.peerTtfm.push(p.result.ttfmUs!);
        categories.addBoth(mb.file, oursTimings!, { tbm: p.tbm, ttfmUs: p.result.ttfmUs!, requestUs: p.requestUs ?? NaN });
      }
    }
    batch = [];
  };

  try {
    for (let i = 0; i < files.length; i++) {
      // One turn of the event loop between instances, as a server has between requests: the
      // collector's pending tasks (finishing a major collection whose marking ran concurrently) run
      // here instead of inside the next instance's masks (docs/engine-maskbench.md, "Between instances").
      await nextTurn();
      const full = files[i]!;
      let mb: MaskbenchFile;
      try {
        mb = loadMaskbenchFile(full);
      } catch (e) {
        if (!(e instanceof MaskbenchFileError)) throw e;
        skipped.push({ file: full.split(/[\\/]/).pop()!, error: e.message });
        continue;
      }
      // Encoding is the tokenizer's work, not the engine's: done before the clock starts.
      const encoded = mb.tests.map((t) => Int32Array.from(tok.encode(t.text, PLAIN_TEXT)));
      schemaTbm.length = 0;
      reusedTbm.length = 0;
      if (rewarm && batch.length === 0) ourWarmUp(REWARM_SCHEMAS);
      const ours = await runEngineSchema(engine, mb, encoded, tok, limits, budgetMs, schemaTbm, slow, reuse ? reusedTbm : undefined);
      tbmAll.pushAll(schemaTbm);
      reusedAll.pushAll(reusedTbm);
      if (ours.ttfmUs !== undefined) ttfmAll.push(ours.ttfmUs);
      const oursTimings = ours.ttfmUs !== undefined ? { tbm: schemaTbm.toArray(), ttfmUs: ours.ttfmUs, requestUs: ours.requestUs } : undefined;
      categories.addOurs(mb.file, ours.result.status, oursTimings, reusedTbm.toArray());
      const sm = ours.result.slowestMask;
      if (sm !== undefined && (slowestMask === undefined || sm.us > slowestMask.mask.us)) slowestMask = { file: mb.file, mask: sm };
      if (sm !== undefined && ours.slowestAt !== undefined) slowestAt.set(sm, ours.slowestAt);
      const r: SchemaResult = {
        file: mb.file,
        ...ours.result,
        valid: mb.tests.filter((t) => t.valid).length,
        invalid: mb.tests.filter((t) => !t.valid).length,
      };
      if (ours.mismatches > 0) r.maskConsumeMismatches = ours.mismatches;
      results.push(r);
      if (peer) {
        batch.push({ mb, encoded, r, ours, oursTimings });
        if (batch.length === peerBatch || i === files.length - 1) runPeerBatch();
      }
      const now = performance.now();
      if (opts.progress && (now - lastProgress >= every || i === files.length - 1)) {
        lastProgress = now;
        const c = countStatuses(results);
        opts.progress(
          `maskbench: ${i + 1}/${files.length} files, ${((now - started) / 1000).toFixed(0)} s: ` +
            `${c.passing} passing, ${c.compileError} compile errors, ${c.validationError} validation, ` +
            `${c.invalidationError} invalidation, ${c.crash} crash, ${c.timeout} timeout` +
            (peer ? `; xgrammar: ${countPeer(results)}` : ''),
        );
      }
    }
    if (batch.length > 0) runPeerBatch(); // the last file was unreadable
  } finally {
    peer?.dispose();
    await gc.stop();
  }

  const summary: MaskbenchSummary = {
    folder,
    engine: engine.name,
    tokenizer: tok.name,
    budgetMs,
    wallMs: Math.round(performance.now() - started),
    v8PoolSize: startedPoolSize() ?? 'default',
    ...countStatuses(results),
    validationErrorOrderOnly: results.filter((r) => r.status === 'validationError' && r.orderOnly === true).length,
    postChecked: results.filter((r) => r.postChecks !== undefined).length,
    postCheckRejections: results.reduce((n, r) => n + (r.postCheckRejections ?? 0), 0),
    tokens: tbmAll.length,
    tbm: tbmAll.summary(),
    ttfm: ttfmAll.summary(),
    skipped,
    compileErrorReasons: rankReasons(results.filter((r) => r.status === 'compileError').map((r) => r.error ?? '')),
    slowest: {
      ttfm: topBy(results, (r) => r.ttfmUs),
      tbm: topBy(results, (r) => (r.tokens > 0 ? r.maxTbmUs : undefined)),
    },
    categories: categories.summaries(),
    warmUp: { ...warm, ms: Math.round(warm.ms) },
    slowMasks: slowMaskSummary(slow, gc),
  };
  for (const [sm, at] of slowestAt) sm.gcMs = round(gc.within(at.start, at.end));
  if (slowestMask !== undefined) summary.slowestMask = { file: slowestMask.file, ...slowestMask.mask, gcMs: slowestMask.mask.gcMs ?? 0 };
  if (reuse) summary.reused = reusedAll.summary();
  if (peer) {
    const peerResults = results.map((r) => r.peer!);
    summary.peer = {
      engine: 'xgrammar',
      config: PEER_NOTE,
      ...countStatuses(peerResults),
      tokens: peerTbmAll.length,
      tbm: peerTbmAll.summary(),
      ttfm: peerTtfmAll.summary(),
    };
    const ot = both.oursTbm.summary();
    const pt = both.peerTbm.summary();
    const of = both.oursTtfm.summary();
    const pf = both.peerTtfm.summary();
    summary.comparison = {
      schemas: both.schemas,
      oursTokens: both.oursTbm.length,
      peerTokens: both.peerTbm.length,
      ours: { tbm: ot, ttfm: of },
      peer: { tbm: pt, ttfm: pf },
      ratio: {
        tbmAvg: ratio(ot.avg, pt.avg),
        tbmP50: ratio(ot.p50, pt.p50),
        tbmP99: ratio(ot.p99, pt.p99),
        ttfmP50: ratio(of.p50, pf.p50),
        ttfmP99: ratio(of.p99, pf.p99),
      },
      batch: peerBatch,
      rewarm: rewarm ? REWARM_SCHEMAS : 0,
      note: PEER_NOTE,
    };
  }
  return { summary, results };
}

function countPeer(results: SchemaResult[]): string {
  const c = countStatuses(results.flatMap((r) => (r.peer ? [r.peer] : [])));
  return `${c.passing} passing, ${c.compileError} compile errors, ${c.invalidationError} invalidation, ${c.timeout} timeout`;
}

function ranToEnd(s: SchemaStatus): boolean {
  return s !== 'compileError' && s !== 'crash' && s !== 'timeout';
}

function ratio(a: number, b: number): number {
  return b > 0 && Number.isFinite(a) ? Math.round((a / b) * 1000) / 1000 : NaN;
}

export function countStatuses(rs: readonly { status: SchemaStatus }[]): StatusCounts {
  const c: StatusCounts = { schemas: rs.length, passing: 0, compileError: 0, validationError: 0, invalidationError: 0, crash: 0, timeout: 0 };
  for (const r of rs) c[r.status]++;
  return c;
}

function topBy(rs: SchemaResult[], key: (r: SchemaResult) => number | undefined): { file: string; us: number }[] {
  const withKey: { file: string; us: number }[] = [];
  for (const r of rs) {
    const k = key(r);
    if (k !== undefined) withKey.push({ file: r.file, us: Math.round(k) });
  }
  return withKey.sort((a, b) => b.us - a.us).slice(0, SLOWEST_LISTED);
}

/**
 * Groups error messages by shape: quoted names, paths and numbers are replaced by placeholders, so
 * "unsupported keyword 'foo'" and "... 'bar'" stay apart only by keyword (kept), not by location.
 */
export function reasonKey(msg: string): string {
  return msg
    .replace(/\(line \d+, column \d+\)/g, '')
    .replace(/ at #\S*?:( |$)/g, ' at <path>:$1')
    .replace(/#\/[^\s,;'"]*/g, '<path>')
    .replace(/"(?:[^"\\]|\\.){41,}"/g, '"…"')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .trim()
    .slice(0, 200);
}

export function rankReasons(msgs: string[]): ReasonCount[] {
  const by = new Map<string, ReasonCount>();
  for (const m of msgs) {
    const k = reasonKey(m);
    const e = by.get(k);
    if (e) e.count++;
    else by.set(k, { reason: k, count: 1, example: m.slice(0, 300) });
  }
  return [...by.values()].sort((a, b) => b.count - a.count).slice(0, REASONS_LISTED);
}

interface EngineRun {
  result: EngineSchemaResult;
  ttfmUs?: number;
  /** TTFM plus the masks of the first instance, µs. */
  requestUs: number;
  mismatches: number;
  /** The slowest mask's interval, when it is at least NOTED_MASK_US (one of `slow`). */
  slowestAt?: SlowMaskAt;
}

function errorText(e: unknown): string {
  if (e instanceof EngineError) return `${e.code}: ${e.message}`;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/**
 * Our engine on one schema; mask times go to `tbm`, and with `reused` the masks of a second pass
 * over the same instances on the same compiled grammar. Never throws for engine errors.
 */
async function runEngineSchema(
  engine: SchemaEngine,
  mb: MaskbenchFile,
  encoded: Int32Array[],
  tok: Tokenizer,
  limits: Limits,
  budgetMs: number,
  tbm: Samples,
  slow: SlowMaskAt[],
  reused?: Samples,
): Promise<EngineRun> {
  const t0 = performance.now();
  const deadline = t0 + budgetMs;
  let compiled: SchemaCompilation;
  let cg: CompiledGrammar;
  let bits: Uint32Array;
  try {
    compiled = engine.compile(mb.schema, tok, limits);
    cg = compiled.grammar;
    bits = new Uint32Array(cg.maskWords);
    cg.matcher().computeMask(bits);
  } catch (e) {
    // Any EngineError while compiling (SCHEMA, GRAMMAR, REGEX, LIMIT) is the engine refusing the
    // schema with a reason: a compile error. Anything else is a bug: a crash.
    const status: SchemaStatus = e instanceof EngineError ? 'compileError' : 'crash';
    return { result: { status, tokens: 0, maxTbmUs: 0, error: errorText(e) }, requestUs: NaN, mismatches: 0 };
  }
  const ttfmUs = (performance.now() - t0) * 1000;
  let requestUs = ttfmUs;
  // The slowest mask so far, and what the compiled grammar built during it.
  let slowest: SlowestMask | undefined;
  let slowestAt: SlowMaskAt | undefined;
  const failures: InstanceFailure[] = [];
  let invalidation = false;
  let validation = false;
  // A valid instance refused for more than its key order (or that could not be reordered).
  let validationOfContent = false;
  let postCheckRejections = 0;
  let mismatches = 0;
  let stop: { status: SchemaStatus; error: string } | undefined;
  if (performance.now() > deadline) stop = { status: 'timeout', error: `compiling took more than the ${budgetMs} ms budget` };

  for (let ti = 0; ti < mb.tests.length && !stop; ti++) {
    // Each instance is a request: a turn of the event loop before it, as between an instance's
    // schema and the next (runMaskbench).
    if (ti > 0) await nextTurn();
    const test = mb.tests[ti]!;
    const ids = encoded[ti]!;
    let rejectedAt = -1;
    try {
      const m: Matcher = cg.matcher();
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k]!;
        const before = cg.stats();
        const a = performance.now();
        m.computeMask(bits);
        const b = performance.now();
        const us = (b - a) * 1000;
        tbm.push(us);
        if (ti === 0) requestUs += us;
        const at = us >= NOTED_MASK_US ? { file: mb.file, test: ti, token: k, us, start: a, end: b } : undefined;
        if (at !== undefined) slow.push(at);
        if (slowest === undefined || us > slowest.us) {
          slowest = describeMask(cg, before, tok, ids, ti, k, us);
          slowestAt = at;
        }
        if (((bits[id >>> 5]! >>> (id & 31)) & 1) === 0) {
          rejectedAt = k;
          break;
        }
        if (!m.consume(id)) {
          mismatches++;
          rejectedAt = k;
          break;
        }
        if (b > deadline) {
          stop = { status: 'timeout', error: `over the ${budgetMs} ms budget in test ${ti} at token ${k + 1} of ${ids.length}` };
          break;
        }
      }
      if (stop) break;
      const grammarAccepted = rejectedAt < 0 && m.isAccepting();
      // The post-check runs on the finished document, as a server runs it after generation; it
      // is not timed (masks are).
      const postRefused = grammarAccepted && compiled.postCheck !== undefined && !compiled.postCheck(test.text);
      if (postRefused) postCheckRejections++;
      const accepted = grammarAccepted && !postRefused;
      if (accepted !== test.valid) {
        const failure: InstanceFailure = { test: ti, valid: test.valid, outcome: postRefused ? 'accepted by the grammar, refused by the post-check' : describeOutcome(tok, ids, rejectedAt, rejectedAt < 0 && !test.valid) };
        if (test.valid) {
          validation = true;
          if (refusedOnlyForOrder(compiled, tok, test.text)) failure.orderOnly = true;
          else validationOfContent = true;
        } else invalidation = true;
        if (failures.length < MAX_FAILURES) failures.push(failure);
      }
    } catch (e) {
      // A LIMIT error while matching is the engine's guard against one pathological mask call:
      // the schema ran out of its allowance, like a timeout. Anything else is a crash.
      stop = e instanceof EngineError && e.code === 'LIMIT'
        ? { status: 'timeout', error: `test ${ti}: ${errorText(e)}` }
        : { status: 'crash', error: `test ${ti}: ${errorText(e)}` };
    }
    if (!stop && performance.now() > deadline && ti < mb.tests.length - 1) {
      stop = { status: 'timeout', error: `over the ${budgetMs} ms budget after test ${ti} of ${mb.tests.length}` };
    }
  }

  if (reused !== undefined && !stop) reusePass(cg, encoded, bits, reused);

  // An invalidation error is never hidden behind a later crash or timeout: it is the worst kind.
  const status: SchemaStatus = invalidation ? 'invalidationError' : stop ? stop.status : validation ? 'validationError' : 'passing';
  const result: EngineSchemaResult = { status, ttfmUs: round(ttfmUs), tokens: tbm.length, maxTbmUs: round(tbm.max()) };
  if (stop) result.error = stop.error;
  if (failures.length) result.failures = failures;
  if (slowest !== undefined) result.slowestMask = slowest;
  if (status === 'validationError' && !validationOfContent) result.orderOnly = true;
  if (compiled.postChecks !== undefined && compiled.postChecks.length > 0) {
    result.postChecks = compiled.postChecks;
    result.postCheckRejections = postCheckRejections;
  }
  return { result, ttfmUs, requestUs, mismatches, ...(slowestAt !== undefined ? { slowestAt } : {}) };
}

/**
 * Every instance again on the same compiled grammar (fresh matchers, caches as the first pass left
 * them), masks timed into `out`; stops at an instance's first refused token, as the first pass did.
 */
function reusePass(cg: CompiledGrammar, encoded: Int32Array[], bits: Uint32Array, out: Samples): void {
  try {
    for (const ids of encoded) {
      const m = cg.matcher();
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k]!;
        const a = performance.now();
        m.computeMask(bits);
        out.push((performance.now() - a) * 1000);
        if (((bits[id >>> 5]! >>> (id & 31)) & 1) === 0 || !m.consume(id)) break;
      }
    }
  } catch {
    // The first pass met no error on these instances; a LIMIT here only ends the second pass.
  }
}

/** Where a mask was and what the compiled grammar built while computing it. */
function describeMask(cg: CompiledGrammar, before: ReturnType<CompiledGrammar['stats']>, tok: Tokenizer, ids: Int32Array, test: number, k: number, us: number): SlowestMask {
  const after = cg.stats();
  return {
    us: round(us),
    test,
    token: k,
    before: JSON.stringify(tok.decode(Array.from(ids.subarray(Math.max(0, k - 8), k)))),
    newLexerStates: after.lexerStates - before.lexerStates,
    plansBuilt: after.maskCacheMisses - before.maskCacheMisses,
    fullMaskHit: after.fullMaskHits > before.fullMaskHits,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** How an instance went, for the results file: where it was rejected, or that it was not. */
export function describeOutcome(tok: Tokenizer, ids: Int32Array, rejectedAt: number, accepting: boolean): string {
  if (rejectedAt < 0) {
    return accepting ? `all ${ids.length} tokens allowed and accepting at the end` : `all ${ids.length} tokens allowed but not accepting at the end`;
  }
  const text = JSON.stringify(tok.decode([ids[rejectedAt]!]));
  const before = JSON.stringify(tok.decode(Array.from(ids.subarray(Math.max(0, rejectedAt - 8), rejectedAt))));
  return `rejected token ${rejectedAt} of ${ids.length} ${text} after …${before}`;
}
