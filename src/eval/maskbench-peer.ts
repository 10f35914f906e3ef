/**
 * XGrammar (web-xgrammar) on MaskBench schemas, with the same protocol as our engine: TTFM is
 * compile + first mask, then per instance (matcher reset to the initial state) a timed mask per
 * token, the token's bit checked, the token accepted; at the end the instance is accepted when an
 * end-of-sequence token is. Used only with `--peer`, for speed ratios in the same run.
 *
 * XGrammar compiles some schemas for a minute or more inside one synchronous WebAssembly call, which
 * no check between tokens can interrupt. So the peer runs in a worker thread (see
 * maskbench-peer-worker.ts) while this thread waits: past the schema's budget the worker is
 * terminated (a timeout) and a fresh one is started for the next schema. Only one thread works at
 * a time, so the measurement stays single-threaded.
 */
import { Worker } from 'node:worker_threads';
import { EngineError, type Tokenizer } from '../engine/index.ts';
import type { PeerGrammar, PeerMatcher, XGrammarPeer } from './peer/xgrammar.ts';
import type { MaskbenchFile } from './maskbench-file.ts';
import type { EngineSchemaResult, InstanceFailure, SchemaStatus } from './maskbench-result.ts';
import { Samples } from '../core/index.ts';

/** One schema's peer run, as sent between threads. */
export interface PeerJob {
  schema: unknown;
  tests: { valid: boolean; ids: Int32Array }[];
  budgetMs: number;
}

export interface PeerOutcome {
  result: EngineSchemaResult;
  /** Mask times, µs. */
  tbm: Float64Array;
  /** TTFM plus every mask of the first instance, µs (one request for a schema not compiled before). */
  requestUs?: number;
}

const MAX_FAILURES = 5;
/** Extra wait past the budget before the worker is stopped (messages, start-up of a fresh worker). */
const WORKER_GRACE_MS = 2_000;
/** Budget of one warm-up schema (they are small: XGrammar compiles each in tens of ms). */
const WARM_UP_BUDGET_MS = 10_000;
/** Starting a worker (tokenizer + XGrammar tokenizer info) may take this long on a busy machine. */
const WORKER_START_MS = 120_000;

