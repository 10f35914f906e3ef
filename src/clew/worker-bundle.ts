/**
 * The extraction worker as one plain ESM file. Booting a worker through tsx (register the loader,
 * compile ~30 TypeScript modules) takes seconds on a busy machine; a prebuilt bundle starts in a
 * fraction of that. The bundle is built with esbuild on first use and kept in the OS temp folder
 * under a name keyed by a hash of the sources it is built from (src/clew and src/core), so
 * editing an extractor rebuilds it. If bundling fails for any reason the pool falls back to tsx.
 *
 * Packages stay external and are imported by absolute file URL (the bundle lives outside this
 * package, where bare names would not resolve); `import.meta.url` inside the bundle is pinned to
 * worker.ts's own URL so that parser.ts finds the grammar packages from here, as it does unbundled.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bump when the way the bundle is built changes (its name must change with it). */
const BUNDLE_FORMAT = 1;

const WORKER_URL = new URL('./worker.ts', import.meta.url);
const CLEW_DIR = path.dirname(fileURLToPath(import.meta.url));
const CORE_DIR = path.join(CLEW_DIR, '..', 'core');

/** The bootstrap that runs worker.ts through tsx's loader (the fallback; see pool.ts). */
export const TSX_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); })
  .catch((e) => { throw e; });`;

function tsFiles(dir: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) tsFiles(p, out);
    else if (e.isFile() && e.name.endsWith('.ts')) out.push(p);
  }
}

/** A hash of every source the bundle can contain, plus the bundler's version. */
function sourceHash(esbuildVersion: string): string {
  const files: string[] = [];
  tsFiles(CLEW_DIR, files);
  tsFiles(CORE_DIR, files);
  files.sort();
  const h = crypto.createHash('sha256');
  h.update(`format${BUNDLE_FORMAT}\0esbuild${esbuildVersion}\0${WORKER_URL.href}\0`);
  for (const f of files) {
    h.update(f);
    h.update('\0');
    h.update(fs.readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 20);
}

const bundled = new Map<string, Promise<string>>();

/**
 * The path of the worker bundle, building it when the sources changed since it was last built.
 * `dir` defaults to the OS temp folder. Rejects when bundling fails (the caller falls back to tsx).
 */
export function workerBundle(dir: string = defaultBundleDir()): Promise<string> {
  let p = bundled.get(dir);
  if (!p) {
    p = buildBundle(dir).catch((e: unknown) => {
      bundled.delete(dir);
      throw e;
    });
    bundled.set(dir, p);
  }
  return p;
}

/** A per-user folder in the OS temp folder (other users must not be able to plant a bundle there). */
function defaultBundleDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  return path.join(os.tmpdir(), uid === undefined ? 'ananke-clew' : `ananke-clew-${uid}`);
}

/** Refuses a folder that someone else owns or can write to: code imported from it runs as us. */
function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (process.platform !== 'win32' && (st.mode & 0o022) !== 0)) {
    throw new Error(`${dir} is not a private folder; not using a worker bundle from it`);
  }
}

async function buildBundle(dir: string): Promise<string> {
  ensurePrivateDir(dir);
  // The version from package.json: a bundle already built needs no esbuild loaded at all.
  const { version } = createRequire(import.meta.url)('esbuild/package.json') as { version: string };
  const file = path.join(dir, `worker-${sourceHash(version)}.mjs`);
  if (fs.existsSync(file)) return file;
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(WORKER_URL)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    define: { 'import.meta.url': JSON.stringify(WORKER_URL.href) },
    plugins: [{
      name: 'absolute-packages',
      setup(b) {
        // Packages keep their own files (web-tree-sitter finds its .wasm next to itself).
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.path.startsWith('node:')) return { path: args.path, external: true };
          return { path: import.meta.resolve(args.path), external: true };
        });
      },
    }],
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  // Written beside its final name and renamed: concurrent runs never import half a file.
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, out.text);
  fs.renameSync(tmp, file);
  return file;
}

/** The eval'd bootstrap that imports the bundle at `file`. */
export function bundleBootstrap(file: string): string {
  return `import(${JSON.stringify(pathToFileURL(file).href)});`;
}
