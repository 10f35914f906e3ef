/**
 * Extraction over a file set: walk, read, skip what is not source, take facts from the cache or
 * extract them (in this thread and on worker threads), then derive constraints.
 *
 * Scheduling: the main thread reads files and looks them up in the cache. Cache misses are
 * extracted in this thread; when enough source is left to extract (`workerMinBytes`) a worker pool starts
 * and the main thread keeps extracting while the workers boot, handing tasks to them as soon as
 * they have room. Small runs and cache-hit runs therefore never pay for starting workers.
 * Files are processed in batches so memory stays bounded on large trees.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { CodeFacts, Constraint, FileFacts, Language, SkippedFile } from '../core/index.ts';
import { deriveConstraintsDetailed } from './constraints/index.ts';
import { FactsCache, cacheKey, defaultCacheDir, extractorVersion, getHasher, hashBytes } from './cache.ts';
import { extractFile } from './extract-file.ts';
import { languageFromShebang } from './language-detect.ts';
import { PoolUnavailableError, WorkerPool } from './pool.ts';
import { StatIndex } from './stat-index.ts';
import { isTestPath } from './test-mining.ts';
import { walk, type Candidate } from './walk.ts';

/** The JSON format version of `ananke extract --json` (see docs/clew-extract.md). */
export const EXTRACT_FORMAT_VERSION = 2;
/** Files read per batch: bounds the sources held in memory at once. */
const BATCH = 256;
/** A file whose first BINARY_SNIFF bytes hold a NUL or many control bytes is binary. */
const BINARY_SNIFF = 8000;
/** Minified: at least this big and lines this long on average, or one line this long. */
const MINIFIED_MIN_BYTES = 2048;
const MINIFIED_AVG_LINE = 250;
const MINIFIED_MAX_LINE = 10_000;
const DEFAULT_WORKER_MIN_BYTES = 1024 * 1024;

export interface ExtractOptions {
  cwd?: string;
  /** Only these languages (TypeScript includes TSX). */
  languages?: readonly Language[];
  maxFiles?: number;
  maxFileBytes?: number;
  /** Read and write the extraction cache (default true). */
  cache?: boolean;
  /** Default: `$ANANKE_CACHE_DIR`, else `.ananke/cache` under `cwd`. */
  cacheDir?: string;
  /** Worker threads (0: extract in the main thread only). Default: CPUs - 1, at least 1, at most 8. */
  jobs?: number;
  /**
   * Start workers only when about this many bytes of source still need extracting (default 1 MiB,
   * roughly 30,000 lines): a worker takes a second or more to boot (tsx, grammars), which only pays
   * off on large cold runs. 0 starts them for any cache miss.
   */
  workerMinBytes?: number;
  /** Drop constraints below this confidence (0..1). */
  minConfidence?: number;
  /**
   * With the cache on, recognise unchanged files by size, mtime, ctime and inode instead of reading
   * and hashing them (see stat-index.ts). Default true.
   */
  statIndex?: boolean;
  /** The stat index's racy-clean window in ms (tests only; default stat-index.ts's RACY_MS). */
  statIndexRacyMs?: number;
}

export type ExtractWarningCode = 'syntax_error' | 'extraction_failed' | 'limit' | 'no_match' | 'cache';

export interface ExtractWarning {
  code: ExtractWarningCode;
  message: string;
  path?: string;
  line?: number;
}

export interface ExtractStats {
  files: number;
  lines: number;
  bytes: number;
  languages: Record<string, { files: number; lines: number }>;
  /** Skipped files by reason (vendored and ignored count folders as one). */
  skipped: Record<string, number>;
  /** Files with an extension no grammar reads (not listed in `skipped`). */
  unknownLanguage: number;
  /** Files left out by `languages`. */
  filtered: number;
  cacheHits: number;
  cacheMisses: number;
  workers: number;
  truncated: boolean;
  constraints: number;
  securityFindings: number;
  testExpectations: number;
  timingsMs: { walk: number; extract: number; derive: number; total: number };
}

export interface ExtractResult {
  facts: CodeFacts;
  constraints: Constraint[];
  warnings: ExtractWarning[];
  stats: ExtractStats;
}

export type ProgressFn = (done: number, total: number) => void;

export function defaultJobs(): number {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(8, cpus - 1));
}

