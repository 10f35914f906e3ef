import type { Summary } from './stats.ts';

/** One measured quantity. Timings are microseconds; other units say what they are. */
export interface Measurement {
  name: string;
  unit: 'us' | 'ms' | 'files/s' | 'lines/s' | 'req/s' | 'tokens/s' | 'MB' | 'count' | 'ratio';
  summary?: Summary;
  value?: number;
  note?: string;
}

/** A row of the performance-target table printed by `npm run bench`. */
export interface TargetCheck {
  component: string;
  metric: string;
  /** Human form of the target, e.g. "< 10 ms". */
  target: string;
  /** Measured value in the same unit as the target, or undefined when not implemented yet. */
  measured?: number;
  unit: string;
  /** Whether `measured` meets the target (undefined when not measured). */
  met?: boolean;
  note?: string;
}

export interface SuiteResult {
  suite: string;
  measurements: Measurement[];
  targets: TargetCheck[];
  /**
   * Machine-independent figures for the regression check: each is a time divided by another time
   * measured in the same run (a calibration workload or a peer engine), so a noisy or slower
   * machine moves numerator and denominator together. Lower is better.
   */
  ratios: Record<string, number>;
}

export interface BenchOptions {
  /** Fewer samples, smaller inputs: for smoke runs. */
  quick: boolean;
  /** p50 of the calibration workload in this process, microseconds. */
  calibrationUs: number;
}

/** Each benchmark file (bench/<component>.ts) exports `suite`. */
export interface BenchSuite {
  name: string;
  run(opts: BenchOptions): Promise<SuiteResult>;
}
