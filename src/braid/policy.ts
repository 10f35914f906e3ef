/**
 * Which constraints are hard (docs/braid.md, "Hard and soft"): severity `error` always; naming and
 * type-discipline rules when the evidence is strong (confidence ≥ 0.95 over ≥ 20 examples by
 * default); everything else is soft. Soft constraints never make a request unsatisfiable.
 */
import type { Constraint } from '../core/index.ts';

export interface HardnessOptions {
  /** Minimum confidence for an evidence-based rule to be hard (default 0.95). */
  minConfidence?: number;
  /** Minimum number of examples behind it (default 20). */
  minExamples?: number;
}

export const DEFAULT_MIN_CONFIDENCE = 0.95;
export const DEFAULT_MIN_EXAMPLES = 20;

export function isHard(c: Constraint, opts: HardnessOptions = {}): boolean {
  if (c.severity === 'error') return true;
  if (c.rule.type !== 'naming' && c.rule.type !== 'type_discipline') return false;
  const minConfidence = opts.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const minExamples = opts.minExamples ?? DEFAULT_MIN_EXAMPLES;
  // Hand-written rules carry no evidence: their severity says how hard they are.
  const examples = c.evidence?.total ?? (c.source === 'user_defined' ? Infinity : 0);
  return c.confidence >= minConfidence && examples >= minExamples;
}

/** Why a constraint is hard or soft, in words for the enforcement table. */
export function hardnessReason(c: Constraint, hard: boolean, opts: HardnessOptions = {}): string {
  return hardnessReasons(opts)(c, hard);
}

/** hardnessReason for one set of options, its thresholds written once (a compile asks for every constraint). */
export function hardnessReasons(opts: HardnessOptions = {}): (c: Constraint, hard: boolean) => string {
  const min = `${opts.minConfidence ?? DEFAULT_MIN_CONFIDENCE} over ≥ ${opts.minExamples ?? DEFAULT_MIN_EXAMPLES}`;
  return (c, hard) => {
    if (c.severity === 'error') return 'severity error';
    if (c.rule.type !== 'naming' && c.rule.type !== 'type_discipline') return `severity ${c.severity}`;
    const ev = c.evidence ? `${c.evidence.matching} of ${c.evidence.total}` : 'no evidence counts';
    return hard ? `confidence ${c.confidence} (${ev}) meets ${min}` : `confidence ${c.confidence} (${ev}) below ${min}`;
  };
}
