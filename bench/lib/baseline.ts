/** The committed baseline: same-run ratios (lower is better) from a reference run. */
export interface Baseline {
  updated?: string;
  ratios: Record<string, number>;
}

export interface Comparison {
  lines: string[];
  regressions: string[];
}

/**
 * A ratio regresses when it grew by more than `tolerance` (0.10 = 10%) over the baseline. Ratios
 * missing on either side are listed but never fail the check (a suite may be skipped with --only).
 */
export function compareToBaseline(baseline: Baseline, current: Record<string, number>, tolerance: number): Comparison {
  const lines: string[] = ['| ratio | baseline | now | change |', '|---|--:|--:|--:|'];
  const regressions: string[] = [];
  const names = [...new Set([...Object.keys(baseline.ratios), ...Object.keys(current)])].sort();
  for (const name of names) {
    const b = baseline.ratios[name];
    const c = current[name];
    if (b === undefined || c === undefined || !(b > 0)) {
      lines.push(`| ${name} | ${b ?? '-'} | ${c?.toFixed(3) ?? '-'} | not compared |`);
      continue;
    }
    const change = c / b - 1;
    const bad = change > tolerance;
    if (bad) regressions.push(name);
    lines.push(`| ${name} | ${b.toFixed(3)} | ${c.toFixed(3)} | ${(change * 100).toFixed(1)}%${bad ? ' REGRESSION' : ''} |`);
  }
  return { lines, regressions };
}
