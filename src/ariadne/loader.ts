/**
 * The module system: reads `.ariadne` files, resolves `import a.b` to `a/b.ariadne` next to the
 * importing file, detects cycles, and gathers the constraints of a set of entry files. Every
 * problem (a missing import, a cycle, a file too big or not text) is a diagnostic with a position,
 * never an exception; every limit (file size, file count, diagnostics, nesting) is explicit.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Constraint } from '../core/index.ts';
import type { AriadneFile, ImportDecl } from './ast.ts';
import { compileFile, type CompiledConstraint, type CompiledFile } from './compile.ts';
import { DiagnosticSink, type Diagnostic, type Span } from './diagnostics.ts';
import { parseFile } from './parser.ts';
import { DEFAULT_ARIADNE_LIMITS, type AriadneLimits } from './limits.ts';
import { Reader } from './values.ts';

export type ReadResult = { bytes: Uint8Array } | { missing: true } | { tooLarge: number } | { error: string };

/** How files are read (the file system by default; tests may serve files from memory). */
export interface AriadneHost {
  read(absPath: string, maxBytes: number): ReadResult;
}

export const fileSystemHost: AriadneHost = {
  read(absPath, maxBytes) {
    let st: fs.Stats;
    try {
      st = fs.statSync(absPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return { missing: true };
      return { error: (e as Error).message };
    }
    if (st.isDirectory()) return { error: 'it is a folder, not a file' };
    if (st.size > maxBytes) return { tooLarge: st.size };
    try {
      return { bytes: fs.readFileSync(absPath) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  },
};

export interface AriadneOptions {
  /** Paths in diagnostics and provenance are relative to this folder (default: the working directory). */
  cwd?: string;
  limits?: Partial<AriadneLimits>;
  host?: AriadneHost;
}

export interface AriadneFileResult {
  /** The file, relative to `cwd` where it is inside it. */
  path: string;
  /** The constraints this file declares (compiled; imports not included). */
  constraints: Constraint[];
  diagnostics: Diagnostic[];
  /** The file's text (for echoing source lines under diagnostics); absent when it could not be read. */
  text?: string;
}

export interface AriadneResult {
  /** The constraints of the entry files and of what they import, each once, in order. */
  constraints: Constraint[];
  /** Every diagnostic kept, in the order found. */
  diagnostics: Diagnostic[];
  /** Every file read, entries and imports, in the order read. */
  files: AriadneFileResult[];
  errors: number;
  warnings: number;
  /** Diagnostics found beyond `maxDiagnostics` (counted, not kept). */
  suppressed: number;
}

interface Module {
  abs: string;
  display: string;
  text?: string;
  ast?: AriadneFile;
  compiled?: CompiledFile;
  imports: { decl: ImportDecl; module?: Module }[];
}

const BYTES = (n: number): string => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`);
const FILE_START: Span = { offset: 0, line: 1, column: 1, length: 1 };

class Session {
  readonly sink: DiagnosticSink;
  readonly limits: AriadneLimits;
  readonly cwd: string;
  readonly host: AriadneHost;
  readonly modules = new Map<string, Module>();
  private readonly stack: string[] = [];
  private limitReported = false;

  constructor(o: AriadneOptions) {
    this.limits = { ...DEFAULT_ARIADNE_LIMITS, ...o.limits };
    this.sink = new DiagnosticSink(this.limits.maxDiagnostics);
    this.cwd = path.resolve(o.cwd ?? process.cwd());
    this.host = o.host ?? fileSystemHost;
  }

  display(abs: string): string {
    const rel = path.relative(this.cwd, abs);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
  }

  /** Reads a file's text, or reports why not (at `at` in `from`, or at the file's start). */
  private readText(abs: string, display: string, max: number, what: string, from?: { file: string; at: Span }): string | undefined {
    const where = from ?? { file: display, at: FILE_START };
    const r = this.host.read(abs, max);
    if ('missing' in r) {
      this.sink.add('error', where.file, where.at, from ? `cannot find ${display}` : 'no such file');
      return undefined;
    }
    if ('tooLarge' in r) {
      this.sink.add('error', where.file, where.at, `${from ? `${display} ` : ''}is ${BYTES(r.tooLarge)}, over the ${BYTES(max)} limit for ${what}`);
      return undefined;
    }
    if ('error' in r) {
      this.sink.add('error', where.file, where.at, `cannot read ${display}: ${r.error}`);
      return undefined;
    }
    if (r.bytes.includes(0)) {
      this.sink.add('error', where.file, where.at, `${from ? `${display} ` : ''}is not a text file (it holds NUL bytes): ${what} is UTF-8 text`);
      return undefined;
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(r.bytes);
    } catch {
      this.sink.add('error', where.file, where.at, `${from ? `${display} ` : ''}is not UTF-8 text: ${what} is UTF-8 text`);
      return undefined;
    }
  }

  /** Loads (once) and compiles a module and, depth first, what it imports. */
  load(abs: string, text?: string, from?: { file: string; at: Span }): Module | undefined {
    const known = this.modules.get(abs);
    if (known) return known;
    if (this.modules.size >= this.limits.maxFiles) {
      if (!this.limitReported && from) this.sink.add('error', from.file, from.at, `more than ${this.limits.maxFiles} files in one compilation (the limit); not reading further imports`);
      this.limitReported = true;
      return undefined;
    }
    const display = this.display(abs);
    const m: Module = { abs, display, imports: [] };
    this.modules.set(abs, m);
    m.text = text ?? this.readText(abs, display, this.limits.maxFileBytes, 'an .ariadne file', from);
    if (m.text === undefined) return m;
    if (m.text.length > this.limits.maxFileBytes) {
      this.sink.add('error', display, FILE_START, `is ${m.text.length} characters, over the ${BYTES(this.limits.maxFileBytes)} limit for an .ariadne file`);
      m.text = undefined;
      return m;
    }
    m.ast = parseFile(m.text, display, this.sink, this.limits.maxDepth);
    const reader = new Reader(this.sink, display);
    const dir = path.dirname(abs);
    m.compiled = compileFile(m.ast, {
      file: display,
      reader,
      loadJson: (p, at) => this.loadJson(path.resolve(dir, p), display, at),
    });
    this.stack.push(abs);
    for (const decl of m.ast.imports) m.imports.push({ decl, module: this.resolveImport(m, decl) });
    this.stack.pop();
    return m;
  }

  private resolveImport(m: Module, decl: ImportDecl): Module | undefined {
    const target = path.join(path.dirname(m.abs), ...decl.path) + '.ariadne';
    const name = decl.path.join('.');
    const at = { file: m.display, at: decl.pathSpan };
    const cycleAt = this.stack.indexOf(target);
    if (cycleAt >= 0) {
      const chain = [...this.stack.slice(cycleAt), target].map((a) => path.basename(a)).join(' → ');
      this.sink.add('error', m.display, decl.pathSpan, `import cycle: ${chain} (a module cannot import itself, directly or through others)`);
      return undefined;
    }
    // A read with a 0-byte limit answers "is it there" without reading it.
    if (!this.modules.has(target) && 'missing' in this.host.read(target, 0)) {
      if (decl.path[0] === 'std') {
        this.sink.add('warning', m.display, decl.pathSpan, `import ${name} has no effect: the upstream standard library has no counterpart here (Ananke's parts need no import)`);
      } else {
        this.sink.add('error', m.display, decl.pathSpan, `cannot find module ${name}: no file ${this.display(target)} (imports are resolved next to the importing file: a.b → a/b.ariadne)`);
      }
      return undefined;
    }
    const imported = this.load(target, undefined, at);
    if (imported?.compiled && decl.names) {
      for (const n of decl.names) {
        if (!imported.compiled.declared.has(n.name) && !imported.compiled.groups.has(n.name)) {
          const known = [...imported.compiled.declared, ...imported.compiled.groups.keys()];
          this.sink.add('error', m.display, n.span, `module ${name} has no constraint or group named ${n.name}${known.length ? ` (it has ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''})` : ''}`);
        }
      }
    }
    return imported;
  }

  private loadJson(abs: string, file: string, at: Span): unknown {
    const text = this.readText(abs, this.display(abs), this.limits.maxSchemaBytes, 'a JSON Schema file', { file, at });
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      this.sink.add('error', file, at, `${this.display(abs)} is not JSON: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** What a module contributes when imported whole: its constraints, then what it imports. */
  contributions(m: Module, seen = new Set<Module>()): { module: Module; cc: CompiledConstraint }[] {
    if (seen.has(m) || !m.compiled) return [];
    seen.add(m);
    const out = m.compiled.constraints.map((cc) => ({ module: m, cc }));
    for (const imp of m.imports) {
      const compiled = imp.module?.compiled;
      if (!compiled) continue;
      if (!imp.decl.names) {
        out.push(...this.contributions(imp.module!, seen));
        continue;
      }
      for (const n of imp.decl.names) {
        const names = new Set(compiled.groups.get(n.name) ?? [n.name]);
        for (const cc of compiled.constraints) if (names.has(cc.name)) out.push({ module: imp.module!, cc });
      }
    }
    return out;
  }

  result(entries: Module[]): AriadneResult {
    const constraints: Constraint[] = [];
    const taken = new Set<CompiledConstraint>();
    const ids = new Map<string, { file: string; line: number }>();
    for (const e of entries) {
      for (const { module, cc } of this.contributions(e)) {
        if (taken.has(cc)) continue;
        taken.add(cc);
        const first = ids.get(cc.constraint.id);
        if (first) {
          this.sink.add('error', module.display, cc.decl.nameSpan, `duplicate id ${cc.constraint.id}: ${first.file}:${first.line} has it already (ids are unique; set one with id: "…")`);
          continue;
        }
        ids.set(cc.constraint.id, { file: module.display, line: cc.decl.span.line });
        constraints.push(cc.constraint);
      }
    }
    // In file order, then by position: imports are resolved after a file is compiled, and their
    // diagnostics belong where they are in the text.
    const order = new Map([...this.modules.values()].map((m, i) => [m.display, i]));
    const diagnostics = this.sink.list.slice().sort((a, b) =>
      (order.get(a.file) ?? -1) - (order.get(b.file) ?? -1) || a.line - b.line || a.column - b.column);
    const files: AriadneFileResult[] = [...this.modules.values()].map((m) => {
      const f: AriadneFileResult = {
        path: m.display,
        constraints: m.compiled?.constraints.map((c) => c.constraint) ?? [],
        diagnostics: diagnostics.filter((d) => d.file === m.display),
      };
      if (m.text !== undefined) f.text = m.text;
      return f;
    });
    return {
      constraints, diagnostics, files,
      errors: this.sink.errors,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      suppressed: this.sink.suppressed,
    };
  }
}

/** Compiles `.ariadne` files (and what they import) into constraints, with every diagnostic. */
export function compileAriadne(paths: string | readonly string[], options: AriadneOptions = {}): AriadneResult {
  const s = new Session(options);
  const entries: Module[] = [];
  for (const p of typeof paths === 'string' ? [paths] : paths) {
    const m = s.load(path.resolve(s.cwd, p));
    if (m) entries.push(m);
  }
  return s.result(entries);
}

/** Compiles Ariadne text held in memory; imports resolve next to `file` (default `input.ariadne` in `cwd`). */
export function compileAriadneSource(text: string, options: AriadneOptions & { file?: string } = {}): AriadneResult {
  const s = new Session(options);
  const m = s.load(path.resolve(s.cwd, options.file ?? 'input.ariadne'), text);
  return s.result(m ? [m] : []);
}
