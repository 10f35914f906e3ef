import type { Language } from './language.ts';
import type { IdentifierKind, SecurityFinding } from './constraint.ts';

/** Lines are 1-based, columns are 1-based (editor convention). */
export interface Span {
  line: number;
  column: number;
  endLine?: number;
}

export interface ParamFact {
  name: string;
  /** The annotation as written, without the leading `:` (e.g. `string | null`). */
  type?: string;
  optional?: boolean;
  /** The default value's source text, when there is one. */
  default?: string;
  /** `...rest`, `*args`, `**kwargs`, `args ...T`, varargs. */
  variadic?: boolean;
}

export type Visibility = 'public' | 'private' | 'protected' | 'internal' | 'package';

/** One overload signature of a function (TypeScript `function f(a: A): R;` above its implementation). */
export interface OverloadFact {
  params: ParamFact[];
  returnType?: string;
  typeParams?: string[];
  line: number;
}

export interface FunctionFact extends Span {
  name: string;
  kind: 'function' | 'method' | 'constructor';
  params: ParamFact[];
  returnType?: string;
  async: boolean;
  generator: boolean;
  exported: boolean;
  visibility?: Visibility;
  static?: boolean;
  decorators: string[];
  typeParams?: string[];
  /** Enclosing class / impl / module / namespace, dotted when nested (`Outer.Inner`). */
  container?: string;
  doc?: string;
  /**
   * The overload signatures written for this function, in source order: the ones above its
   * implementation, or, for a group of bodyless declarations (`declare function`, interface and
   * `.d.ts` methods), the ones after the first. Absent when there are none.
   */
  overloads?: OverloadFact[];
}

export interface FieldFact {
  name: string;
  type?: string;
  line: number;
}

export type TypeKind =
  | 'class' | 'interface' | 'struct' | 'enum' | 'trait' | 'type_alias' | 'union'
  | 'protocol' | 'record' | 'object' | 'module' | 'impl';

export interface TypeFact extends Span {
  name: string;
  kind: TypeKind;
  fields: FieldFact[];
  /** Method signatures declared in the body (also listed in FileFacts.functions). */
  methods: string[];
  typeParams: string[];
  /** Superclasses, implemented interfaces, embedded structs, trait bounds. */
  bases: string[];
  exported: boolean;
  /** For type aliases: the aliased type's text. */
  aliasOf?: string;
  /** For enums: the member names. */
  members?: string[];
  container?: string;
  doc?: string;
}

export interface ImportFact {
  module: string;
  /** Imported names; `alias` when renamed (`import { a as b }`, `from x import a as b`). */
  names: { name: string; alias?: string }[];
  /** Namespace / module alias (`import * as ns`, `import numpy as np`). */
  alias?: string;
  wildcard: boolean;
  /** `import type`, `use` in Rust is false. */
  typeOnly?: boolean;
  line: number;
}

export interface ExportFact {
  name: string;
  kind: 'function' | 'type' | 'variable' | 'reexport' | 'default' | 'module';
  /** For re-exports: the module re-exported from. */
  from?: string;
  line: number;
}

export interface BindingFact {
  name: string;
  type?: string;
  kind: 'parameter' | 'local' | 'module' | 'import' | 'field';
}

/** The names visible inside one function, for type constraints on code written there. */
export interface ScopeFact {
  /** Qualified function name (`Class.method`). */
  function: string;
  line: number;
  bindings: BindingFact[];
}

export type HoleKind = 'todo' | 'fixme' | 'unimplemented' | 'not_implemented' | 'placeholder';

/** A place meant to be filled in: a generation target. */
export interface HoleFact extends Span {
  kind: HoleKind;
  /** The marker's text (`TODO: handle retries`, `unimplemented!()`). */
  text: string;
  /** The signature of the enclosing function, when the hole is inside one. */
  enclosing?: { name: string; signature: string; line: number };
}

/** A declared identifier, for naming conventions (functions and types are counted from their facts). */
export interface IdentifierFact {
  name: string;
  kind: IdentifierKind;
  line: number;
}

export interface SecurityFact extends Span {
  finding: SecurityFinding;
  /** What was seen, e.g. `eval(userInput)` or `subprocess.run(..., shell=True)`. */
  detail: string;
}

export interface TestFact {
  framework: 'jest' | 'vitest' | 'mocha' | 'node:test' | 'pytest' | 'unittest' | 'go' | 'rust' | 'junit' | 'other';
  /** The assertion's source text, trimmed. */
  assertion: string;
  /** The function under test, when it could be resolved (the callee inside the assertion). */
  subject?: string;
  /** The enclosing test's name (`it('adds')`, `test_add`, `TestAdd`). */
  test?: string;
  line: number;
}

/**
 * Counts of style signals in a file: how errors are handled, how async code is written, how
 * types are used. Keys are documented in src/clew/signals.ts. Constraints are derived from the
 * sums over a file set.
 */
export type StyleSignals = Record<string, number>;

export interface ParseDiagnostic extends Span {
  message: string;
}

export interface FileFacts {
  path: string;
  language: Language;
  lines: number;
  bytes: number;
  functions: FunctionFact[];
  types: TypeFact[];
  imports: ImportFact[];
  exports: ExportFact[];
  scopes: ScopeFact[];
  holes: HoleFact[];
  identifiers: IdentifierFact[];
  security: SecurityFact[];
  tests: TestFact[];
  signals: StyleSignals;
  /** Syntax errors tree-sitter recovered from; the facts above are what could be recovered. */
  diagnostics: ParseDiagnostic[];
}

export interface SkippedFile {
  path: string;
  reason: 'binary' | 'minified' | 'vendored' | 'too_large' | 'unreadable' | 'unknown_language' | 'ignored';
  detail?: string;
}

/** The facts of a file set. */
export interface CodeFacts {
  root: string;
  files: FileFacts[];
  skipped: SkippedFile[];
}
