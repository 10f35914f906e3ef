/**
 * A task's working copy: the codebase and the task's test copied into a temporary folder in the
 * same relative layout (so the test's relative imports reach the copy), where each candidate is
 * written into the target file before its checks and tests run. The original codebase is never
 * written to.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnankeError } from '../../core/index.ts';
import { VENDORED_DIRS } from '../../clew/index.ts';
import type { CodegenTask } from './task.ts';

/** Tool folders never copied (version control, Ananke's cache, editors). */
const TOOL_DIRS: ReadonlySet<string> = new Set(['.git', '.hg', '.svn', '.ananke', '.idea', '.vscode']);
/** A codebase is copied once per task; past this many files the copy is the wrong tool. */
const MAX_COPIED_FILES = 5000;

function commonAncestor(a: string, b: string): string {
  const pa = a.split(path.sep);
  const pb = b.split(path.sep);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  return pa.slice(0, i).join(path.sep) || path.sep;
}

function copyTree(from: string, to: string, count: { files: number }, codebase: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isDirectory()) {
      if (TOOL_DIRS.has(e.name)) continue;
      // Installed packages are linked, not copied: the copy's imports still find them.
      if (e.name === 'node_modules') fs.symlinkSync(src, dst, 'dir');
      else if (!VENDORED_DIRS.has(e.name)) copyTree(src, dst, count, codebase);
    } else if (e.isFile()) {
      if (++count.files > MAX_COPIED_FILES) throw new AnankeError('LIMIT', `codebase ${codebase} has more than ${MAX_COPIED_FILES} files: too large to copy for each task`);
      fs.copyFileSync(src, dst);
    }
  }
}

export class Sandbox {
  /** The copies: the codebase, the target file, the test. */
  readonly codebase: string;
  readonly targetFile: string;
  readonly test: string;

  private constructor(readonly root: string, base: string, real: { codebase: string; targetFile: string; test: string }) {
    const inRoot = (p: string): string => path.join(root, path.relative(base, p));
    this.codebase = inRoot(real.codebase);
    this.targetFile = inRoot(real.targetFile);
    this.test = inRoot(real.test);
  }

  /** Copies the task's codebase and test under `parent` (a fresh folder per task). */
  static create(task: CodegenTask, parent: string): Sandbox {
    const real = { codebase: fs.realpathSync(task.codebase), targetFile: fs.realpathSync(task.target.file), test: fs.realpathSync(task.test) };
    const box = new Sandbox(fs.mkdtempSync(path.join(parent, `${task.id}-`)), commonAncestor(real.codebase, fs.realpathSync(task.dir)), real);
    copyTree(real.codebase, box.codebase, { files: 0 }, task.codebase);
    fs.mkdirSync(path.dirname(box.test), { recursive: true });
    fs.copyFileSync(real.test, box.test);
    // Compiled test files beside the copy are ES modules, like the codebase's own.
    const pkg = path.join(box.root, 'package.json');
    if (!fs.existsSync(pkg)) fs.writeFileSync(pkg, '{ "type": "module" }\n');
    return box;
  }

  /** The target file's text with a candidate in place. */
  write(source: string): void {
    fs.writeFileSync(this.targetFile, source);
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** A temporary folder for one run's sandboxes. */
export function sandboxParent(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-eval-'));
}
