/**
 * A fixed set of extraction worker threads. Each worker keeps up to PER_WORKER tasks in flight so
 * it never idles waiting for the next message. A worker that dies fails its tasks (the run goes on
 * with a warning for those files) and is replaced.
 *
 * Workers run the compiled worker.js beside this file (dist/clew/). Only when this file itself runs
 * from the TypeScript sources (tests, a checkout run through tsx) does the worker start worker.ts
 * through tsx's loader, registered inside the worker: an `--import` in execArgv is not applied to a
 * worker's entry module on Node 20. The installed package never loads tsx.
 */
import { Worker } from 'node:worker_threads';
import type { FileFacts } from '../core/index.ts';
import type { WorkerReply, WorkerTask } from './worker.ts';

/** The code a worker evaluates first: import the worker module by absolute URL (works from any folder). */
export function workerBootstrap(): string {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSources ? './worker.ts' : './worker.js', import.meta.url).href;
  if (!fromSources) return `import(${JSON.stringify(entry)});`;
  return `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

/** Tasks sent ahead to each worker: enough to hide message latency, few enough to balance load. */
const PER_WORKER = 2;

/** Workers that die before any succeeds mean workers cannot run here at all. */
const MAX_CRASHES_BEFORE_SUCCESS = 3;

/** The pool gave up (its workers cannot start); the caller should extract in its own thread. */
export class PoolUnavailableError extends Error {
  override readonly name = 'PoolUnavailableError';
}

interface Pending {
  /** A task whose worker died is retried once on another worker, then reported. */
  retried?: boolean;
  task: WorkerTask;
  resolve: (f: FileFacts) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Pending>;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private crashes = 0;
  private successes = 0;
  /** Set when workers keep dying before doing any work; see PoolUnavailableError. */
  unavailable: string | undefined;

  /** `script` replaces the worker's bootstrap (tests use it to simulate workers that cannot start). */
  constructor(readonly size: number, private readonly script: string = workerBootstrap()) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(this.script, { eval: true });
    const slot: Slot = { worker, inFlight: new Map() };
    worker.on('message', (r: WorkerReply) => {
      const p = slot.inFlight.get(r.id);
      if (!p) return;
      slot.inFlight.delete(r.id);
      if ('error' in r) p.reject(new Error(r.error));
      else {
        this.successes++;
        p.resolve(r.facts);
      }
      this.pump();
    });
    const fail = (why: string): void => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return; // 'error' and 'exit' both report one death
      const lost = [...slot.inFlight.values()];
      slot.inFlight.clear();
      this.crashes++;
      if (this.successes === 0 && this.crashes >= MAX_CRASHES_BEFORE_SUCCESS) {
        this.unavailable = `extraction workers could not run (${why})`;
        this.slots.splice(i, 1);
        for (const s of this.slots) void s.worker.terminate();
        this.slots.length = 0;
        for (const p of [...lost, ...this.queue.splice(0)]) p.reject(new PoolUnavailableError(this.unavailable));
        return;
      }
      for (const p of lost) {
        // Before any success the worker, not the file, is the likely culprit: requeue as is.
        if (this.successes === 0) this.queue.unshift(p);
        else if (p.retried) p.reject(new Error(`extraction worker failed: ${why}`));
        else {
          p.retried = true;
          this.queue.unshift(p);
        }
      }
      if (!this.closed) {
        this.slots[i] = this.spawn();
        this.pump();
      } else this.slots.splice(i, 1);
    };
    worker.on('error', (e) => fail(e.message));
    worker.on('exit', (code) => { if (!this.closed && code !== 0) fail(`exited with code ${code}`); });
    return slot;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let best: Slot | undefined;
      for (const s of this.slots) if (s.inFlight.size < PER_WORKER && (!best || s.inFlight.size < best.inFlight.size)) best = s;
      if (!best) return;
      const p = this.queue.shift()!;
      best.inFlight.set(p.task.id, p);
      best.worker.postMessage(p.task);
    }
  }

  /** How many more tasks the workers would take right now without queueing. */
  idle(): number {
    if (this.unavailable) return 0;
    let n = 0;
    for (const s of this.slots) n += PER_WORKER - s.inFlight.size;
    return Math.max(0, n - this.queue.length);
  }

  extract(path: string, source: string, language: WorkerTask['language']): Promise<FileFacts> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    if (this.unavailable) return Promise.reject(new PoolUnavailableError(this.unavailable));
    return new Promise((resolve, reject) => {
      this.queue.push({ task: { id: this.nextId++, path, source, language }, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
