/**
 * The extraction cache: FileFacts keyed by what determines them — the file's content (xxh64),
 * its language, whether its path is a test path (test mining depends on it) and the extractor
 * version (extractor sources and grammar files) — so a second run over an unchanged tree reads facts instead of parsing.
 *
 * Layout: `<dir>/<version>/<aa>/<key>.json`, one entry per file content (the path is not stored:
 * identical files share an entry). The default `<dir>` is `$ANANKE_CACHE_DIR`, else `.ananke/cache`
 * in the current working directory. The version is a hash of the extractor sources, so editing an
 * extractor invalidates the cache by itself; the first write under a version removes the other
 * versions' folders (only folders named and shaped as this cache makes them). The topmost folder the
 * cache creates (`.ananke/` by default) gets a `.gitignore` of `*`, so the cache is never committed.
 * Writes go to a temporary file and are renamed into place, so concurrent runs never see halves.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import xxhash from 'xxhash-wasm';
import { LANGUAGES, type FileFacts, type Language } from '../core/index.ts';
import { grammarPath } from './parser.ts';

/** Bump when the cache layout or FileFacts shape changes in a way the source hash cannot see. */
const CACHE_FORMAT = 1;

type Hasher = Awaited<ReturnType<typeof xxhash>>;
let hasher: Promise<Hasher> | undefined;

export function getHasher(): Promise<Hasher> {
  hasher ??= xxhash();
  return hasher;
}

/** xxh64 of bytes as 16 hex digits. */
export function hashBytes(h: Hasher, bytes: Uint8Array): string {
  return h.h64Raw(bytes).toString(16).padStart(16, '0');
}

let version: string | undefined;

/** The extractor version: a hash of every source file that shapes FileFacts. */
export async function extractorVersion(): Promise<string> {
  if (version) return version;
  const h = await getHasher();
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const files: string[] = [];
  // Sources (.ts) in a checkout, compiled modules (.js) in an installed package.
  const isModule = (f: string): boolean => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts');
  for (const f of fs.readdirSync(dir)) if (isModule(f)) files.push(path.join(dir, f));
  const langDir = path.join(dir, 'languages');
  if (fs.existsSync(langDir)) for (const f of fs.readdirSync(langDir)) if (isModule(f)) files.push(path.join(langDir, f));
  files.sort();
  const parts: string[] = [`format${CACHE_FORMAT}`];
  for (const f of files) {
    // Only the extraction side matters; the cache, walker and pool do not change facts.
    if (/(cache|walk|pool|worker|stat-index|extract-repo|index|language-detect)\.(ts|js)$/.test(f)) continue;
    parts.push(path.basename(f), hashBytes(h, fs.readFileSync(f)));
  }
  // Grammar upgrades change trees: the size of each grammar's wasm stands in for its version.
  for (const lang of LANGUAGES) {
    try {
      parts.push(lang, String(fs.statSync(grammarPath(lang)).size));
    } catch {
      parts.push(lang, 'missing');
    }
  }
  version = h.h64ToString(parts.join('\n'));
  return version;
}

/** The environment variable that moves the cache (an explicit `cacheDir` / `--cache-dir` wins). */
export const CACHE_DIR_ENV = 'ANANKE_CACHE_DIR';

/** `$ANANKE_CACHE_DIR` (relative to `cwd`), else `.ananke/cache` under `cwd`. */
export function defaultCacheDir(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CACHE_DIR_ENV];
  return fromEnv ? path.resolve(cwd, fromEnv) : path.join(cwd, '.ananke', 'cache');
}

/** A version folder's name: extractorVersion() is an xxh64 as 16 hex digits. */
const VERSION_NAME = /^[0-9a-f]{16}$/;
/** What a version folder holds: entry shards (`<aa>`, two hex digits) and the stat index. */
const VERSION_CHILD = /^([0-9a-f]{2}|index)$/;
const GITIGNORE = '# Written by Ananke: the extraction cache is never committed.\n*\n';

/**
 * Creates `dir` and its missing parents; the topmost folder created gets a `.gitignore` of `*`
 * (a folder that was already there is the user's, and is left as it is).
 */
function createCacheRoot(dir: string): void {
  const first = fs.mkdirSync(dir, { recursive: true });
  if (first !== undefined) fs.writeFileSync(path.join(first, '.gitignore'), GITIGNORE);
}

/** Whether `dir` looks like a version folder this cache wrote: a real folder holding only shards and the index. */
function isVersionFolder(dir: string): boolean {
  try {
    if (!fs.lstatSync(dir).isDirectory()) return false; // a link is never followed, nor removed
    return fs.readdirSync(dir).every((name) => VERSION_CHILD.test(name));
  } catch {
    return false;
  }
}

/**
 * Removes the entries of extractor versions other than `keep` under `baseDir`. Only what this cache
 * writes is touched (names and shapes as above); removal unlinks links inside, never their targets.
 * Returns the names removed.
 */
export function pruneStaleVersions(baseDir: string, keep: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(baseDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (name === keep || !VERSION_NAME.test(name)) continue;
    const dir = path.join(baseDir, name);
    if (!isVersionFolder(dir)) continue;
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Another run may be removing it too, or a file is locked: it goes next time.
    }
  }
  return removed;
}

export function cacheKey(contentHash: string, language: Language, testPath: boolean): string {
  return `${contentHash}-${language}-${testPath ? 't' : 's'}`;
}

type StoredFacts = Omit<FileFacts, 'path'>;

export class FactsCache {
  private readonly dir: string;
  private writable = true;
  private prepared = false;

  /** The folder of this extractor version's entries (the stat index lives under it too). */
  get versionDir(): string {
    return this.dir;
  }
  /** Why the cache stopped writing (a read-only folder), reported once as a warning. */
  lastError: string | undefined;

  constructor(private readonly baseDir: string, private readonly version: string) {
    this.dir = path.join(baseDir, version);
  }

  /**
   * Before the first write of this run: creates the folders (with the `.gitignore`) and removes
   * stale versions. Idempotent; false when the cache cannot be written (see lastError).
   */
  prepare(): boolean {
    if (this.prepared) return this.writable;
    this.prepared = true;
    try {
      createCacheRoot(this.baseDir);
      fs.mkdirSync(this.dir, { recursive: true });
    } catch (e) {
      this.fail(e);
      return false;
    }
    pruneStaleVersions(this.baseDir, this.version);
    return true;
  }

  private fail(e: unknown): void {
    this.writable = false;
    this.lastError = `the extraction cache at ${this.dir} cannot be written (${(e as Error).message}); continuing without it`;
  }

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The cached facts for `key`, with `path` filled in; undefined on a miss or a damaged entry. */
  get(key: string, filePath: string): FileFacts | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.file(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const stored = JSON.parse(text) as StoredFacts;
      return { path: filePath, ...stored };
    } catch {
      return undefined; // a damaged entry is a miss; the next put replaces it
    }
  }

  put(key: string, facts: FileFacts): void {
    if (!this.prepare()) return;
    const { path: _omit, ...stored } = facts;
    void _omit;
    const target = this.file(key);
    const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(stored));
      fs.renameSync(tmp, target);
    } catch (e) {
      this.fail(e);
      try { fs.rmSync(tmp, { force: true }); } catch { /* nothing to clean */ }
    }
  }
}
