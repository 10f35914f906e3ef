/** Sampling loops for the benchmarks; the summary itself is src/core/stats.ts, shared with the CLI and MaskBench. */
import { summarize, type Summary } from '../../src/core/stats.ts';

export { percentile, summarize, type Summary } from '../../src/core/stats.ts';

/** Microseconds since an arbitrary origin, from the monotonic clock. */
export function nowUs(): number {
  return Number(process.hrtime.bigint()) / 1000;
}

/**
 * Times `fn` repeatedly: `warmup` untimed calls, then samples until both `minSamples` and
 * `minTimeMs` are reached (or `maxSamples`). Returns per-call microseconds.
 */
export function sample(
  fn: () => unknown,
  opts: { warmup?: number; minSamples?: number; maxSamples?: number; minTimeMs?: number } = {},
): Summary {
  const { warmup = 5, minSamples = 20, maxSamples = 10_000, minTimeMs = 200 } = opts;
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  const start = nowUs();
  while (out.length < maxSamples && (out.length < minSamples || nowUs() - start < minTimeMs * 1000)) {
    const t0 = nowUs();
    fn();
    out.push(nowUs() - t0);
  }
  return summarize(out);
}

export async function sampleAsync(
  fn: () => Promise<unknown>,
  opts: { warmup?: number; minSamples?: number; maxSamples?: number; minTimeMs?: number } = {},
): Promise<Summary> {
  const { warmup = 3, minSamples = 10, maxSamples = 2_000, minTimeMs = 200 } = opts;
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  const start = nowUs();
  while (out.length < maxSamples && (out.length < minSamples || nowUs() - start < minTimeMs * 1000)) {
    const t0 = nowUs();
    await fn();
    out.push(nowUs() - t0);
  }
  return summarize(out);
}
