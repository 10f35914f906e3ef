/** Percentile summaries of timing samples. All timings in the benchmarks are microseconds. */
export interface Summary {
  n: number;
  avg: number;
  p25: number;
  p50: number;
  p75: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(samples: ArrayLike<number>): Summary {
  const s = Float64Array.from(samples as ArrayLike<number>).sort();
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s[i]!;
  return {
    n: s.length,
    avg: s.length ? sum / s.length : NaN,
    p25: percentile(s, 25),
    p50: percentile(s, 50),
    p75: percentile(s, 75),
    p90: percentile(s, 90),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    p999: percentile(s, 99.9),
    max: s.length ? s[s.length - 1]! : NaN,
  };
}

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