/** Runs one schema with XGrammar in this thread. Never throws for engine errors. */
export async function runPeerJob(peer: XGrammarPeer, job: PeerJob, eos: number, vocabSize: number): Promise<PeerOutcome> {
  const tbm = new Samples();
  const t0 = performance.now();
  const deadline = t0 + job.budgetMs;
  let g: PeerGrammar | undefined;
  let m: PeerMatcher | undefined;
  const bits = new Uint32Array((vocabSize + 31) >>> 5);
  try {
    try {
      g = await peer.compileJsonSchema(JSON.stringify(job.schema));
      m = await g.matcher();
      m.fillNextTokenBitmask(bits);
    } catch (e) {
      const status: SchemaStatus = e instanceof EngineError ? 'compileError' : 'crash';
      return { result: { status, tokens: 0, maxTbmUs: 0, error: e instanceof Error ? e.message : String(e) }, tbm: new Float64Array(0) };
    }
    const ttfmUs = (performance.now() - t0) * 1000;
    const failures: InstanceFailure[] = [];
    let invalidation = false;
    let validation = false;
    let stop: { status: SchemaStatus; error: string } | undefined;
    if (performance.now() > deadline) stop = { status: 'timeout', error: `compiling took more than the ${job.budgetMs} ms budget` };
    let requestUs = ttfmUs;
    for (let ti = 0; ti < job.tests.length && !stop; ti++) {
      const test = job.tests[ti]!;
      const ids = test.ids;
      let rejectedAt = -1;
      try {
        m.reset();
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k]!;
          const a = performance.now();
          m.fillNextTokenBitmask(bits);
          const b = performance.now();
          tbm.push((b - a) * 1000);
          if (ti === 0) requestUs += (b - a) * 1000;
          if (((bits[id >>> 5]! >>> (id & 31)) & 1) === 0 || !m.acceptToken(id)) {
            rejectedAt = k;
            break;
          }
          if (b > deadline) {
            stop = { status: 'timeout', error: `over the ${job.budgetMs} ms budget in test ${ti}` };
            break;
          }
        }
        if (stop) break;
        const accepted = rejectedAt < 0 && m.acceptToken(eos);
        if (accepted !== test.valid) {
          if (test.valid) validation = true;
          else invalidation = true;
          if (failures.length < MAX_FAILURES) {
            const outcome = rejectedAt < 0 ? (accepted ? 'accepted' : 'not accepting at the end') : `rejected token ${rejectedAt} of ${ids.length}`;
            failures.push({ test: ti, valid: test.valid, outcome });
          }
        }
      } catch (e) {
        stop = { status: 'crash', error: `test ${ti}: ${e instanceof Error ? e.message : String(e)}` };
      }
    }
    const status: SchemaStatus = invalidation ? 'invalidationError' : stop ? stop.status : validation ? 'validationError' : 'passing';
    const result: EngineSchemaResult = { status, ttfmUs: round(ttfmUs), tokens: tbm.length, maxTbmUs: round(tbm.max()) };
    if (stop) result.error = stop.error;
    if (failures.length) result.failures = failures;
    return { result, tbm: tbm.toArray(), requestUs };
  } finally {
    m?.dispose();
    g?.dispose();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

type FromWorker = { type: 'ready' } | { type: 'error'; message: string } | { type: 'done'; outcome: PeerOutcome };

/**
 * XGrammar in a worker thread, one schema at a time, stopped and replaced when a schema runs past
 * its budget. `tokenizer` is a name loadTokenizer understands (llama3, qwen3 or a path).
 */
export class PeerWorker {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private pending: ((m: FromWorker) => void) | undefined;
  private startError: string | undefined;

  constructor(private readonly tokenizer: string) {}

  private start(): Promise<void> {
    const entry = new URL('./maskbench-peer-worker' + (import.meta.url.endsWith('.ts') ? '.ts' : '.js'), import.meta.url).href;
    // Under tsx (no build step), the worker registers the TypeScript loader before importing.
    const loader = entry.endsWith('.ts') ? `const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}); register();` : '';
    const code = `(async () => { ${loader} await import(${JSON.stringify(entry)}); })().catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'error', message: String(e && e.stack || e) }); });`;
    const w = new Worker(code, { eval: true, workerData: { tokenizer: this.tokenizer } });
    w.unref();
    this.worker = w;
    // Only the current worker may answer: a stopped one still reports its exit later.
    const deliver = (m: FromWorker): void => {
      if (this.worker !== w) return;
      const p = this.pending;
      this.pending = undefined;
      p?.(m);
    };
    w.on('message', (m: FromWorker) => deliver(m));
    w.on('error', (e) => deliver({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
    w.on('exit', (code) => {
      deliver({ type: 'error', message: `the XGrammar worker exited (code ${code})` });
      if (this.worker === w) this.worker = undefined;
    });
    return this.wait(WORKER_START_MS).then((m) => {
      if (m?.type !== 'ready') throw new EngineError('STATE', `the XGrammar peer did not start: ${m === undefined ? 'timed out' : m.type === 'error' ? m.message : 'unexpected message'}`);
    });
  }

  /** The next message from the worker, or undefined after `ms`. */
  private wait(ms: number): Promise<FromWorker | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        resolve(undefined);
      }, ms);
      this.pending = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
    });
  }

  async run(mb: MaskbenchFile, encoded: Int32Array[], budgetMs: number): Promise<PeerOutcome> {
    if (this.startError !== undefined) throw new EngineError('STATE', this.startError);
    if (!this.worker) this.ready = undefined;
    try {
      await (this.ready ??= this.start());
    } catch (e) {
      this.startError = e instanceof Error ? e.message : String(e);
      this.dispose();
      throw e;
    }
    const job: PeerJob = { schema: mb.schema, tests: mb.tests.map((t, i) => ({ valid: t.valid, ids: encoded[i]! })), budgetMs };
    const reply = this.wait(budgetMs + WORKER_GRACE_MS);
    this.worker!.postMessage(job);
    const m = await reply;
    if (m?.type === 'done') return m.outcome;
    // Over budget inside one WebAssembly call (or the worker died): stop it, start afresh next time.
    this.stopWorker();
    const error = m === undefined ? `over the ${budgetMs} ms budget inside one XGrammar call (compile or mask); worker stopped` : `the XGrammar worker failed: ${m.type === 'error' ? m.message : 'unexpected message'}`;
    return { result: { status: m === undefined ? 'timeout' : 'crash', tokens: 0, maxTbmUs: 0, error }, tbm: new Float64Array(0) };
  }

  /** Runs `files` through XGrammar, untimed: the same warm-up our engine had (maskbench.ts). */
  async warmUp(files: MaskbenchFile[], tok: Tokenizer): Promise<void> {
    for (const mb of files) {
      try {
        await this.run(mb, mb.tests.map((t) => Int32Array.from(tok.encode(t.text))), WARM_UP_BUDGET_MS);
      } catch {
        return; // the worker failed to start: run() reports it again on the first timed schema
      }
    }
  }

  private stopWorker(): void {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    this.pending = undefined;
    if (w) void w.terminate();
  }

  dispose(): void {
    this.stopWorker();
  }
}