/** Why a buffer is not source text, or undefined when it is. */
export function sniff(buf: Uint8Array, name: string): { reason: 'binary' | 'minified'; detail: string } | undefined {
  const n = Math.min(buf.length, BINARY_SNIFF);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i]!;
    if (b === 0) return { reason: 'binary', detail: 'contains NUL bytes' };
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  if (n > 0 && control * 10 > n) return { reason: 'binary', detail: `${Math.round((control * 100) / n)}% control bytes` };
  if (/\.min\.[a-z]+$/.test(name)) return { reason: 'minified', detail: '.min. file name' };
  if (buf.length < MINIFIED_MIN_BYTES) return undefined;
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 10) {
      if (i - start > longest) longest = i - start;
      start = i + 1;
      lines++;
    }
  }
  if (buf.length - start > longest) longest = buf.length - start;
  const avg = buf.length / lines;
  if (avg > MINIFIED_AVG_LINE || longest > MINIFIED_MAX_LINE) {
    return { reason: 'minified', detail: `${lines} lines, average ${Math.round(avg)} chars, longest ${longest}` };
  }
  return undefined;
}

interface Miss {
  index: number;
  path: string;
  source: string;
  language: Language;
  key?: string;
}

const nextTick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Facts and constraints of the files under `paths`. Bad files are skipped or warned about; only bad arguments throw. */
export async function extractRepo(paths: readonly string[], options: ExtractOptions = {}, onProgress?: ProgressFn): Promise<ExtractResult> {
  const t0 = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const langSet = options.languages ? new Set<Language>(options.languages) : undefined;
  const statTakenAt = Date.now();
  const walked = walk(paths, {
    cwd, maxFiles: options.maxFiles, maxFileBytes: options.maxFileBytes, languages: langSet,
  });
  const tWalk = performance.now();
  const warnings: ExtractWarning[] = walked.warnings.map((m) => ({ code: /matched no files/.test(m) ? 'no_match' as const : 'limit' as const, message: m }));
  const skipped: SkippedFile[] = walked.skipped.slice();
  let unknownLanguage = walked.unknownLanguage;
  let filtered = walked.filtered;

  const useCache = options.cache !== false;
  const hasher = await getHasher();
  const cache = useCache ? new FactsCache(options.cacheDir ?? defaultCacheDir(cwd), await extractorVersion()) : undefined;
  const index = cache && options.statIndex !== false ? new StatIndex(cache.versionDir, walked.root, statTakenAt, options.statIndexRacyMs) : undefined;
  const jobs = Math.max(0, Math.floor(options.jobs ?? defaultJobs()));
  const minBytes = options.workerMinBytes ?? DEFAULT_WORKER_MIN_BYTES;
  let candidateBytesLeft = 0;
  for (const c of walked.files) candidateBytesLeft += c.bytes;

  const candidates = walked.files;
  const results: (FileFacts | undefined)[] = new Array(candidates.length);
  let pool: WorkerPool | undefined;
  let missCount = 0;
  let hits = 0;
  let done = 0;
  const total = candidates.length;
  const progress = (): void => { if (onProgress) onProgress(done, total); };

  const finish = (m: Miss, facts: FileFacts): void => {
    results[m.index] = facts;
    if (cache && m.key) cache.put(m.key, facts);
    done++;
    progress();
  };
  const failed = (m: Miss, e: unknown): void => {
    const msg = e instanceof Error ? e.message : String(e);
    skipped.push({ path: m.path, reason: 'unreadable', detail: `extraction failed: ${msg}` });
    warnings.push({ code: 'extraction_failed', path: m.path, message: `could not extract facts: ${msg}` });
    done++;
    progress();
  };

  try {
    for (let b = 0; b < candidates.length; b += BATCH) {
      const misses: Miss[] = [];
      let batchBytes = 0;
      let missBytes = 0;
      for (let i = b; i < Math.min(candidates.length, b + BATCH); i++) {
        const c: Candidate = candidates[i]!;
        batchBytes += c.bytes;
        // Unchanged since the last run (stat index): no need to read or hash the file.
        const known = index && c.stat && c.language ? index.lookup(c.rel, c.bytes, c.stat) : undefined;
        if (known) {
          const hit = cache!.get(known, c.rel);
          if (hit) {
            results[i] = hit;
            hits++;
            done++;
            index!.record(c.rel, c.bytes, c.stat!, known);
            continue;
          }
        }
        let buf: Buffer;
        try {
          buf = fs.readFileSync(c.abs);
        } catch (e) {
          skipped.push({ path: c.rel, reason: 'unreadable', detail: (e as Error).message });
          done++;
          continue;
        }
        const bad = sniff(buf, c.rel);
        if (bad) {
          skipped.push({ path: c.rel, ...bad });
          done++;
          continue;
        }
        let language = c.language;
        if (!language) {
          language = languageFromShebang(buf.subarray(0, 256).toString('utf8'));
          if (!language) { unknownLanguage++; done++; continue; }
          if (langSet && !langSet.has(language)) { filtered++; done++; continue; }
        }
        const key = cache ? cacheKey(hashBytes(hasher, buf), language, isTestPath(c.rel)) : undefined;
        // The stat was taken before the read: if the file changed in between, the stamp no longer
        // matches next time and the file is hashed again, so recording here is safe.
        if (index && key && c.stat && c.language && buf.length === c.bytes) index.record(c.rel, c.bytes, c.stat, key);
        const hit = cache && key ? cache.get(key, c.rel) : undefined;
        if (hit) {
          results[i] = hit;
          hits++;
          done++;
          continue;
        }
        let source = buf.toString('utf8');
        if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
        missBytes += buf.length;
        const miss: Miss = { index: i, path: c.rel, source, language };
        if (key) miss.key = key;
        misses.push(miss);
      }
      progress();
      missCount += misses.length;
      candidateBytesLeft -= batchBytes;
      // Work still to do: this batch's misses plus the rest of the tree at this batch's miss rate.
      const expected = missBytes + (batchBytes > 0 ? candidateBytesLeft * (missBytes / batchBytes) : 0);
      if (!pool && jobs > 0 && misses.length > 0 && expected >= minBytes) pool = new WorkerPool(jobs);

      const inflight: Promise<void>[] = [];
      for (let q = 0; q < misses.length; q++) {
        const m = misses[q]!;
        if (pool && pool.idle() > 0) {
          inflight.push(pool.extract(m.path, m.source, m.language).then(
            (f) => finish(m, f),
            // Workers cannot run here: extract this file in this thread after all.
            (e: unknown) => e instanceof PoolUnavailableError
              ? extractFile(m.path, m.source, m.language).then((f) => finish(m, f), (e2: unknown) => failed(m, e2))
              : failed(m, e),
          ));
          continue;
        }
        try {
          finish(m, await extractFile(m.path, m.source, m.language));
        } catch (e) {
          failed(m, e);
        }
        // Let worker replies in, so the workers get their next task promptly.
        if (pool) await nextTick();
      }
      await Promise.all(inflight);
    }
  } finally {
    if (pool) await pool.close();
  }
  // A run with no cache miss writes only the index: the cache folder is set up (and pruned) all the same.
  if (index && cache!.prepare()) index.save(walked.root);
  if (cache?.lastError) warnings.push({ code: 'cache', message: cache.lastError });
  if (pool?.unavailable) warnings.push({ code: 'extraction_failed', message: `${pool.unavailable}; extracted in the main thread instead` });
  const tExtract = performance.now();

  const files: FileFacts[] = [];
  for (const f of results) if (f) files.push(f);
  const stats: ExtractStats = {
    files: files.length, lines: 0, bytes: 0, languages: {}, skipped: {}, unknownLanguage, filtered,
    cacheHits: hits, cacheMisses: missCount, workers: pool ? pool.size : 0, truncated: walked.truncated,
    constraints: 0, securityFindings: 0, testExpectations: 0,
    timingsMs: { walk: 0, extract: 0, derive: 0, total: 0 },
  };
  for (const f of files) {
    stats.lines += f.lines;
    stats.bytes += f.bytes;
    const l = (stats.languages[f.language] ??= { files: 0, lines: 0 });
    l.files++;
    l.lines += f.lines;
    stats.securityFindings += f.security.length;
    stats.testExpectations += f.tests.length;
    if (f.diagnostics.length > 0) {
      const d = f.diagnostics[0]!;
      warnings.push({
        code: 'syntax_error', path: f.path, line: d.line,
        message: `${f.diagnostics.length} syntax error${f.diagnostics.length === 1 ? '' : 's'} (first: ${d.message}); facts are what could be recovered`,
      });
    }
  }
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const s of skipped) stats.skipped[s.reason] = (stats.skipped[s.reason] ?? 0) + 1;

  const facts: CodeFacts = { root: walked.root, files, skipped };
  const derived = deriveConstraintsDetailed(facts, { minConfidence: options.minConfidence });
  if (derived.droppedTestExpectations > 0) {
    warnings.push({ code: 'limit', message: `${derived.droppedTestExpectations} test expectations beyond the limit were counted but not emitted as constraints` });
  }
  const tEnd = performance.now();
  stats.constraints = derived.constraints.length;
  const r = (x: number): number => Math.round(x * 10) / 10;
  stats.timingsMs = { walk: r(tWalk - t0), extract: r(tExtract - tWalk), derive: r(tEnd - tExtract), total: r(tEnd - t0) };
  return { facts, constraints: derived.constraints, warnings, stats };
}
