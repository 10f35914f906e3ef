/**
 * Type discipline per language where annotations are optional or `any` exists: code that avoids
 * `any` (TypeScript `any`, Python `Any`, PHP `mixed`, Go `interface{}`), annotates parameters,
 * annotates return types. Languages whose grammar requires annotations get only `no_any`.
 */
import type { CodeFacts, Constraint, Language } from '../../core/index.ts';
import { SIGNAL } from '../signals.ts';
import { byLanguage, makeConstraint, ratio, sumSignals, type ResolvedOptions } from './common.ts';

/** Languages where writing a parameter or return annotation is a choice. */
const OPTIONAL_ANNOTATIONS: ReadonlySet<Language> = new Set(['typescript', 'tsx', 'python', 'php', 'ruby', 'javascript', 'kotlin', 'swift']);
/** Languages with an escape-hatch type worth avoiding. */
const HAS_ANY: ReadonlySet<Language> = new Set(['typescript', 'tsx', 'python', 'php', 'go', 'csharp', 'kotlin', 'swift']);

export function deriveTypeDiscipline(facts: CodeFacts, opts: ResolvedOptions): Constraint[] {
  const out: Constraint[] = [];
  for (const [language, files] of byLanguage(facts.files)) {
    const s = sumSignals(files);
    const get = (k: string): number => s[k] ?? 0;
    const pa = get(SIGNAL.PARAM_ANNOTATED);
    const pu = get(SIGNAL.PARAM_UNANNOTATED);
    const ra = get(SIGNAL.RETURN_ANNOTATED);
    const ru = get(SIGNAL.RETURN_UNANNOTATED);
    const anyCount = get(SIGNAL.ANY);
    const annotated = pa + ra;
    const base = { kind: 'type_safety' as const, source: 'type_system' as const, priority: 50 };

    if (HAS_ANY.has(language) && annotated >= opts.minEvidence) {
      const matching = Math.max(0, annotated - anyCount);
      const confidence = ratio(matching, Math.max(annotated, anyCount));
      out.push(makeConstraint({
        ...base, id: `clew.type_discipline.${language}.no_any`, severity: confidence >= 0.95 ? 'warning' : 'info', confidence,
        rule: { type: 'type_discipline', practice: 'no_any', language },
        evidence: { matching, total: Math.max(annotated, anyCount) },
      }));
    }
    if (!OPTIONAL_ANNOTATIONS.has(language)) continue;
    for (const [practice, yes, no] of [['annotate_params', pa, pu], ['annotate_returns', ra, ru]] as const) {
      const total = yes + no;
      // Only a practice most of the code follows is a convention; a minority is not a rule.
      if (total < opts.minEvidence || yes * 2 <= total) continue;
      const confidence = ratio(yes, total);
      out.push(makeConstraint({
        ...base, id: `clew.type_discipline.${language}.${practice}`, severity: confidence >= 0.95 ? 'warning' : 'info', confidence,
        rule: { type: 'type_discipline', practice, language },
        evidence: { matching: yes, total },
      }));
    }
  }
  return out;
}
