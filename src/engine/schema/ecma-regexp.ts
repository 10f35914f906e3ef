/**
 * A schema pattern as a JS RegExp: with the `u` flag (JSON Schema's Unicode semantics), or, when
 * only the legacy syntax accepts it (identity escapes such as `\,` and `\-` outside classes, as
 * Python's re and most validators do), without it. null when neither compiles.
 */
export function ecmaRegExp(source: string): RegExp | null {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(source, flags);
    } catch {
      // try the next syntax
    }
  }
  return null;
}
