/** Shared helpers of the Ariadne tests: compile text against files held in memory. */
import path from 'node:path';
import {
  compileAriadne, compileAriadneSource, formatDiagnostic, type AriadneHost, type AriadneLimits, type AriadneResult, type Diagnostic,
} from '../../src/ariadne/index.ts';

export const MEM_ROOT = path.resolve('/mem-ariadne');

/** A host serving `files` (paths relative to MEM_ROOT) from memory. */
export function memoryHost(files: Record<string, string | Uint8Array>): AriadneHost {
  const byPath = new Map(Object.entries(files).map(([p, t]) => [path.join(MEM_ROOT, p), typeof t === 'string' ? new TextEncoder().encode(t) : t]));
  return {
    read(abs, max) {
      const b = byPath.get(abs);
      if (!b) return { missing: true };
      return b.length > max ? { tooLarge: b.length } : { bytes: b };
    },
  };
}

/** Compiles `main.ariadne` (the text) with `others` beside it. */
export function compile(text: string, others: Record<string, string | Uint8Array> = {}, limits?: Partial<AriadneLimits>): AriadneResult {
  return compileAriadneSource(text, { file: 'main.ariadne', cwd: MEM_ROOT, host: memoryHost(others), limits });
}

/** Compiles files held in memory, `entries` first. */
export function compileFiles(entries: string[], files: Record<string, string | Uint8Array>, limits?: Partial<AriadneLimits>): AriadneResult {
  return compileAriadne(entries, { cwd: MEM_ROOT, host: memoryHost(files), limits });
}

/** `line:col severity: message`, one per diagnostic, for compact assertions. */
export function brief(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `${d.line}:${d.column} ${d.severity}: ${d.message}`);
}

/** The diagnostics, formatted as the CLI prints them (for assertion messages). */
export function shown(r: AriadneResult): string {
  const texts = new Map(r.files.map((f) => [f.path, f.text]));
  return r.diagnostics.map((d) => formatDiagnostic(d, texts.get(d.file))).join('\n');
}

/** Compiles text that must have no diagnostics at all, and returns its constraints. */
export function clean(text: string, others: Record<string, string> = {}): AriadneResult['constraints'] {
  const r = compile(text, others);
  if (r.diagnostics.length > 0) throw new Error(`unexpected diagnostics:\n${shown(r)}`);
  return r.constraints;
}
