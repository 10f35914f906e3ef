/**
 * Test expectations: one constraint per mined assertion, linked to the function under test.
 * Subjects are resolved against the functions of the non-test files: `calc.add` resolves to
 * `Calculator.add` when exactly one function named `add` exists or the receiver names its class.
 * Confidence: 1 when resolved to a known function, 0.7 when only the callee is known, 0.4 when the
 * assertion's subject could not be found (the test name stands in for it).
 */
import type { CodeFacts, Constraint, FunctionFact } from '../../core/index.ts';
import { isTestPath } from '../test-mining.ts';
import { makeConstraint, type ResolvedOptions } from './common.ts';

function qualified(fn: FunctionFact): string {
  return fn.container ? `${fn.container}.${fn.name}` : fn.name;
}

/** Resolves a callee as written in a test to the qualified name of a project function. */
export function resolveSubject(callee: string, byName: Map<string, string[]>): string | undefined {
  const parts = callee.split('.');
  const name = parts[parts.length - 1]!;
  const cands = byName.get(name);
  if (!cands || cands.length === 0) return undefined;
  const unique = [...new Set(cands)];
  if (unique.length === 1) return unique[0];
  const receiver = parts.length > 1 ? parts[parts.length - 2]!.toLowerCase() : undefined;
  if (receiver) {
    const hit = unique.filter((q) => {
      const c = q.split('.');
      return c.length > 1 && c[c.length - 2]!.toLowerCase().startsWith(receiver);
    });
    if (hit.length === 1) return hit[0];
  }
  const exact = unique.filter((q) => q === callee);
  return exact.length === 1 ? exact[0] : undefined;
}

export function deriveTests(facts: CodeFacts, opts: ResolvedOptions): { constraints: Constraint[]; dropped: number } {
  const byName = new Map<string, string[]>();
  for (const f of facts.files) {
    if (isTestPath(f.path)) continue;
    for (const fn of f.functions) {
      let list = byName.get(fn.name);
      if (!list) byName.set(fn.name, (list = []));
      list.push(qualified(fn));
    }
  }
  const all: { c: Constraint; order: number }[] = [];
  for (const f of facts.files) {
    for (const t of f.tests) {
      const resolved = t.subject ? resolveSubject(t.subject, byName) : undefined;
      const subject = resolved ?? t.subject ?? t.test ?? '(unknown)';
      const confidence = resolved ? 1 : t.subject ? 0.7 : 0.4;
      all.push({
        order: all.length,
        c: makeConstraint({
          id: `clew.test.${f.path}:${t.line}`,
          kind: 'semantic',
          severity: 'info',
          priority: 20,
          confidence,
          source: 'test_mining',
          rule: { type: 'test_expectation', subject, framework: t.framework, assertion: t.assertion },
          provenance: { file: f.path, line: t.line, column: 1 },
        }),
      });
    }
  }
  // Over the limit, keep the best-linked expectations (resolved subjects first), in source order.
  let kept = all;
  if (all.length > opts.maxTestExpectations) {
    kept = all.slice().sort((a, b) => b.c.confidence - a.c.confidence || a.order - b.order).slice(0, opts.maxTestExpectations);
    kept.sort((a, b) => a.order - b.order);
  }
  const constraints = kept.map((k) => k.c);
  const dropped = all.length - kept.length;
  return { constraints, dropped };
}
