/**
 * `ananke check <files…>`: reads Ariadne constraint files (and what they import) and reports every
 * problem as `file:line:col: error|warning: message` with the source line and a caret, then a
 * summary. `--json` gives the same as data, with the compiled constraints of each file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AnankeError, EXIT } from '../../core/index.ts';
import { compileAriadne, formatDiagnostic, type AriadneResult } from '../../ariadne/index.ts';

interface CheckCliOptions {
  json?: boolean;
}

/** Folders skipped when a folder is given: dependencies and hidden folders. */
const SKIP_DIRS = new Set(['node_modules']);

function ariadneFilesIn(dir: string, out: string[]): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) ariadneFilesIn(p, out);
    } else if (e.isFile() && e.name.endsWith('.ariadne')) {
      out.push(p);
    }
  }
}

/** The files to check: each file as named, each folder's `.ariadne` files (recursively, sorted). */
function expand(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new AnankeError('NOT_FOUND', 'no such file or folder', { file: p });
    }
    if (!st.isDirectory()) {
      out.push(p);
      continue;
    }
    const found: string[] = [];
    ariadneFilesIn(p, found);
    if (found.length === 0) throw new AnankeError('NOT_FOUND', 'no .ariadne files in this folder', { file: p });
    out.push(...found);
  }
  return out;
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(r: AriadneResult): string {
  const parts = [plural(r.files.length, 'file'), plural(r.constraints.length, 'constraint')];
  if (r.errors > 0) parts.push(plural(r.errors, 'error'));
  if (r.warnings > 0) parts.push(plural(r.warnings, 'warning'));
  return parts.join(', ');
}

/** The `--json` document. */
export function toJson(r: AriadneResult): Record<string, unknown> {
  return {
    files: r.files.map((f) => ({
      path: f.path,
      constraints: f.constraints,
      diagnostics: f.diagnostics.map((d) => ({ severity: d.severity, line: d.line, column: d.column, length: d.length, message: d.message })),
    })),
    summary: { files: r.files.length, constraints: r.constraints.length, errors: r.errors, warnings: r.warnings, suppressed: r.suppressed },
  };
}

export function configure(cmd: Command): void {
  cmd
    .argument('<files...>', '.ariadne files, or folders to search for them')
    .option('--json', 'print the files, their compiled constraints and diagnostics as JSON')
    .addHelpText('after', `
Every problem is reported, with the source line and a caret:
  rules.ariadne:12:5: error: unknown field sevrity (did you mean severity?)

Examples:
  $ ananke check constraints/security.ariadne        one file and what it imports
  $ ananke check constraints                         every .ariadne file in a folder
  $ ananke check rules.ariadne --json                diagnostics and constraints as JSON

The language: docs/ariadne.md.
Exit status: 0 no errors (warnings allowed), 4 an error in a file, 2 usage, 3 a path does not exist.`)
    .action((files: string[], opts: CheckCliOptions) => {
      process.exitCode = runCheck(files, opts);
    });
}

function runCheck(paths: string[], opts: CheckCliOptions): number {
  const r = compileAriadne(expand(paths));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(toJson(r), null, 2)}\n`);
  } else {
    const texts = new Map(r.files.map((f) => [f.path, f.text]));
    const out = r.diagnostics.map((d) => `${formatDiagnostic(d, texts.get(d.file))}\n`);
    if (r.suppressed > 0) out.push(`… ${plural(r.suppressed, 'more problem')} not shown (at most ${r.diagnostics.length} are)\n`);
    if (out.length > 0) out.push('\n');
    out.push(`${summaryLine(r)}\n`);
    process.stdout.write(out.join(''));
  }
  return r.errors > 0 ? EXIT.PARSE : EXIT.OK;
}
