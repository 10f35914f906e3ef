/**
 * Real code to measure the program grammars on (bench/grammars.ts): where each corpus is on this
 * machine, and which files of it count. Nothing here is committed; bench/README.md says how to
 * install each corpus. A corpus that is absent is skipped with a note.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ProgramLanguage } from '../../src/engine/index.ts';

export interface Corpus {
  lang: ProgramLanguage;
  name: string;
  root: string;
  files: string[];
}

/** Folders that hold deliberately broken or generated code, or other languages' test data. */
const SKIP_DIRS = new Set(['node_modules', 'testdata', 'fixtures', 'dist', '.git', 'target', 'bad_coding', 'tests_data']);

function walk(dir: string, keep: (f: string) => boolean, out: string[], skip = SKIP_DIRS): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!skip.has(e.name)) walk(p, keep, out, skip);
    } else if (e.isFile() && keep(p)) out.push(p);
  }
  return out;
}

/** Every k-th file, at most n, so a slice spreads over the whole corpus. */
export function spread<T>(all: T[], n: number): T[] {
  if (all.length <= n) return all;
  const step = all.length / n;
  return Array.from({ length: n }, (_, i) => all[Math.floor(i * step)]!);
}

function pythonStdlib(): string | undefined {
  try {
    return execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function firstExisting(...dirs: string[]): string | undefined {
  return dirs.find((d) => existsSync(d) && statSync(d).isDirectory());
}

/** The corpora of this machine, for the languages asked. `root` is Ananke's checkout. */
export function corpora(root: string): Corpus[] {
  const out: Corpus[] = [];
  const ts = (f: string): boolean => f.endsWith('.ts') && !f.endsWith('.d.ts');
  out.push({
    lang: 'typescript', name: 'this repository (src, test, bench, scripts)', root,
    files: ['src', 'test', 'bench', 'scripts'].flatMap((d) => walk(path.join(root, d), ts, [])),
  });
  const js = (f: string): boolean => f.endsWith('.js') && !f.endsWith('.min.js');
  out.push({
    lang: 'javascript', name: 'node_modules: commander, picomatch, ignore, cli-progress, web-tree-sitter', root: path.join(root, 'node_modules'),
    files: ['commander', 'picomatch', 'ignore', 'cli-progress', 'web-tree-sitter'].flatMap((p) => walk(path.join(root, 'node_modules', p), js, [])),
  });
  const py = pythonStdlib();
  if (py) {
    // Top-level modules and the packages people use most; CPython's own test suite is left out
    // (it holds deliberately invalid files).
    const packages = ['json', 'email', 'http', 'asyncio', 'unittest', 'concurrent', 'importlib', 'logging', 'urllib', 'xml', 'collections', 'sqlite3', 'multiprocessing', 'tomllib', 'zoneinfo', 'dataclasses'];
    const files = readdirSync(py).filter((f) => f.endsWith('.py')).sort().map((f) => path.join(py, f));
    for (const p of packages) walk(path.join(py, p), (f) => f.endsWith('.py'), files, new Set([...SKIP_DIRS, 'test', 'tests']));
    out.push({ lang: 'python', name: `the Python standard library (${py})`, root: py, files });
  }
  const go = firstExisting('/usr/lib/go/src', '/usr/lib/go-1.19/src', '/usr/local/go/src');
  if (go) {
    out.push({ lang: 'go', name: `the Go standard library (${go})`, root: go, files: walk(go, (f) => f.endsWith('.go'), [], new Set([...SKIP_DIRS, 'vendor'])) });
  }
  const rustStd = firstExisting('/usr/lib/rustlib/src/rust/library');
  const registry = firstExisting('/usr/share/cargo/registry');
  const rs = (f: string): boolean => f.endsWith('.rs');
  const rustFiles = [
    ...(rustStd ? ['core', 'alloc', 'std'].flatMap((c) => walk(path.join(rustStd, c, 'src'), rs, [])) : []),
    ...(registry ? walk(registry, rs, [], new Set([...SKIP_DIRS, 'tests', 'benches', 'examples'])) : []),
  ];
  if (rustFiles.length > 0) out.push({ lang: 'rust', name: 'Rust: core, alloc, std (rust-src) and the crates of librust-*-dev', root: rustStd ?? registry!, files: rustFiles });
  return out;
}
