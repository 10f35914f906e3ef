/**
 * Error-handling style per language, from the summed style signals (src/clew/signals.ts):
 * exceptions (try/throw), Result and `?`, Go error returns and `if err != nil`, or Option types
 * (only when nothing else is used, and only where Option is the idiom: Rust, Swift, Kotlin, Java,
 * Zig — a TypeScript `T | null` is absence, not an error-handling style).
 */
import type { CodeFacts, Constraint, ErrorHandlingStyle } from '../../core/index.ts';
import { SIGNAL } from '../signals.ts';
import type { Language } from '../../core/index.ts';
import { byLanguage, makeConstraint, ratio, sumSignals, type ResolvedOptions } from './common.ts';

/** Languages where returning an Option is an idiom for failure, not just a nullable result. */
const OPTION_IDIOM: ReadonlySet<Language> = new Set(['rust', 'swift', 'kotlin', 'java', 'zig']);

export function deriveErrorHandling(facts: CodeFacts, opts: ResolvedOptions): Constraint[] {
  const out: Constraint[] = [];
  for (const [language, files] of byLanguage(facts.files)) {
    const s = sumSignals(files);
    const get = (k: string): number => s[k] ?? 0;
    const scores: [ErrorHandlingStyle, number][] = [
      ['exceptions', get(SIGNAL.TRY) + get(SIGNAL.THROW)],
      ['result_type', get(SIGNAL.RESULT_RETURN) + get(SIGNAL.QUESTION_OP)],
      ['error_return', get(SIGNAL.ERR_RETURN) + get(SIGNAL.ERR_CHECK)],
    ];
    let total = scores.reduce((a, [, n]) => a + n, 0);
    if (total === 0 && OPTION_IDIOM.has(language)) scores.push(['option_type', get(SIGNAL.OPTION_RETURN)]);
    total = scores.reduce((a, [, n]) => a + n, 0);
    if (total < opts.minEvidence) continue;
    let best = scores[0]!;
    for (const sc of scores) if (sc[1] > best[1]) best = sc;
    const confidence = ratio(best[1], total);
    out.push(makeConstraint({
      id: `clew.error_handling.${language}`,
      kind: 'semantic',
      severity: 'info',
      priority: 30,
      confidence,
      source: 'control_flow',
      rule: { type: 'error_handling', style: best[0], language },
      evidence: { matching: best[1], total },
    }));
  }
  return out;
}
