/**
 * Percentile summaries of timing samples: the one definition used by the CLI's per-token report,
 * the MaskBench runner and the benchmarks, so a p99 means the same everywhere. Nearest-rank
 * percentiles; an empty sample set summarizes to NaN (not 0: "no data" must not read as "fast").
 */
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

/** Nearest-rank percentile of an ascending array; NaN when it is empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The summary of samples in any order. */
export function summarize(samples: ArrayLike<number>): Summary {
  return summarizeSorted(Float64Array.from(samples).sort());
}

function summarizeSorted(s: Float64Array): Summary {
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

/** Two decimals, for reports; NaN and infinities pass through. */
export function round2(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 100) / 100 : x;
}

/** Every timing of a summary rounded to two decimals (`n` is a count and stays as is). */
export function roundSummary(s: Summary): Summary {
  return {
    n: s.n, avg: round2(s.avg), p25: round2(s.p25), p50: round2(s.p50), p75: round2(s.p75), p90: round2(s.p90),
    p95: round2(s.p95), p99: round2(s.p99), p999: round2(s.p999), max: round2(s.max),
  };
}

/** An append-only list of samples in a growable Float64Array: no allocation per sample on a hot path. */
export class Samples {
  private data = new Float64Array(1024);
  length = 0;

  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }

  pushAll(other: Samples): void {
    for (let i = 0; i < other.length; i++) this.push(other.data[i]!);
  }

  pushArray(xs: ArrayLike<number>): void {
    for (let i = 0; i < xs.length; i++) this.push(xs[i]!);
  }

  /** A copy of the samples. */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }

  max(): number {
    let m = 0;
    for (let i = 0; i < this.length; i++) if (this.data[i]! > m) m = this.data[i]!;
    return m;
  }

  /** The summary, rounded to two decimals as reports print it. */
  summary(): Summary {
    return roundSummary(summarizeSorted(this.data.slice(0, this.length).sort()));
  }
}
