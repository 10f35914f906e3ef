/**
 * Async style per language, from the summed style signals: async/await, promise chains,
 * node-style callbacks or goroutines. Languages with no async signals get no constraint.
 */
import type { AsyncStyle, CodeFacts, Constraint } from '../../core/index.ts';
import { SIGNAL } from '../signals.ts';
import { byLanguage, makeConstraint, ratio, sumSignals, type ResolvedOptions } from './common.ts';

export function deriveAsyncStyle(facts: CodeFacts, opts: ResolvedOptions): Constraint[] {
  const out: Constraint[] = [];
  for (const [language, files] of byLanguage(facts.files)) {
    const s = sumSignals(files);
    const get = (k: string): number => s[k] ?? 0;
    const scores: [AsyncStyle, number][] = [
      ['async_await', get(SIGNAL.ASYNC_FN) + get(SIGNAL.AWAIT)],
      ['promises', get(SIGNAL.THEN)],
      ['callbacks', get(SIGNAL.CALLBACK)],
      ['goroutines', get(SIGNAL.GOROUTINE)],
    ];
    const total = scores.reduce((a, [, n]) => a + n, 0);
    if (total < opts.minEvidence) continue;
    let best = scores[0]!;
    for (const sc of scores) if (sc[1] > best[1]) best = sc;
    out.push(makeConstraint({
      id: `clew.async_style.${language}`,
      kind: 'semantic',
      severity: 'info',
      priority: 30,
      confidence: ratio(best[1], total),
      source: 'control_flow',
      rule: { type: 'async_style', style: best[0], language },
      evidence: { matching: best[1], total },
    }));
  }
  return out;
}
