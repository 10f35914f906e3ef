/**
 * `import … from 'ananke'`: the library as one module. Each part is also its own entry point
 * (`ananke/core`, `ananke/engine`, `ananke/clew`, `ananke/braid`, `ananke/ariadne`, `ananke/eval`), for users who want only one; the
 * engine entry loads no tree-sitter and no Clew.
 */
export * from './core/index.ts';
export * from './engine/index.ts';
export * from './clew/index.ts';
export * from './braid/index.ts';
export * from './maze/index.ts';
// Ariadne's own Span (a source range in a .ariadne file) stays under `ananke/ariadne`.
export { compileAriadne, compileAriadneSource, compileAriadneFiles, printAriadne, parseAriadne, formatDiagnostic, type AriadneResult, type Diagnostic } from './ariadne/index.ts';
