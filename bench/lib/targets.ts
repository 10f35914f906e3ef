import type { TargetCheck } from './types.ts';

/** The system-wide targets (issue 2). Suites fill in `measured` for the rows they implement. */
export const SYSTEM_TARGETS: TargetCheck[] = [
  { component: 'Clew', metric: 'constraint extraction per file', target: '< 10 ms', unit: 'ms' },
  { component: 'Braid', metric: 'IR compilation', target: '< 50 ms', unit: 'ms', note: 'the braid suite measures it (its "compile, N constraints" rows)' },
  { component: 'engine', metric: 'constraint validation per token', target: '< 50 µs', unit: 'µs' },
  { component: 'Maze', metric: 'cache hit latency', target: '< 1 µs', unit: 'µs' },
  { component: 'Maze', metric: 'constraint compilation, uncached', target: '< 50 ms', unit: 'ms' },
  { component: 'end to end', metric: 'total generation time', target: '< 5 s', unit: 's' },
];

/** Suite rows replace system rows with the same component and metric; others are appended. */
export function mergeTargets(system: TargetCheck[], fromSuites: TargetCheck[]): TargetCheck[] {
  const key = (t: TargetCheck) => `${t.component}|${t.metric}`;
  const bySuite = new Map(fromSuites.map((t) => [key(t), t]));
  const merged = system.map((t) => bySuite.get(key(t)) ?? { ...t, note: t.note ?? 'no suite measured it in this run' });
  const systemKeys = new Set(system.map(key));
  for (const t of fromSuites) if (!systemKeys.has(key(t))) merged.push(t);
  return merged;
}

function fmtValue(v: number | undefined, unit: string): string {
  if (v === undefined) return '-';
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : v >= 1 ? 2 : 3;
  return `${v.toFixed(digits)} ${unit}`;
}

export function formatTargetTable(targets: TargetCheck[]): string {
  const rows = ['| component | metric | target | measured | status |', '|---|---|---|--:|---|'];
  for (const t of targets) {
    const status = t.met === undefined ? (t.note ?? 'not measured') : t.met ? 'met' : 'MISSED';
    rows.push(`| ${t.component} | ${t.metric} | ${t.target} | ${fmtValue(t.measured, t.unit)} | ${status}${t.met !== undefined && t.note ? ` (${t.note})` : ''} |`);
  }
  return rows.join('\n');
}
