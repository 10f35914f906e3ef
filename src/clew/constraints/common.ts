/** What every constraint family shares: options, the constraint builder, per-language grouping. */
import {
  describeRule, type Constraint, type ConstraintKind, type ConstraintSource, type FileFacts, type Language,
  type Provenance, type Rule, type Severity,
} from '../../core/index.ts';

export interface DeriveOptions {
  /** Drop constraints whose confidence is below this (0..1). Default 0. */
  minConfidence?: number;
  /** A convention needs at least this many observations (names, signals, files). Default 3. */
  minEvidence?: number;
  /** At most this many test-expectation constraints (the rest are counted, not emitted). Default 500. */
  maxTestExpectations?: number;
}

export interface ResolvedOptions {
  minConfidence: number;
  minEvidence: number;
  maxTestExpectations: number;
}

export function resolveOptions(o: DeriveOptions = {}): ResolvedOptions {
  return {
    minConfidence: o.minConfidence ?? 0,
    minEvidence: o.minEvidence ?? 3,
    maxTestExpectations: o.maxTestExpectations ?? 500,
  };
}

export interface ConstraintSpec {
  id: string;
  kind: ConstraintKind;
  severity: Severity;
  priority: number;
  confidence: number;
  source: ConstraintSource;
  rule: Rule;
  provenance?: Provenance;
  evidence?: Constraint['evidence'];
  /** Prefixed to the rule's description when the rule itself does not say (e.g. the language). */
  scope?: string;
}

/** Rounds to 3 decimals so the JSON is stable and readable. */
export function ratio(matching: number, total: number): number {
  return total === 0 ? 0 : Math.round((matching / total) * 1000) / 1000;
}

export function makeConstraint(s: ConstraintSpec): Constraint {
  const c: Constraint = {
    id: s.id,
    kind: s.kind,
    severity: s.severity,
    priority: s.priority,
    confidence: s.confidence,
    source: s.source,
    rule: s.rule,
    description: s.scope ? `${s.scope}: ${describeRule(s.rule)}` : describeRule(s.rule),
  };
  if (s.provenance) c.provenance = s.provenance;
  if (s.evidence) c.evidence = s.evidence;
  return c;
}

// Several families group and sum the same file set; the work is remembered per array for the
// length of one derivation (beginDerivation resets it, so later edits to the facts are seen).
let groupMemo = new WeakMap<readonly FileFacts[], Map<Language, FileFacts[]>>();
let signalMemo = new WeakMap<readonly FileFacts[], Record<string, number>>();

export function beginDerivation(): void {
  groupMemo = new WeakMap();
  signalMemo = new WeakMap();
}

/** Files grouped by language, in first-seen order. TSX counts as TypeScript for conventions. */
export function byLanguage(files: readonly FileFacts[]): Map<Language, FileFacts[]> {
  const memo = groupMemo.get(files);
  if (memo) return memo;
  const m = new Map<Language, FileFacts[]>();
  groupMemo.set(files, m);
  for (const f of files) {
    const lang: Language = f.language === 'tsx' ? 'typescript' : f.language;
    let list = m.get(lang);
    if (!list) m.set(lang, (list = []));
    list.push(f);
  }
  return m;
}

/** Sum of the signal counts of a file set. */
export function sumSignals(files: readonly FileFacts[]): Record<string, number> {
  const memo = signalMemo.get(files);
  if (memo) return memo;
  const out: Record<string, number> = {};
  signalMemo.set(files, out);
  for (const f of files) for (const k in f.signals) out[k] = (out[k] ?? 0) + (f.signals[k] ?? 0);
  return out;
}

/** A confidence that grows with the number of independent observations: n / (n + 1). */
export function saturating(n: number): number {
  return ratio(n, n + 1);
}
