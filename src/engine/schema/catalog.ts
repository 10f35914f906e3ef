import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors.ts';
import type { SchemaDocuments } from './registry.ts';

/** Files a schema folder may hold (the walk stops with a LIMIT error past it). */
export const MAX_CATALOG_FILES = 20_000;
/** Largest schema file read (bytes); larger ones are skipped. */
export const MAX_CATALOG_FILE_BYTES = 64 * 1024 * 1024;

/** A folder of schemas as a registry for remote `$ref`s (`--schema-dir`). */
export interface SchemaCatalog {
  documents: SchemaDocuments;
  /** The `.json` files found (absolute paths). */
  files: string[];
  /** URI → file, for every document handed out so far (what a compilation used). */
  used: Map<string, string>;
}

function idOf(doc: unknown): string | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const o = doc as Record<string, unknown>;
  const id = typeof o['$id'] === 'string' ? o['$id'] : typeof o['id'] === 'string' ? o['id'] : undefined;
  return id === undefined ? undefined : normalize(id);
}

/** A URI without fragment (and without the empty `#` many `$id`s end with). */
function normalize(uri: string): string {
  const hash = uri.indexOf('#');
  return hash < 0 ? uri : uri.slice(0, hash);
}

/**
 * The schemas of one or more folders (recursively, `*.json`), looked up by URI: the file whose
 * `$id` (draft-04 `id`) is the URI, else the one file whose name is the URI's last path segment
 * (so `base.json#/definitions/x`, resolved against any base, finds `DIR/base.json`). Files are
 * read and parsed when first needed; the `$id` index is built (all files parsed once) only when a
 * name does not settle it. Nothing is fetched over a network. Errors: EngineError('SCHEMA') for
 * a missing folder or a file that is not JSON when it is needed; LIMIT past MAX_CATALOG_FILES.
 */
export function schemaCatalog(dirs: readonly string[]): SchemaCatalog {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (name.endsWith('.json') && st.size <= MAX_CATALOG_FILE_BYTES) {
        if (files.length >= MAX_CATALOG_FILES) throw new EngineError('LIMIT', `schema folder holds more than ${MAX_CATALOG_FILES} .json files`);
        files.push(p);
      }
    }
  };
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new EngineError('SCHEMA', `schema folder not found: ${d}`);
    walk(path.resolve(d));
  }
  const byName = new Map<string, string[]>();
  for (const f of files) {
    const n = path.basename(f);
    const list = byName.get(n);
    if (list) list.push(f);
    else byName.set(n, [f]);
  }
  const parsed = new Map<string, unknown>();
  const parse = (f: string): unknown => {
    if (parsed.has(f)) return parsed.get(f);
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(f, 'utf8').replace(/^\uFEFF/, '')) as unknown;
    } catch (e) {
      throw new EngineError('SCHEMA', `schema file ${f} is not valid JSON: ${(e as Error).message}`);
    }
    parsed.set(f, doc);
    return doc;
  };
  let byId: Map<string, string> | null = null;
  const used = new Map<string, string>();
  const documents: SchemaDocuments = (uri) => {
    const want = normalize(uri);
    let segment = '';
    try {
      segment = decodeURIComponent(new URL(want).pathname.split('/').pop() ?? '');
    } catch {
      segment = want.split('/').pop() ?? '';
    }
    const named = byName.get(segment) ?? [];
    let file = named.find((f) => idOf(parse(f)) === want);
    if (file === undefined) {
      if (byId === null) {
        byId = new Map();
        for (const f of files) {
          let id: string | undefined;
          try {
            id = idOf(parse(f));
          } catch {
            continue; // a broken file nobody asked for by name stays out of the index
          }
          if (id !== undefined && !byId.has(id)) byId.set(id, f);
        }
      }
      file = byId.get(want) ?? (named.length === 1 ? named[0] : undefined);
    }
    if (file === undefined) return undefined;
    used.set(want, file);
    return parse(file);
  };
  return { documents, files, used };
}
