/**
 * Precision/recall bookkeeping for the accuracy oracles (test/clew/accuracy-*.test.ts): Clew's
 * function keys are compared, file by file, with the keys an independent parser produces.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

export interface Score {
  /** Keys Clew produced. */
  ours: number;
  /** Keys the oracle produced. */
  theirs: number;
  /** Keys in both, counted as a multiset. */
  hits: number;
  /** One line per file that disagrees, up to the cap given to `addFile`. */
  misses: string[];
}

export function emptyScore(): Score {
  return { ours: 0, theirs: 0, hits: 0, misses: [] };
}

/** Multiset intersection size. */
export function matched(a: string[], b: string[]): number {
  const counts = new Map<string, number>();
  for (const k of b) counts.set(k, (counts.get(k) ?? 0) + 1);
  let n = 0;
  for (const k of a) {
    const c = counts.get(k) ?? 0;
    if (c > 0) {
      n++;
      counts.set(k, c - 1);
    }
  }
  return n;
}

/** Adds one file's keys to the score; a disagreeing file is described (3 extra, 3 missing) while fewer than `maxMisses` are. */
export function addFile(score: Score, label: string, got: string[], want: string[], maxMisses: number): void {
  score.ours += got.length;
  score.theirs += want.length;
  const m = matched(got, want);
  score.hits += m;
  if (m < Math.max(got.length, want.length) && score.misses.length < maxMisses) {
    const wantSet = new Set(want);
    const gotSet = new Set(got);
    score.misses.push(`${label}: extra ${got.filter((k) => !wantSet.has(k)).slice(0, 3).join(' ')} | missing ${want.filter((k) => !gotSet.has(k)).slice(0, 3).join(' ')}`);
  }
}

/**
 * Reports the summary line `describe(precision, recall)` and the misses, then asserts the oracle saw
 * more than `minTheirs` keys and both precision and recall reach `minimum`.
 */
export function assertPrecisionRecall(
  t: TestContext, score: Score, describe: (precision: number, recall: number) => string, minTheirs: number, minimum = 0.98,
): void {
  const { ours, theirs, hits, misses } = score;
  const precision = hits / ours;
  const recall = hits / theirs;
  const summary = describe(precision, recall);
  t.diagnostic(summary);
  console.log(summary);
  for (const m of misses) t.diagnostic(m);
  assert.ok(theirs > minTheirs, `too few functions to measure (${theirs})`);
  assert.ok(precision >= minimum, `precision ${precision} < ${minimum}\n${misses.join('\n')}`);
  assert.ok(recall >= minimum, `recall ${recall} < ${minimum}\n${misses.join('\n')}`);
}
