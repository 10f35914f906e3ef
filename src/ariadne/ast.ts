/**
 * The syntax tree of one `.ariadne` file, as the parser builds it (docs/ariadne.md, "Grammar").
 * Every node keeps the span it was read from, so compile-time diagnostics point at the source.
 */
import type { Span } from './diagnostics.ts';

export type Value =
  | { kind: 'string'; value: string; triple: boolean; span: Span }
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'null'; span: Span }
  | { kind: 'list'; items: Value[]; span: Span }
  | { kind: 'object'; entries: Entry[]; span: Span }
  /** `.Variant` or `.Variant(value)`. */
  | { kind: 'enum'; name: string; arg?: Value; span: Span }
  /** A bare identifier or dotted path: `eval`, `os.system`. */
  | { kind: 'path'; parts: string[]; span: Span }
  /** `query(lang) { … }`: a tree-sitter query, kept as text. */
  | { kind: 'query'; language: string; text: string; span: Span }
  /** `fn name(params) -> type` (also `async fn …`): params and return type kept as text. */
  | { kind: 'fn'; name?: string; params: string[]; returns?: string; async: boolean; span: Span }
  /** A value that could not be parsed (already reported). */
  | { kind: 'error'; span: Span };

/** `key: value`, in a constraint block or an object. */
export interface Entry {
  key: string;
  keySpan: Span;
  value: Value;
}

export interface ModuleDecl {
  path: string[];
  span: Span;
}

export interface ImportDecl {
  path: string[];
  /** `import a.b.{x, y}`: only these names. */
  names?: { name: string; span: Span }[];
  span: Span;
  /** The span of the path, for "cannot find module" diagnostics. */
  pathSpan: Span;
}

export interface ConstraintDecl {
  name: string;
  nameSpan: Span;
  /** The `constraint` keyword: the constraint's provenance. */
  span: Span;
  fields: Entry[];
  /** The parser reported an error inside the block (so a missing rule is no news). */
  broken?: boolean;
}

/** `pub const name = value`. A list of constraint names is a group that can be imported by name. */
export interface ConstDecl {
  name: string;
  span: Span;
  value: Value;
}

/** `pub fn name(…) … { … }`: parsed only to be skipped (with a warning). */
export interface FnDecl {
  name: string;
  span: Span;
}

export interface AriadneFile {
  file: string;
  module?: ModuleDecl;
  imports: ImportDecl[];
  constraints: ConstraintDecl[];
  consts: ConstDecl[];
  fns: FnDecl[];
}

/** A span for values built in memory (the printer). */
export const NO_SPAN: Span = { offset: 0, line: 0, column: 0, length: 0 };
