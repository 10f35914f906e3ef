/**
 * XGrammar (web-xgrammar) on MaskBench schemas, with the same protocol as our engine: TTFM is
 * compile + first mask, then per instance (matcher reset to the initial state) a timed mask per
 * token, the token's bit checked, the token accepted; at the end the instance is accepted when an
 * end-of-sequence token is. Used only with `--peer`, for speed ratios in the same run.
 *
 * XGrammar compiles some schemas for a minute or more inside one synchronous WebAssembly call, which
 * no check between tokens can interrupt. So the peer runs in a worker thread (see
 * maskbench-peer-worker.ts) while this thread waits, blocked: past the schema's budget the worker
 * is terminated (a timeout) and a fresh one is started for the next schema. Only one thread works
 * at a time, so the measurement stays single-threaded.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { EngineError, PLAIN_TEXT, type Tokenizer } from '../engine/index.ts';
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
/** Extra wait past the budget before the worker is stopped (messages, the worker's own overhead). */
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
 *
 * This thread blocks while the worker runs (Atomics.wait on a flag the worker raises after each
 * message), as if XGrammar ran in it: an event loop left idle for the seconds XGrammar compiles
 * lets V8's memory reducer shrink this thread's young generation, and our masks, run on a heap
 * tuned for idleness, were up to 2× slower at p50 and 3× at p99 than in a run without the peer
 * (docs/engine-maskbench.md).
 */
export class PeerWorker {
  private worker: Worker | undefined;
  /** This thread's end of the worker's reply channel, and the flag raised with each reply. */
  private port: MessagePort | undefined;
  private flag: Int32Array | undefined;
  private startError: string | undefined;

  constructor(private readonly tokenizer: string) {}

  private start(): void {
    const entry = new URL('./maskbench-peer-worker' + (import.meta.url.endsWith('.ts') ? '.ts' : '.js'), import.meta.url).href;
    // Under tsx (no build step), the worker registers the TypeScript loader before importing.
    const loader = entry.endsWith('.ts') ? `const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}); register();` : '';
    const fail = `const { workerData: d } = require('node:worker_threads'); d.port.postMessage({ type: 'error', message: String(e && e.stack || e) }); Atomics.store(d.flag, 0, 1); Atomics.notify(d.flag, 0);`;
    const code = `(async () => { ${loader} await import(${JSON.stringify(entry)}); })().catch((e) => { ${fail} });`;
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const w = new Worker(code, { eval: true, workerData: { tokenizer: this.tokenizer, port: port2, flag }, transferList: [port2] });
    w.unref();
    // The worker reports its own errors as replies; a worker that dies without one is found by the
    // wait running out. Without a listener, its 'error' event would end this process.
    w.on('error', () => {});
    this.worker = w;
    this.port = port1;
    this.flag = flag;
    const m = this.next(WORKER_START_MS);
    if (m?.type !== 'ready') {
      this.stopWorker();
      throw new EngineError('STATE', `the XGrammar peer did not start: ${m === undefined ? 'timed out' : m.type === 'error' ? m.message : 'unexpected message'}`);
    }
  }

  /** Blocks until the worker's next message, or for at most `ms` (then undefined). */
  private next(ms: number): FromWorker | undefined {
    const deadline = performance.now() + ms;
    for (;;) {
      // A message posted before the flag went up is already on the port.
      const got = receiveMessageOnPort(this.port!);
      if (got !== undefined) return got.message as FromWorker;
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      Atomics.wait(this.flag!, 0, 0, left);
      Atomics.store(this.flag!, 0, 0);
    }
  }

  run(mb: MaskbenchFile, encoded: Int32Array[], budgetMs: number): PeerOutcome {
    if (this.startError !== undefined) throw new EngineError('STATE', this.startError);
    if (!this.worker) {
      try {
        this.start();
      } catch (e) {
        this.startError = e instanceof Error ? e.message : String(e);
        throw e;
      }
    }
    const job: PeerJob = { schema: mb.schema, tests: mb.tests.map((t, i) => ({ valid: t.valid, ids: encoded[i]! })), budgetMs };
    this.worker!.postMessage(job);
    const m = this.next(budgetMs + WORKER_GRACE_MS);
    if (m?.type === 'done') return m.outcome;
    // Over budget inside one WebAssembly call (or the worker died): stop it, start afresh next time.
    this.stopWorker();
    const error = m === undefined ? `over the ${budgetMs} ms budget inside one XGrammar call (compile or mask); worker stopped` : `the XGrammar worker failed: ${m.type === 'error' ? m.message : 'unexpected message'}`;
    return { result: { status: m === undefined ? 'timeout' : 'crash', tokens: 0, maxTbmUs: 0, error }, tbm: new Float64Array(0) };
  }

  /** Runs `files` through XGrammar, untimed: the same warm-up our engine had (maskbench.ts). */
  warmUp(files: MaskbenchFile[], tok: Tokenizer): void {
    for (const mb of files) {
      try {
        this.run(mb, mb.tests.map((t) => Int32Array.from(tok.encode(t.text, PLAIN_TEXT))), WARM_UP_BUDGET_MS);
      } catch {
        return; // the worker failed to start: run() reports it again on the first timed schema
      }
    }
  }

  private stopWorker(): void {
    const w = this.worker;
    this.worker = undefined;
    this.port?.close();
    this.port = undefined;
    this.flag = undefined;
    if (w) void w.terminate();
  }

  dispose(): void {
    this.stopWorker();
  }
}
