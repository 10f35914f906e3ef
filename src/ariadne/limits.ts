/**
 * The explicit bounds of Ariadne's work: no input, however big, deep or broken, makes it read
 * without end, recurse without end or report without end.
 */

export interface AriadneLimits {
  /** Largest `.ariadne` file read (bytes). Constraint files are small; a bigger one is a mistake. */
  maxFileBytes: number;
  /** Largest JSON Schema file a `json_schema: "file.json"` field reads (bytes). */
  maxSchemaBytes: number;
  /** Most files one compilation reads, imports included. */
  maxFiles: number;
  /** Most diagnostics kept; later ones are only counted (`suppressed`). */
  maxDiagnostics: number;
  /** Deepest nesting of lists, objects and variant arguments in a value. */
  maxDepth: number;
}

export const DEFAULT_ARIADNE_LIMITS: Readonly<AriadneLimits> = {
  maxFileBytes: 1024 * 1024,
  maxSchemaBytes: 8 * 1024 * 1024,
  maxFiles: 1000,
  maxDiagnostics: 200,
  maxDepth: 64,
};
