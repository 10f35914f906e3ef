/**
 * Naming conventions per language and identifier kind (function, method, variable, constant,
 * type, parameter, field, file): "typescript function names are camelCase: 212 of 215".
 */
import type { CodeFacts, Constraint, IdentifierKind, Language, Provenance } from '../../core/index.ts';
import { byLanguage, makeConstraint, ratio, type ResolvedOptions } from './common.ts';
import { dominantStyle, isDistinctive, styleBits, STYLE_BIT } from './naming-style.ts';

const KIND_ORDER: readonly IdentifierKind[] = ['function', 'method', 'variable', 'constant', 'type', 'parameter', 'field', 'file'];
/** Kinds taken from IdentifierFact; functions, methods and types come from their own facts. */
const FROM_IDENTIFIERS: ReadonlySet<IdentifierKind> = new Set(['variable', 'constant', 'parameter', 'field']);
/** Names that follow the language or tool, not the project (`main`, `__init__`, `index.ts`). */
const IGNORED_FILE_STEMS: ReadonlySet<string> = new Set(['index', 'main', 'mod', 'lib', '__init__', '__main__', 'conftest', 'setup', 'build', 'Makefile', 'Dockerfile', 'README']);
const MAX_EXAMPLES = 3;

interface Observed {
  bits: number[];
  where: Provenance[];
}

/** The stem of a file name: `user-service.test.ts` → `user-service`. */
export function fileStem(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.indexOf('.', 1);
  return dot < 0 ? base : base.slice(0, dot);
}

export function deriveNaming(facts: CodeFacts, opts: ResolvedOptions): Constraint[] {
  const out: Constraint[] = [];
  for (const [language, files] of byLanguage(facts.files)) {
    const seen = new Map<IdentifierKind, Observed>();
    const note = (kind: IdentifierKind, name: string, file: string, line: number): void => {
      let o = seen.get(kind);
      if (!o) seen.set(kind, (o = { bits: [], where: [] }));
      o.bits.push(styleBits(name));
      o.where.push({ file, line, column: 1 });
    };
    for (const f of files) {
      for (const fn of f.functions) {
        if (fn.kind === 'constructor') continue;
        note(fn.kind === 'method' ? 'method' : 'function', fn.name, f.path, fn.line);
      }
      for (const t of f.types) if (t.kind !== 'impl') note('type', t.name, f.path, t.line);
      for (const id of f.identifiers) if (FROM_IDENTIFIERS.has(id.kind)) note(id.kind, id.name, f.path, id.line);
      const stem = fileStem(f.path);
      if (!IGNORED_FILE_STEMS.has(stem)) note('file', stem, f.path, 1);
    }
    for (const kind of KIND_ORDER) {
      const o = seen.get(kind);
      if (!o) continue;
      const c = namingConstraint(language, kind, o, opts);
      if (c) out.push(c);
    }
  }
  return out;
}

function namingConstraint(language: Language, kind: IdentifierKind, o: Observed, opts: ResolvedOptions): Constraint | undefined {
  const verdict = dominantStyle(o.bits);
  if (!verdict || verdict.total < opts.minEvidence) return undefined;
  const confidence = ratio(verdict.matching, verdict.total);
  const bit = STYLE_BIT[verdict.style];
  const examples: Provenance[] = [];
  for (let i = 0; i < o.bits.length && examples.length < MAX_EXAMPLES; i++) {
    const b = o.bits[i]!;
    if ((b & bit) !== 0 && isDistinctive(b)) examples.push(o.where[i]!);
  }
  return makeConstraint({
    id: `clew.naming.${language}.${kind}`,
    kind: 'syntactic',
    severity: confidence >= 0.95 ? 'warning' : 'info',
    priority: 40,
    confidence,
    source: 'ast_pattern',
    rule: { type: 'naming', identifierKind: kind, style: verdict.style, language },
    evidence: { matching: verdict.matching, total: verdict.total, examples },
  });
}
