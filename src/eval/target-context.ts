/**
 * A generation target resolved against its file: the language, the function (with Clew), the fixed
 * text around the generated part, and where a candidate goes back into the file for the
 * post-generation checks. Shared by `compile`, `generate` and `eval` (here, the lowest part that
 * may import both Clew and Braid).
 */
import { AnankeError, describeRule, readTextFile, type Constraint, type ConstraintIR, type FileFacts, type Language, type Target } from '../core/index.ts';
import { detectLanguage, locateFunction, runPostChecks, typedPositionAt, type PostCheckResult } from '../clew/index.ts';
import type { TargetContext } from '../braid/index.ts';
import { codebaseIndent, indentUnder, sourceIndent } from './source-indent.ts';

/** Source files bigger than this are not read as targets (a target file is code a person edits). */
const MAX_TARGET_BYTES = 4 * 1024 * 1024;

function readTarget(file: string): string {
  return readTextFile(file, 'target file', { maxBytes: MAX_TARGET_BYTES, strictUtf8: true });
}


export interface ResolvedTarget {
  ctx: TargetContext;
  /** The file's text, and the offsets of the part a candidate replaces (for post-checks). */
  source?: string;
  start?: number;
  end?: number;
  /** The text a candidate must be for the real file's own code (function/body targets). */
  original?: string;
  /** Constraints the target itself brings: the expected type of a typed fim hole. */
  derived: Constraint[];
}

function languageOf(file: string, source: string): Language {
  const lang = detectLanguage(file, source.slice(0, 200));
  if (!lang) throw new AnankeError('UNSUPPORTED', `cannot tell the language of ${file} from its name`, { file });
  return lang === 'tsx' ? 'typescript' : lang;
}

/** UTF-16 offset of a 1-based line and column (columns count characters). */
function offsetOf(source: string, line: number, column: number, file: string): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = source.indexOf('\n', at);
    if (nl < 0) throw new AnankeError('USAGE', `${file} has no line ${line}`, { file });
    at = nl + 1;
  }
  const eol = source.indexOf('\n', at);
  const lineEnd = eol < 0 ? source.length : eol;
  if (at + column - 1 > lineEnd + 1) throw new AnankeError('USAGE', `${file}:${line} has no column ${column}`, { file, line });
  return at + column - 1;
}

export async function resolveTarget(target: Target): Promise<ResolvedTarget> {
  switch (target.kind) {
    case 'module':
      return { ctx: { target, language: target.language === 'tsx' ? 'typescript' : target.language }, derived: [] };
    case 'json': {
      const text = readTarget(target.schemaFile);
      let schema: unknown;
      try {
        schema = JSON.parse(text);
      } catch (e) {
        throw new AnankeError('PARSE', `schema file is not JSON: ${target.schemaFile}: ${(e as Error).message}`, { file: target.schemaFile });
      }
      return { ctx: { target, language: 'json', schema }, derived: [] };
    }
    case 'function':
    case 'body': {
      const source = readTarget(target.file);
      const language = languageOf(target.file, source);
      const fn = await locateFunction(language, source, target.name, target.file);
      const info = { name: fn.name, async: fn.async, kind: fn.kind };
      // Python: where the function sits, for a server's grammar (ConstraintIR.indent).
      const indent = language === 'python' ? { indent: sourceIndent(source, fn.start) } : {};
      if (target.kind === 'function') {
        return { ctx: { target, language, fn: info, head: source.slice(fn.start, fn.bodyStart), ...indent }, source, start: fn.start, end: fn.end, original: source.slice(fn.start, fn.end), derived: [] };
      }
      return { ctx: { target, language, fn: info, ...indent }, source, start: fn.bodyStart, end: fn.bodyEnd, original: source.slice(fn.bodyStart, fn.bodyEnd), derived: [] };
    }
    case 'new': {
      const source = readTarget(target.file);
      const language = languageOf(target.file, source);
      const at = offsetOf(source, target.line, 1, target.file);
      const head = target.signature.endsWith(' ') || language === 'python' ? target.signature : `${target.signature} `;
      // Python: the new function sits where its signature's own leading whitespace puts it.
      const indent = language === 'python' ? { indent: indentUnder(source, head) } : {};
      return { ctx: { target, language, head, fn: { name: '', async: /\basync\b/.test(head), kind: 'function' }, ...indent }, source, start: at, end: at, derived: [] };
    }
    case 'fim': {
      const source = readTarget(target.file);
      const language = languageOf(target.file, source);
      const start = offsetOf(source, target.start.line, target.start.column, target.file);
      const end = offsetOf(source, target.end.line, target.end.column, target.file);
      const ctx: TargetContext = { target, language, prefix: source.slice(0, start), suffix: source.slice(end) };
      const derived: Constraint[] = [];
      // A hole in a typed position (an annotated initializer, an argument, a return value): its type.
      const typed = language === 'typescript' || language === 'python' ? await typedPositionAt(language, source, start, end) : undefined;
      if (typed) {
        ctx.typed = typed;
        const rule = { type: 'expected_type' as const, expected: typed.expected, bindings: typed.bindings.map((b) => ({ name: b.name, ...(b.type !== undefined ? { type: b.type } : {}) })) };
        derived.push({
          id: `target.expected_type`, kind: 'type_safety', severity: 'error', priority: 100, confidence: 1, source: 'type_system',
          provenance: { file: target.file, line: target.start.line, column: target.start.column }, rule, description: describeRule(rule),
        });
      }
      return { ctx, source, start, end, original: source.slice(start, end), derived };
    }
  }
}

/**
 * A Python module target compiled with a context takes the codebase's indentation step
 * (ConstraintIR.indent, source-indent.ts codebaseIndent): a server's grammar then expands one unit,
 * not three. Other targets are returned as they are.
 */
export function withCodebaseIndent(resolved: ResolvedTarget, files: readonly Pick<FileFacts, 'language' | 'signals'>[]): ResolvedTarget {
  const ctx = resolved.ctx;
  if (ctx.target.kind !== 'module' || ctx.language !== 'python' || ctx.indent !== undefined) return resolved;
  const indent = codebaseIndent(files);
  return indent === undefined ? resolved : { ...resolved, ctx: { ...ctx, indent } };
}

/**
 * The file's text with `code` in place of the target's range, and where the code starts in it
 * (the code alone for module and JSON targets).
 */
export function candidateSource(resolved: ResolvedTarget, code: string): { source: string; start: number } {
  if (resolved.source === undefined || resolved.start === undefined || resolved.end === undefined) return { source: code, start: 0 };
  return { source: resolved.source.slice(0, resolved.start) + code + resolved.source.slice(resolved.end), start: resolved.start };
}

/**
 * The IR's post-generation checks on `code` put back in its file (the target's range replaced;
 * the code alone for module targets), and the file line the code starts on. None for JSON.
 */
export async function postCheckInFile(ir: ConstraintIR, resolved: ResolvedTarget, code: string): Promise<{ results: PostCheckResult[]; firstLine: number }> {
  if (ir.language === 'json') return { results: [], firstLine: 1 };
  const { source, start } = candidateSource(resolved, code);
  const results = await runPostChecks(ir.postChecks, ir.constraints, { source, language: ir.language, start, end: start + code.length });
  return { results, firstLine: source.slice(0, start).split('\n').length };
}
