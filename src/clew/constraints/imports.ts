/**
 * Imports in use and module boundaries.
 *
 * - allowed_imports (per language): the external packages the code imports, by package root
 *   (`lodash/fp` → `lodash`, `@scope/pkg/x` → `@scope/pkg`, `os.path` → `os`, `serde::de` →
 *   `serde`; Go and JVM imports stay whole). Internal imports (relative paths, `crate::`, packages
 *   that are folders of the scanned tree) are not listed: they are the project itself.
 * - module_boundary: which top-level folders import which. A file's module is its first folder
 *   under the root, or its first two when the first is a source container (`src/core`,
 *   `packages/api`). Internal imports are resolved to a module where the language allows it.
 */
import path from 'node:path';
import type { CodeFacts, Constraint, FileFacts, ImportFact, Language } from '../../core/index.ts';
import { byLanguage, makeConstraint, saturating, type ResolvedOptions } from './common.ts';

/** Folders that hold the real modules one level down. */
const CONTAINERS: ReadonlySet<string> = new Set(['src', 'lib', 'app', 'apps', 'pkg', 'packages', 'internal', 'cmd', 'source', 'crates', 'modules', 'libs', 'services']);
/** The module name for files directly in the root. */
export const ROOT_MODULE = '(root)';

/** The module (top-level folder, or container/sub) a repo-relative path belongs to. */
export function moduleOf(relPath: string): string {
  const parts = relPath.split('/');
  if (parts.length <= 1) return ROOT_MODULE;
  if (CONTAINERS.has(parts[0]!) && parts.length >= 3) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

interface RepoShape {
  /** Every folder that holds a scanned file, repo-relative, posix. */
  dirs: Set<string>;
  /** First path segments (for Python absolute imports of project packages). */
  tops: Set<string>;
}

function shapeOf(files: readonly FileFacts[]): RepoShape {
  const dirs = new Set<string>();
  const tops = new Set<string>();
  for (const f of files) {
    let d = path.posix.dirname(f.path);
    while (d !== '.' && d !== '/' && !dirs.has(d)) {
      dirs.add(d);
      d = path.posix.dirname(d);
    }
    const first = f.path.split('/')[0]!;
    tops.add(first.replace(/\.py$/, ''));
    // Python's src layout: src/pkg/… imports as `pkg`.
    const parts = f.path.split('/');
    if (parts[0] === 'src' && parts.length >= 3) tops.add(parts[1]!);
  }
  return { dirs, tops };
}

export type ImportTarget =
  | { internal: true; path?: string }
  | { internal: false; pkg: string };

/** Whether an import is of the project itself (and where it points), or of an external package. */
export function classifyImport(language: Language, imp: ImportFact, from: string, shape: RepoShape): ImportTarget {
  const m = imp.module.trim();
  const dir = path.posix.dirname(from);
  switch (language) {
    case 'typescript': case 'tsx': case 'javascript': {
      if (m.startsWith('.')) return { internal: true, path: path.posix.normalize(path.posix.join(dir, m)) };
      if (m.startsWith('/')) return { internal: true };
      if (m.startsWith('@/') || m.startsWith('~/') || m.startsWith('#')) return { internal: true };
      const parts = m.split('/');
      return { internal: false, pkg: m.startsWith('@') && parts.length > 1 ? `${parts[0]}/${parts[1]}` : parts[0]! };
    }
    case 'python': {
      const rel = /^(\.+)(.*)$/.exec(m);
      if (rel) {
        let base = dir;
        for (let i = 1; i < rel[1]!.length; i++) base = path.posix.dirname(base);
        return { internal: true, path: path.posix.join(base, rel[2]!.replace(/\./g, '/')) };
      }
      const top = m.split('.')[0]!;
      if (shape.tops.has(top)) {
        const p = m.replace(/\./g, '/');
        return { internal: true, path: shape.dirs.has(p) || shape.tops.has(p) ? p : shape.dirs.has(`src/${p}`) ? `src/${p}` : p };
      }
      return { internal: false, pkg: top };
    }
    case 'rust': {
      const first = m.split('::')[0]!;
      if (first === 'crate') {
        const srcAt = from.lastIndexOf('src/');
        const root = srcAt >= 0 ? from.slice(0, srcAt + 3) : dir;
        const rest = m.split('::').slice(1);
        return { internal: true, path: path.posix.join(root, ...rest.slice(0, 1)) };
      }
      if (first === 'self' || first === 'super' || first === 'Self') return { internal: true, path: dir };
      return { internal: false, pkg: first };
    }
    case 'go': {
      for (let p = m; p.includes('/'); p = p.slice(p.indexOf('/') + 1)) if (shape.dirs.has(p)) return { internal: true, path: p };
      return { internal: false, pkg: m };
    }
    case 'ruby':
      if (m.startsWith('.')) return { internal: true, path: path.posix.join(dir, m) };
      return { internal: false, pkg: m.split('/')[0]! };
    case 'c': case 'cpp':
      if (shape.dirs.has(path.posix.dirname(path.posix.join(dir, m))) || m.startsWith('.')) return { internal: true, path: path.posix.join(dir, m) };
      return { internal: false, pkg: m };
    default:
      return { internal: false, pkg: m };
  }
}

export function deriveImports(facts: CodeFacts, opts: ResolvedOptions): Constraint[] {
  const out: Constraint[] = [];
  const shape = shapeOf(facts.files);
  for (const [language, files] of byLanguage(facts.files)) {
    const pkgs = new Map<string, number>();
    let statements = 0;
    let filesWithImports = 0;
    for (const f of files) {
      let any = false;
      for (const imp of f.imports) {
        const t = classifyImport(f.language, imp, f.path, shape);
        if (t.internal) continue;
        any = true;
        statements++;
        pkgs.set(t.pkg, (pkgs.get(t.pkg) ?? 0) + 1);
      }
      if (any) filesWithImports++;
    }
    if (pkgs.size === 0 || statements < opts.minEvidence) continue;
    out.push(makeConstraint({
      id: `clew.imports.${language}`,
      kind: 'architectural',
      severity: 'warning',
      priority: 50,
      confidence: saturating(filesWithImports),
      source: 'ast_pattern',
      rule: { type: 'allowed_imports', modules: [...pkgs.keys()].sort(), language },
      evidence: { matching: statements, total: statements },
    }));
  }
  out.push(...deriveBoundaries(facts, shape, opts));
  return out;
}

function deriveBoundaries(facts: CodeFacts, shape: RepoShape, opts: ResolvedOptions): Constraint[] {
  const modules = new Map<string, { files: number; imports: Set<string>; edges: number }>();
  for (const f of facts.files) {
    const from = moduleOf(f.path);
    let m = modules.get(from);
    if (!m) modules.set(from, (m = { files: 0, imports: new Set(), edges: 0 }));
    m.files++;
    for (const imp of f.imports) {
      const t = classifyImport(f.language, imp, f.path, shape);
      if (!t.internal || t.path === undefined) continue;
      const to = moduleOf(t.path.startsWith('..') ? f.path : t.path);
      if (to === from) continue;
      m.imports.add(to);
      m.edges++;
    }
  }
  // One module is no architecture to respect.
  if (modules.size < 2) return [];
  const out: Constraint[] = [];
  for (const [from, m] of [...modules].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (from === ROOT_MODULE || m.files < Math.min(2, opts.minEvidence)) continue;
    out.push(makeConstraint({
      id: `clew.module_boundary.${from}`,
      kind: 'architectural',
      severity: 'warning',
      priority: 60,
      confidence: saturating(m.files),
      source: 'ast_pattern',
      rule: { type: 'module_boundary', from, mayImport: [...m.imports].sort() },
      evidence: { matching: m.edges, total: m.edges },
    }));
  }
  return out;
}
