/**
 * Constraints from the facts of a file set, one family per file: naming, error handling, async
 * style, imports and module boundaries, type discipline, security, test expectations.
 */
import type { CodeFacts, Constraint } from '../../core/index.ts';
import { beginDerivation, resolveOptions, type DeriveOptions } from './common.ts';
import { deriveNaming } from './naming.ts';
import { deriveErrorHandling } from './error-handling.ts';
import { deriveAsyncStyle } from './async-style.ts';
import { deriveImports } from './imports.ts';
import { deriveTypeDiscipline } from './type-discipline.ts';
import { deriveSecurity } from './security.ts';
import { deriveTests } from './tests.ts';

export type { DeriveOptions } from './common.ts';
export { styleBits, stylesOf, dominantStyle, styleCore } from './naming-style.ts';
export { moduleOf, classifyImport } from './imports.ts';
export { resolveSubject } from './tests.ts';

export interface DeriveResult {
  constraints: Constraint[];
  /** Test expectations beyond `maxTestExpectations`, counted but not emitted. */
  droppedTestExpectations: number;
}

/** Every constraint family, filtered by `minConfidence`, in a stable order. */
export function deriveConstraintsDetailed(facts: CodeFacts, opts: DeriveOptions = {}): DeriveResult {
  const o = resolveOptions(opts);
  beginDerivation();
  const tests = deriveTests(facts, o);
  const all = [
    ...deriveNaming(facts, o),
    ...deriveErrorHandling(facts, o),
    ...deriveAsyncStyle(facts, o),
    ...deriveImports(facts, o),
    ...deriveTypeDiscipline(facts, o),
    ...deriveSecurity(facts),
    ...tests.constraints,
  ];
  return { constraints: all.filter((c) => c.confidence >= o.minConfidence), droppedTestExpectations: tests.dropped };
}

export function deriveConstraints(facts: CodeFacts, opts: DeriveOptions = {}): Constraint[] {
  return deriveConstraintsDetailed(facts, opts).constraints;
}
