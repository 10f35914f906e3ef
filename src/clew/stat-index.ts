/**
 * The cache's stat index: per scanned root, each file's size, mtime, ctime and inode with the cache
 * key of the content it had, so that a re-run recognises an unchanged file by `stat` alone instead
 * of reading and hashing it. Anything that differs sends the file down the normal path (read, hash,
 * look up by content), so the index can only save work, never change facts, provided that an
 * unchanged stat means unchanged content. Two guards make that hold:
 *
 * - ctime is compared as well as mtime: tools can set mtime back (`touch -d`, `utimes`, rsync -t)
 *   but any write or metadata change sets ctime to the current time, which cannot be set back;
 * - "racily clean" entries are not recorded: a file whose ctime is within RACY_MS of the moment its
 *   stat was taken could be written again within the clock's granularity without its stamp moving,
 *   so it is hashed again next time (as git does for its index).
 *
 * The trade-off: a file system that does not maintain ctime, or a clock set backwards, could hide a
 * change; `--no-cache` (or deleting `.ananke/cache`) sidesteps the index entirely.
 *
 * Layout: `<cache dir>/<extractor version>/index/<hash of the root>.json`, rewritten (temporary file
 * + rename) after each run with the entries of the files that run saw.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FileStamp } from './walk.ts';

/** A stamp this close (ms) to the moment it was taken may not move on the next write: hash it. */
export const RACY_MS = 2000;

const FORMAT = 1;

interface Entry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  key: string;
}

type StoredEntry = [rel: string, size: number, mtimeMs: number, ctimeMs: number, ino: number, key: string];

export class StatIndex {
  private readonly file: string;
  private readonly old = new Map<string, Entry>();
  private readonly next: StoredEntry[] = [];

  /**
   * `statTakenAt` is a time (ms since the epoch) no later than when the walk took the stats;
   * `racyMs` is the guard above (tests lower it to exercise the trusted path without sleeping).
   */
  constructor(versionDir: string, root: string, private readonly statTakenAt: number, private readonly racyMs: number = RACY_MS) {
    const name = crypto.createHash('sha256').update(root).digest('hex').slice(0, 24);
    this.file = path.join(versionDir, 'index', `${name}.json`);
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return; // no index yet
    }
    try {
      const data = JSON.parse(text) as { format?: number; root?: string; entries?: StoredEntry[] };
      if (data.format !== FORMAT || data.root !== root || !Array.isArray(data.entries)) return;
      for (const e of data.entries) {
        if (!Array.isArray(e) || e.length !== 6 || typeof e[0] !== 'string' || typeof e[5] !== 'string') continue;
        this.old.set(e[0], { size: e[1], mtimeMs: e[2], ctimeMs: e[3], ino: e[4], key: e[5] });
      }
    } catch {
      this.old.clear(); // a damaged index is an empty one
    }
  }

  /** The cache key recorded for `rel` when its size and stamp are exactly as recorded. */
  lookup(rel: string, size: number, stamp: FileStamp): string | undefined {
    const e = this.old.get(rel);
    if (!e || e.size !== size || e.mtimeMs !== stamp.mtimeMs || e.ctimeMs !== stamp.ctimeMs || e.ino !== stamp.ino) return undefined;
    return e.key;
  }

  /** Records that `rel`, with this size and stamp, had the content of cache entry `key`. */
  record(rel: string, size: number, stamp: FileStamp, key: string): void {
    // Racily clean: the file may still change within the stamp's granularity. Hash it next time.
    if (stamp.ctimeMs > this.statTakenAt - this.racyMs || stamp.mtimeMs > this.statTakenAt - this.racyMs) return;
    this.next.push([rel, size, stamp.mtimeMs, stamp.ctimeMs, stamp.ino, key]);
  }

  /** Writes the entries recorded in this run (only these: files no longer seen drop out). */
  save(root: string): void {
    const tmp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, root, entries: this.next }));
      fs.renameSync(tmp, this.file);
    } catch {
      try { fs.rmSync(tmp, { force: true }); } catch { /* nothing to clean */ }
      // The index is an optimisation: failing to write it (the cache reports its own write errors) costs only speed.
    }
  }
}
