/**
 * Timing samples for MaskBench: a growable Float64Array (no per-sample allocation on the hot path)
 * and the percentile summary MaskBench reports (avg, p25 … p99.9, max), nearest-rank, microseconds.
 * The engine may not import bench/, so this is a small copy of the definition bench/lib/stats.ts uses.
 */
export interface TimingSummary {
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

/** Append-only list of samples (microseconds). */
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

  /** A copy of the samples. */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }

  pushArray(xs: Float64Array): void {
    for (let i = 0; i < xs.length; i++) this.push(xs[i]!);
  }

  max(): number {
    let m = 0;
    for (let i = 0; i < this.length; i++) if (this.data[i]! > m) m = this.data[i]!;
    return m;
  }

  summary(): TimingSummary {
    return summarizeSorted(this.data.slice(0, this.length).sort());
  }
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
function pct(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

function round2(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 100) / 100 : x;
}

function summarizeSorted(s: Float64Array): TimingSummary {
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s[i]!;
  return {
    avg: round2(s.length ? sum / s.length : NaN),
    p25: round2(pct(s, 25)),
    p50: round2(pct(s, 50)),
    p75: round2(pct(s, 75)),
    p90: round2(pct(s, 90)),
    p95: round2(pct(s, 95)),
    p99: round2(pct(s, 99)),
    p999: round2(pct(s, 99.9)),
    max: round2(s.length ? s[s.length - 1]! : NaN),
  };
}
