/**
 * Admission: at most `parallel` requests generate at once (one per model sequence) and at most
 * `queue` wait for a turn, first come, first served. A request beyond that is refused at once
 * (429 with Retry-After) rather than left to wait without bound. A waiting request whose signal
 * aborts (its client went away, its time ran out, the server is closing) leaves the queue.
 */
import { HttpError } from './http-error.ts';

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

export class SlotQueue {
  private active = 0;
  private readonly waiters: Waiter[] = [];
  /** Seconds a slot was held, smoothed (for Retry-After). */
  private meanHoldS = 1;

  constructor(readonly parallel: number, readonly capacity: number) {
    if (!Number.isInteger(parallel) || parallel < 1) throw new RangeError(`parallel must be a positive integer, not ${parallel}`);
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`the queue capacity must be an integer ≥ 0, not ${capacity}`);
  }

  get running(): number {
    return this.active;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Whether `n` more acquisitions (one request's choices) all fit: the free slots, then the room
   * left in the queue. A 429 naming the queue when not; called before acquiring them.
   */
  admit(n: number): void {
    const waiting = Math.max(0, n - (this.parallel - this.active));
    if (waiting > 0 && this.waiters.length + waiting > this.capacity) throw this.full();
  }

  private full(): HttpError {
    // Time until the queue ahead drains, at the recent pace: a hint, at least a second.
    const retry = Math.max(1, Math.ceil(this.meanHoldS * (this.waiters.length + 1) / this.parallel));
    return new HttpError(429, `the server is busy: ${this.active} requests generating and ${this.waiters.length} waiting (the queue holds ${this.capacity}); retry in ${retry} s`, 'rate_limit_error', null, 'queue_full', { 'Retry-After': String(retry) });
  }

  /**
   * A slot, when one is free or frees up; resolves to its release function (call it exactly once).
   * Throws a 429 when the queue is full, and the signal's reason when it aborts while waiting.
   */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.active < this.parallel) return Promise.resolve(this.grant());
    if (this.waiters.length >= this.capacity) return Promise.reject(this.full());
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        resolve, reject, signal,
        onAbort: () => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', w.onAbort, { once: true });
      this.waiters.push(w);
    });
  }

  private grant(): () => void {
    this.active++;
    const t0 = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.meanHoldS = 0.8 * this.meanHoldS + 0.2 * ((performance.now() - t0) / 1000);
      this.active--;
      const next = this.waiters.shift();
      if (next) {
        next.signal.removeEventListener('abort', next.onAbort);
        next.resolve(this.grant());
      }
    };
  }
}
