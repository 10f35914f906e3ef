/**
 * Reading MaskBench files: `{"description", "meta", "schema", "tests": [{"valid", "data", ...}]}`.
 * Each instance is serialized the way MaskBench's Python did (pythonDumps keeps number text), so the
 * token sequences are exactly upstream's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseRawJson, pythonDumps, rawGet } from './raw-json.ts';

export interface MaskbenchInstance {
  valid: boolean;
  /** The instance as Python's json.dumps(data, indent=None, ensure_ascii=False) prints it. */
  text: string;
  description?: string;
}

export interface MaskbenchFile {
  /** File name within its folder. */
  file: string;
  schema: unknown;
  tests: MaskbenchInstance[];
}

/** A file that is not a MaskBench file (bad JSON, no schema, malformed tests). */
export class MaskbenchFileError extends Error {
  override readonly name = 'MaskbenchFileError';
}

export function loadMaskbenchFile(fullPath: string): MaskbenchFile {
  const file = path.basename(fullPath);
  let text: string;
  try {
    text = readFileSync(fullPath, 'utf8');
  } catch (e) {
    throw new MaskbenchFileError(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
  let raw;
  let plain: unknown;
  try {
    raw = parseRawJson(text);
    plain = JSON.parse(text);
  } catch (e) {
    throw new MaskbenchFileError(`${file}: not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (raw.kind !== 'object' || plain === null || typeof plain !== 'object' || !('schema' in plain)) {
    throw new MaskbenchFileError(`${file}: not a MaskBench file (expected an object with "schema" and "tests")`);
  }
  const rawTests = rawGet(raw, 'tests');
  if (rawTests === undefined || rawTests.kind !== 'array') throw new MaskbenchFileError(`${file}: "tests" must be an array`);
  const tests: MaskbenchInstance[] = [];
  rawTests.items.forEach((t, i) => {
    const valid = rawGet(t, 'valid');
    const data = rawGet(t, 'data');
    if (valid === undefined || valid.kind !== 'bool' || data === undefined) {
      throw new MaskbenchFileError(`${file}: tests[${i}] needs "valid" (a boolean) and "data"`);
    }
    const desc = rawGet(t, 'description');
    const inst: MaskbenchInstance = { valid: valid.value, text: pythonDumps(data) };
    if (desc?.kind === 'string') inst.description = desc.value;
    tests.push(inst);
  });
  return { file, schema: (plain as { schema: unknown }).schema, tests };
}

/**
 * The MaskBench files of a folder in sorted order (plain code-unit order of the names, so runs and
 * `--limit N` slices are reproducible), keeping names containing `filter`, then `spread` of them
 * evenly spaced over that list (every k-th: each category keeps its share), then the first `limit`.
 */
export function listMaskbenchFiles(folder: string, opts: { filter?: string; limit?: number; spread?: number } = {}): string[] {
  let names = readdirSync(folder)
    .filter((n) => n.endsWith('.json'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (opts.filter !== undefined && opts.filter !== '') names = names.filter((n) => n.includes(opts.filter!));
  if (opts.spread !== undefined) names = spreadOver(names, opts.spread);
  if (opts.limit !== undefined) names = names.slice(0, Math.max(0, opts.limit));
  return names.map((n) => path.join(folder, n));
}

/** n items evenly spaced over `all` (all of it when it has at most n). */
export function spreadOver<T>(all: readonly T[], n: number): T[] {
  if (all.length <= n) return [...all];
  const stride = all.length / n;
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(all[Math.floor(i * stride)]!);
  return out;
}
