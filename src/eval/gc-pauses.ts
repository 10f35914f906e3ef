/**
 * The garbage collector's pauses during a benchmark run, so a slow mask can be told apart from a
 * mask the collector stopped: V8 reports each pause as a `gc` performance entry on the same clock
 * as `performance.now()`, delivered asynchronously (after a timer turn), so slow masks are noted
 * with their interval while the run goes and matched with the pauses at its end.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';

export class GcPauses {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Per pause: a major collection (mark-compact), not a scavenge or an incremental step. */
  private readonly major: boolean[] = [];
  private readonly observer: PerformanceObserver;

  constructor() {
    this.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        this.starts.push(e.startTime);
        this.ends.push(e.startTime + e.duration);
        const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
        this.major.push(kind === constants.NODE_PERFORMANCE_GC_MAJOR);
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Waits until the pauses so far are delivered, then stops observing. */
  async stop(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    this.observer.disconnect();
  }

  /** Milliseconds of pause inside [start, end] (performance.now() times); with `majorOnly`, of major collections only. */
  within(start: number, end: number, majorOnly = false): number {
    let ms = 0;
    for (let i = 0; i < this.starts.length; i++) {
      if (majorOnly && !this.major[i]) continue;
      const s = Math.max(start, this.starts[i]!);
      const e = Math.min(end, this.ends[i]!);
      if (e > s) ms += e - s;
    }
    return ms;
  }

  /** Whether a major collection paused inside [start, end]. */
  majorWithin(start: number, end: number): boolean {
    return this.within(start, end, true) > 0;
  }

  get count(): number {
    return this.starts.length;
  }
}
