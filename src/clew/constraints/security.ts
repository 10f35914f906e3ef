/**
 * Security constraints: one per finding family that applies to the languages scanned. Each forbids
 * the dangerous construct in generated code as a `forbidden_pattern` rule: the structured patterns
 * of security-patterns.ts for the languages present, which forbidden-pattern.ts checks on a tree.
 * Its evidence says how many files are clean and its examples point at the existing findings
 * (file:line). Confidence is 1: these are policy, not conventions inferred from a majority.
 */
import type { CodeFacts, Constraint, Language, Provenance, SecurityFinding } from '../../core/index.ts';
import { patternsFor, SECURITY_PATTERNS } from '../security-patterns.ts';
import { makeConstraint } from './common.ts';

const FAMILY_ORDER: SecurityFinding[] = ['eval', 'dynamic_function', 'shell_injection', 'sql_injection', 'hardcoded_secret', 'unsafe_deserialization', 'inner_html'];
const MAX_EXAMPLES = 10;

/** Whether the scanner looks for a family's findings in a language. */
function covers(family: SecurityFinding, language: Language): boolean {
  return SECURITY_PATTERNS[family].some((p) => p.languages.includes(language));
}

export function deriveSecurity(facts: CodeFacts): Constraint[] {
  const langs = new Set(facts.files.map((f) => f.language));
  const out: Constraint[] = [];
  for (const family of FAMILY_ORDER) {
    const patterns = patternsFor(family, langs);
    if (patterns.length === 0) continue;
    let scanned = 0;
    let clean = 0;
    const examples: Provenance[] = [];
    for (const f of facts.files) {
      if (!covers(family, f.language)) continue;
      scanned++;
      let hit = false;
      for (const s of f.security) {
        if (s.finding !== family) continue;
        hit = true;
        if (examples.length < MAX_EXAMPLES) examples.push({ file: f.path, line: s.line, column: s.column });
      }
      if (!hit) clean++;
    }
    const c = makeConstraint({
      id: `clew.security.${family}`,
      kind: 'security',
      severity: 'error',
      priority: 90,
      confidence: 1,
      source: 'ast_pattern',
      rule: { type: 'forbidden_pattern', finding: family, patterns },
      evidence: { matching: clean, total: scanned, examples },
    });
    if (examples.length > 0) c.provenance = examples[0]!;
    out.push(c);
  }
  return out;
}
