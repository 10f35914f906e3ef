/**
 * Walking the paths given to `ananke extract`: files, directories and globs. Honours `.gitignore`
 * (nested ones too, and those of parent folders up to the repository root) and `.anankeignore`
 * (same syntax), skips vendored and build folders, oversized files and symlinks, and stops at
 * `maxFiles`. Reading the files (binary and minified checks) happens later, in extract-repo.
 */
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { AnankeError, type Language, type SkippedFile } from '../core/index.ts';
import { languageFromPath, mayHaveShebang } from './language-detect.ts';

/** Folders of other people's or generated code: reported once as `vendored`, never entered. */
export const VENDORED_DIRS: ReadonlySet<string> = new Set([
  'node_modules', 'vendor', 'third_party', 'third-party', 'thirdparty', 'dist', 'build', 'target', 'bower_components',
  '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.next', '.nuxt',
  '.svelte-kit', 'coverage', 'Pods', '.gradle', 'DerivedData', '.cargo', '.terraform', 'zig-cache', '.zig-cache', 'zig-out',
]);
/** Tool folders skipped silently (not even reported). */
const SILENT_DIRS: ReadonlySet<string> = new Set(['.git', '.hg', '.svn', '.ananke', '.idea', '.vscode', '.DS_Store']);

export const DEFAULT_MAX_FILES = 100_000;
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** Deeper than this is a symlink loop or a generated tree, not source. */
const MAX_DEPTH = 64;
/** At most this many ancestors are searched for the repository root's `.gitignore` files. */
const MAX_ANCESTORS = 32;

export interface WalkOptions {
  maxFiles?: number;
  maxFileBytes?: number;
  /** Only these languages (others are counted in `filtered`). */
  languages?: ReadonlySet<Language>;
  /** Resolve relative paths against this (default: process.cwd()). */
  cwd?: string;
}

export interface Candidate {
  /** Absolute path. */
  abs: string;
  /** Path relative to the walk's root, posix separators. */
  rel: string;
  /** From the extension; undefined for extensionless files whose `#!` line must be read. */
  language?: Language;
  bytes: number;
  /** The file's stat when it was listed: lets the cache's stat index skip reading unchanged files. */
  stat?: FileStamp;
}

/** What says a file has not changed since it was last read (see stat-index.ts). */
export interface FileStamp {
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export interface WalkResult {
  /** The common folder of every path walked; `rel` paths are relative to it. */
  root: string;
  files: Candidate[];
  skipped: SkippedFile[];
  /** Files not read because their extension is no language Clew reads (not listed one by one). */
  unknownLanguage: number;
  /** Files of a language excluded by `languages`. */
  filtered: number;
  warnings: string[];
  /** True when `maxFiles` stopped the walk. */
  truncated: boolean;
}

interface IgnoreLayer {
  base: string;
  ig: Ignore;
}

const GLOB_CHARS = /[*?[\]{}]/;

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function readIgnoreFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function layerFor(dir: string): IgnoreLayer | undefined {
  const g = readIgnoreFile(path.join(dir, '.gitignore'));
  const a = readIgnoreFile(path.join(dir, '.anankeignore'));
  if (g === undefined && a === undefined) return undefined;
  const ig = ignore();
  if (g) ig.add(g);
  if (a) ig.add(a);
  return { base: dir, ig };
}

/** `.gitignore` files of the folders above `dir`, up to the one holding `.git` (outermost first). */
function ancestorLayers(dir: string): IgnoreLayer[] {
  const chain: string[] = [];
  let d = path.dirname(dir);
  for (let i = 0; i < MAX_ANCESTORS && d !== path.dirname(d); i++, d = path.dirname(d)) {
    chain.push(d);
    if (fs.existsSync(path.join(d, '.git'))) break;
  }
  // No repository above: the folders above are not this project's; ignore their files.
  if (!fs.existsSync(path.join(chain[chain.length - 1] ?? dir, '.git'))) return [];
  const out: IgnoreLayer[] = [];
  for (const c of chain.reverse()) {
    const l = layerFor(c);
    if (l) out.push(l);
  }
  return out;
}

/** Whether the deepest layer with an opinion ignores `abs` (git's precedence rules). */
function isIgnored(layers: readonly IgnoreLayer[], abs: string, isDir: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    const rel = toPosix(path.relative(l.base, abs));
    if (rel === '' || rel.startsWith('..')) continue;
    const r = l.ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) return true;
    if (r.unignored) return false;
  }
  return false;
}

function commonDir(dirs: string[]): string {
  let common = dirs[0]!;
  for (const d of dirs.slice(1)) {
    while (common !== path.dirname(common) && !(d === common || d.startsWith(common.endsWith(path.sep) ? common : common + path.sep))) {
      common = path.dirname(common);
    }
  }
  return common;
}

interface Input {
  abs: string;
  kind: 'file' | 'dir' | 'glob';
  /** For globs: the matcher over paths relative to `abs`. */
  match?: (rel: string) => boolean;
}

