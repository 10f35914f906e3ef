/**
 * Code-generation tasks for `ananke eval` (docs/eval.md): one folder per task holding `task.json`
 * and its test. A task names a codebase, a generation target in it, a prompt, and the test a
 * correct implementation passes; its reference solution is the target's own text in the codebase
 * unless `reference` names a file (required for new: targets, which have no text yet).
 */
import fs from 'node:fs';
import path from 'node:path';
import { AnankeError, readTextFile, type Target } from '../../core/index.ts';
import { parseTarget } from '../../braid/index.ts';

export interface CodegenTask {
  /** The task folder's name. */
  id: string;
  /** Absolute paths: the task folder, its task.json, the codebase, the test file, the reference file if any. */
  dir: string;
  file: string;
  codebase: string;
  test: string;
  reference?: string;
  prompt: string;
  /** The target as written in task.json (file relative to the codebase), and resolved to an absolute file. */
  spec: string;
  target: FileTarget;
}

/** The targets that are code at a place in a file (not module: or json:). */
export type FileTarget = Extract<Target, { file: string }>;

const KEYS = ['codebase', 'target', 'signature', 'prompt', 'test', 'reference'] as const;
/** task.json files are small; a huge one is a mistake, not a task. */
const MAX_TASK_BYTES = 256 * 1024;

function field(obj: Record<string, unknown>, key: string, file: string, required: boolean): string | undefined {
  const v = obj[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new AnankeError('PARSE', `${file}: "${key}" must be a non-empty string${v === undefined ? ' (it is missing)' : ''}`, { file });
  return v;
}

function existing(p: string, what: string, file: string, kind: 'file' | 'folder'): string {
  if (!fs.existsSync(p)) throw new AnankeError('NOT_FOUND', `${file}: ${what} not found: ${p}`, { file });
  const isDir = fs.statSync(p).isDirectory();
  if (isDir !== (kind === 'folder')) throw new AnankeError('PARSE', `${file}: ${what} is not a ${kind}: ${p}`, { file });
  return p;
}

/** Reads and checks one task folder's task.json. */
export function loadTask(dir: string): CodegenTask {
  const file = path.join(dir, 'task.json');
  const text = readTextFile(file, 'task file', { maxBytes: MAX_TASK_BYTES, strictUtf8: true });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AnankeError('PARSE', `${file}: not JSON: ${(e as Error).message}`, { file });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new AnankeError('PARSE', `${file}: expected a JSON object`, { file });
  const obj = json as Record<string, unknown>;
  const unknown = Object.keys(obj).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length) throw new AnankeError('PARSE', `${file}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${KEYS.join(', ')})`, { file });

  const codebase = existing(path.resolve(dir, field(obj, 'codebase', file, true)!), 'codebase', file, 'folder');
  const spec = field(obj, 'target', file, true)!;
  const signature = field(obj, 'signature', file, false);
  let parsed: Target;
  try {
    parsed = parseTarget(spec, { signature });
  } catch (e) {
    throw new AnankeError('PARSE', `${file}: "target": ${(e as Error).message}`, { file });
  }
  if (parsed.kind === 'module' || parsed.kind === 'json') {
    throw new AnankeError('PARSE', `${file}: "target" must be a function:, body:, new: or fim: target (code with a place in a file), not ${parsed.kind}:`, { file });
  }
  if (signature !== undefined && parsed.kind !== 'new') throw new AnankeError('PARSE', `${file}: "signature" is only for new: targets`, { file });
  const targetFile = existing(path.resolve(codebase, parsed.file), 'target file', file, 'file');
  if (path.relative(codebase, targetFile).startsWith('..')) throw new AnankeError('PARSE', `${file}: the target file ${parsed.file} is outside the codebase ${codebase}`, { file });
  const target: FileTarget = { ...parsed, file: targetFile };
  const reference = field(obj, 'reference', file, false);
  if (target.kind === 'new' && reference === undefined) throw new AnankeError('PARSE', `${file}: a new: target has no text in the codebase, so "reference" must name the file holding a correct one`, { file });
  return {
    id: path.basename(dir), dir, file, codebase, spec, target,
    prompt: field(obj, 'prompt', file, true)!,
    test: existing(path.resolve(dir, field(obj, 'test', file, true)!), 'test', file, 'file'),
    ...(reference !== undefined ? { reference: existing(path.resolve(dir, reference), 'reference', file, 'file') } : {}),
  };
}

/**
 * Every task under `folder` (each subfolder holding a task.json), by id; `only` keeps those ids.
 * A folder that is itself a task is a set of one.
 */
export function loadTasks(folder: string, only?: readonly string[]): CodegenTask[] {
  if (!fs.existsSync(folder)) throw new AnankeError('NOT_FOUND', `tasks folder not found: ${folder}`, { file: folder });
  if (!fs.statSync(folder).isDirectory()) throw new AnankeError('USAGE', `not a folder of tasks: ${folder}`, { file: folder });
  const root = path.resolve(folder);
  const dirs = fs.existsSync(path.join(root, 'task.json'))
    ? [root]
    : fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && fs.existsSync(path.join(root, e.name, 'task.json'))).map((e) => path.join(root, e.name)).sort();
  if (dirs.length === 0) throw new AnankeError('NOT_FOUND', `no task in ${folder}: expected ${path.join(folder, '<id>', 'task.json')}`, { file: folder });
  let picked = dirs;
  if (only?.length) {
    const ids = new Set(dirs.map((d) => path.basename(d)));
    const missing = only.filter((id) => !ids.has(id));
    if (missing.length) throw new AnankeError('USAGE', `--only: no task ${missing.join(', ')} in ${folder} (tasks: ${[...ids].join(', ')})`);
    picked = dirs.filter((d) => only.includes(path.basename(d)));
  }
  return picked.map(loadTask);
}
