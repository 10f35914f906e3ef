/**
 * Naming conventions per language and identifier kind (function, method, variable, constant,
 * type, parameter, field, file): "typescript function names are camelCase: 212 of 215". Where a
 * language makes visibility part of the name (Go), exported and unexported names are two
 * conventions: "go exported function names are PascalCase", "go unexported function names are camelCase".
 */
import type { CodeFacts, Constraint, IdentifierKind, Language, NamingVisibility, Provenance } from '../../core/index.ts';
import { byLanguage, makeConstraint, ratio, type ResolvedOptions } from './common.ts';
import { dominantStyle, isDistinctive, styleBits, STYLE_BIT } from './naming-style.ts';

const KIND_ORDER: readonly IdentifierKind[] = ['function', 'method', 'variable', 'constant', 'type', 'parameter', 'field', 'file'];
/** Kinds taken from IdentifierFact; functions, methods and types come from their own facts. */
const FROM_IDENTIFIERS: ReadonlySet<IdentifierKind> = new Set(['variable', 'constant', 'parameter', 'field']);
/** Names that follow the language or tool, not the project (`main`, `__init__`, `index.ts`). */
const IGNORED_FILE_STEMS: ReadonlySet<string> = new Set(['index', 'main', 'mod', 'lib', '__init__', '__main__', 'conftest', 'setup', 'build', 'Makefile', 'Dockerfile', 'README']);
const MAX_EXAMPLES = 3;
/**
 * Languages where a name's first letter decides its visibility (Go: upper case exports it), so
 * exported and unexported names follow different conventions, and the kinds that can be exported.
 */
const VISIBILITY_BY_NAME: ReadonlySet<Language> = new Set(['go']);
const VISIBLE_KINDS: ReadonlySet<IdentifierKind> = new Set(['function', 'method', 'type', 'constant', 'variable', 'field']);
const VISIBILITIES: readonly NamingVisibility[] = ['exported', 'unexported'];

/** Go's rule: a name is exported when it starts with an upper-case letter. */
export function isExportedByName(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}

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
    const split = VISIBILITY_BY_NAME.has(language);
    // Keyed by kind, or `kind.visibility` where the language splits by visibility.
    const seen = new Map<string, Observed>();
    const note = (kind: IdentifierKind, name: string, file: string, line: number): void => {
      const key = split && VISIBLE_KINDS.has(kind) ? `${kind}.${isExportedByName(name) ? 'exported' : 'unexported'}` : kind;
      let o = seen.get(key);
      if (!o) seen.set(key, (o = { bits: [], where: [] }));
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
      const groups = split && VISIBLE_KINDS.has(kind) ? VISIBILITIES : [undefined];
      for (const visibility of groups) {
        const o = seen.get(visibility ? `${kind}.${visibility}` : kind);
        if (!o) continue;
        const c = namingConstraint(language, kind, visibility, o, opts);
        if (c) out.push(c);
      }
    }
  }
  return out;
}

function namingConstraint(
  language: Language, kind: IdentifierKind, visibility: NamingVisibility | undefined, o: Observed, opts: ResolvedOptions,
): Constraint | undefined {
  const verdict = dominantStyle(o.bits);
  if (!verdict || verdict.total < opts.minEvidence) return undefined;
  const confidence = ratio(verdict.matching, verdict.total);
  const bit = STYLE_BIT[verdict.style];
  const examples: Provenance[] = [];
  for (let i = 0; i < o.bits.length && examples.length < MAX_EXAMPLES; i++) {
    const b = o.bits[i]!;
    if ((b & bit) !== 0 && isDistinctive(b)) examples.push(o.where[i]!);
  }
  const rule: Constraint['rule'] = { type: 'naming', identifierKind: kind, style: verdict.style, language };
  if (visibility) rule.visibility = visibility;
  return makeConstraint({
    id: `clew.naming.${language}.${kind}${visibility ? `.${visibility}` : ''}`,
    kind: 'syntactic',
    severity: confidence >= 0.95 ? 'warning' : 'info',
    priority: 40,
    confidence,
    source: 'ast_pattern',
    rule,
    evidence: { matching: verdict.matching, total: verdict.total, examples },
  });
}
