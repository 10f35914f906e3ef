/**
 * Security constraints: one per finding family that applies to the languages scanned. Each forbids
 * the dangerous construct in generated code; its evidence says how many files are clean and its
 * examples point at the existing findings (file:line). Confidence is 1: these are policy, not
 * conventions inferred from a majority.
 */
import type { CodeFacts, Constraint, Language, Provenance, Rule, SecurityFinding } from '../../core/index.ts';
import { makeConstraint } from './common.ts';

type Calls = Partial<Record<Language, string[]>>;
const JS_LANGS: Language[] = ['typescript', 'tsx', 'javascript'];
const forJs = (calls: string[]): Calls => Object.fromEntries(JS_LANGS.map((l) => [l, calls])) as Calls;

/** What each family forbids, per language (only languages where the scanner looks for it). */
const FORBIDDEN: Record<Exclude<SecurityFinding, 'inner_html'>, Calls> = {
  eval: { ...forJs(['eval']), python: ['eval', 'exec'], php: ['eval'], ruby: ['eval'] },
  dynamic_function: forJs(['new Function', 'Function']),
  shell_injection: {
    ...forJs(['child_process.exec with a built command', 'child_process.execSync with a built command']),
    python: ['subprocess.* with shell=True', 'os.system', 'os.popen'],
    php: ['shell_exec', 'system', 'exec', 'passthru', 'popen', 'proc_open'],
    ruby: ['system with an interpolated command', 'exec with an interpolated command'],
    go: ['exec.Command with a built command'], java: ['Runtime.exec with a built command'],
    kotlin: ['Runtime.exec with a built command'], c: ['system', 'popen'], cpp: ['system', 'popen'],
    csharp: ['Process.Start with a built command'], rust: ['Command::new with a built command'],
  },
  sql_injection: Object.fromEntries((['typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java', 'kotlin', 'csharp', 'ruby', 'php', 'c', 'cpp', 'swift'] as Language[])
    .map((l) => [l, ['SQL built by string concatenation', 'SQL built by string interpolation or formatting']])) as Calls,
  hardcoded_secret: Object.fromEntries((['typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java', 'kotlin', 'csharp', 'ruby', 'php', 'c', 'cpp', 'swift', 'zig'] as Language[])
    .map((l) => [l, ['string literal assigned to a secret name', 'embedded credential (AWS key, GitHub token, private key)']])) as Calls,
  unsafe_deserialization: {
    python: ['pickle.load', 'pickle.loads', 'marshal.loads', 'yaml.load without SafeLoader', 'yaml.unsafe_load'],
    java: ['ObjectInputStream', 'XMLDecoder'], kotlin: ['ObjectInputStream'], php: ['unserialize'],
    ruby: ['Marshal.load'], csharp: ['BinaryFormatter'], ...forJs(['unserialize']),
  },
};
const HTML_SINKS = ['innerHTML', 'outerHTML', 'dangerouslySetInnerHTML'];
const FAMILY_ORDER: SecurityFinding[] = ['eval', 'dynamic_function', 'shell_injection', 'sql_injection', 'hardcoded_secret', 'unsafe_deserialization', 'inner_html'];
const MAX_EXAMPLES = 10;

export function deriveSecurity(facts: CodeFacts): Constraint[] {
  const langs = new Set(facts.files.map((f) => f.language));
  const out: Constraint[] = [];
  for (const family of FAMILY_ORDER) {
    let rule: Rule;
    if (family === 'inner_html') {
      if (!JS_LANGS.some((l) => langs.has(l))) continue;
      rule = { type: 'forbidden_identifiers', names: HTML_SINKS };
    } else {
      const calls = new Set<string>();
      for (const l of langs) for (const c of FORBIDDEN[family][l] ?? []) calls.add(c);
      if (calls.size === 0) continue;
      rule = { type: 'forbidden_calls', calls: [...calls], finding: family };
    }
    let scanned = 0;
    let clean = 0;
    const examples: Provenance[] = [];
    for (const f of facts.files) {
      if (family === 'inner_html' ? !JS_LANGS.includes(f.language) : !(FORBIDDEN[family][f.language])) continue;
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
      rule,
      evidence: { matching: clean, total: scanned, examples },
    });
    if (examples.length > 0) c.provenance = examples[0]!;
    out.push(c);
  }
  return out;
}