function resolveInputs(paths: readonly string[], cwd: string): Input[] {
  if (paths.length === 0) throw new AnankeError('USAGE', 'no paths given: pass files, folders or globs to extract (e.g. `ananke extract src`)');
  const out: Input[] = [];
  for (const p of paths) {
    if (GLOB_CHARS.test(p) && !fs.existsSync(path.resolve(cwd, p))) {
      const scan = picomatch.scan(p);
      const base = path.resolve(cwd, scan.base || '.');
      if (!fs.existsSync(base)) throw new AnankeError('NOT_FOUND', `${p}: the folder ${scan.base || '.'} does not exist`);
      const isMatch = picomatch(scan.glob, { dot: false });
      out.push({ abs: base, kind: 'glob', match: (rel) => isMatch(rel) });
      continue;
    }
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new AnankeError('NOT_FOUND', `${p}: no such file or folder`, { file: p });
    }
    out.push({ abs, kind: st.isDirectory() ? 'dir' : 'file' });
  }
  return out;
}

/** The files under `paths`, with what was skipped and why. */
export function walk(paths: readonly string[], opts: WalkOptions = {}): WalkResult {
  const cwd = opts.cwd ?? process.cwd();
  const maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const inputs = resolveInputs(paths, cwd);
  const root = commonDir(inputs.map((i) => (i.kind === 'file' ? path.dirname(i.abs) : i.abs)));
  const res: WalkResult = { root, files: [], skipped: [], unknownLanguage: 0, filtered: 0, warnings: [], truncated: false };
  const seen = new Set<string>();
  const rel = (abs: string): string => toPosix(path.relative(root, abs)) || path.basename(abs);

  /** Returns false when the walk must stop (maxFiles). */
  const consider = (abs: string, size: number, explicit: boolean, st?: fs.Stats): boolean => {
    if (seen.has(abs)) return true;
    seen.add(abs);
    const r = rel(abs);
    const language = languageFromPath(abs);
    if (!language && !mayHaveShebang(abs)) {
      if (explicit) res.skipped.push({ path: r, reason: 'unknown_language', detail: 'no language Clew reads has this extension' });
      else res.unknownLanguage++;
      return true;
    }
    if (language && opts.languages && !opts.languages.has(language) && !(language === 'tsx' && opts.languages.has('typescript'))) {
      res.filtered++;
      return true;
    }
    if (size > maxBytes) {
      res.skipped.push({ path: r, reason: 'too_large', detail: `${size} bytes > limit ${maxBytes}` });
      return true;
    }
    if (res.files.length >= maxFiles) {
      res.truncated = true;
      res.warnings.push(`stopped after ${maxFiles} files (--max-files); the rest of the tree was not read`);
      return false;
    }
    const c: Candidate = { abs, rel: r, bytes: size };
    if (language) c.language = language;
    if (st) c.stat = { mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
    res.files.push(c);
    return true;
  };

  for (const input of inputs) {
    if (res.truncated) break;
    if (input.kind === 'file') {
      const st = fs.statSync(input.abs);
      if (!consider(input.abs, st.size, true, st)) break;
      continue;
    }
    const stack: { dir: string; layers: IgnoreLayer[]; depth: number }[] = [];
    let startLayers = ancestorLayers(input.abs);
    // A folder named on the command line is scanned even if the repository around it ignores it
    // (e.g. `ananke extract node_modules/some-lib`); its own ignore files still apply.
    if (isIgnored(startLayers, input.abs, true)) startLayers = [];
    const own = layerFor(input.abs);
    stack.push({ dir: input.abs, layers: own ? [...startLayers, own] : startLayers, depth: 0 });
    let matched = 0;
    while (stack.length > 0 && !res.truncated) {
      const { dir, layers, depth } = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        res.skipped.push({ path: rel(dir), reason: 'unreadable', detail: (e as Error).message });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
      for (const ent of entries) {
        const abs = path.join(dir, ent.name);
        if (ent.isSymbolicLink()) continue;
        if (ent.isDirectory()) {
          if (SILENT_DIRS.has(ent.name)) continue;
          if (VENDORED_DIRS.has(ent.name)) {
            res.skipped.push({ path: `${rel(abs)}/`, reason: 'vendored' });
            continue;
          }
          if (isIgnored(layers, abs, true)) {
            res.skipped.push({ path: `${rel(abs)}/`, reason: 'ignored', detail: '.gitignore/.anankeignore' });
            continue;
          }
          if (depth + 1 > MAX_DEPTH) {
            res.warnings.push(`${rel(abs)}: deeper than ${MAX_DEPTH} folders; not entered`);
            continue;
          }
          const l = layerFor(abs);
          stack.push({ dir: abs, layers: l ? [...layers, l] : layers, depth: depth + 1 });
        } else if (ent.isFile()) {
          if (input.match && !input.match(toPosix(path.relative(input.abs, abs)))) continue;
          if (ent.name === '.gitignore' || ent.name === '.anankeignore') continue;
          if (isIgnored(layers, abs, false)) {
            if (languageFromPath(abs)) res.skipped.push({ path: rel(abs), reason: 'ignored', detail: '.gitignore/.anankeignore' });
            continue;
          }
          matched++;
          let st: fs.Stats;
          try {
            st = fs.statSync(abs);
          } catch (e) {
            res.skipped.push({ path: rel(abs), reason: 'unreadable', detail: (e as Error).message });
            continue;
          }
          if (!consider(abs, st.size, false, st)) break;
        }
      }
    }
    if (input.kind === 'glob' && matched === 0) res.warnings.push(`${toPosix(path.relative(cwd, input.abs)) || '.'}: the glob matched no files`);
  }
  res.files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return res;
}
