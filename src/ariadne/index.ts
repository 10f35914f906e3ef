/**
 * Ariadne, the constraint language: `.ariadne` files → Constraint[] (the same type Clew produces),
 * with diagnostics, and Constraint[] → `.ariadne` text. docs/ariadne.md is the language reference.
 */
import { compileAriadne, type AriadneOptions, type AriadneResult } from './loader.ts';

export { compileAriadne, compileAriadneSource, fileSystemHost } from './loader.ts';
export type { AriadneFileResult, AriadneHost, AriadneOptions, AriadneResult, ReadResult } from './loader.ts';
export { DEFAULT_ARIADNE_LIMITS } from './limits.ts';
export type { AriadneLimits } from './limits.ts';
export { printAriadne, printValue, quote } from './printer.ts';
export type { PrintOptions } from './printer.ts';
export { formatDiagnostic, DiagnosticSink } from './diagnostics.ts';
export type { Diagnostic, DiagnosticSeverity, Span } from './diagnostics.ts';
export { parseAriadne } from './parser.ts';
export { tokenize } from './lexer.ts';
export type { Token, TokenKind } from './lexer.ts';
export type { AriadneFile, ConstDecl, ConstraintDecl, Entry, FnDecl, ImportDecl, ModuleDecl, Value } from './ast.ts';
export { RULE_CODECS, RULE_FIELDS } from './rules.ts';
export type { RuleCodec } from './rules.ts';
export { DEFAULT_KIND, DEFAULT_PRIORITY, DEFAULT_CONFIDENCE, COMMON_FIELDS, UPSTREAM_FIELDS } from './compile.ts';

/** `compileAriadne` for a list of files (the name src/cli/constraint-files.ts uses). */
export function compileAriadneFiles(paths: readonly string[], options: AriadneOptions = {}): AriadneResult {
  return compileAriadne(paths, options);
}
