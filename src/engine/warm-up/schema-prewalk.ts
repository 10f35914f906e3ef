/**
 * The compile-time prewalk of a JSON Schema's grammar: a likely document (schema-document.ts)
 * walked through the freshly compiled grammar, so the masks of a short output find their lexer
 * states' walks, parser contexts and full masks already made (docs/engine-optimizations.md §37).
 *
 * It moves work from the masks to the compile: a grammar is compiled while the model reads the
 * prompt (prefill), but each mask sits on a decoding step. Nothing a mask answers depends on it.
 */
import type { CompiledGrammar } from '../matcher/compiled.ts';
import { schemaDocuments } from './schema-document.ts';
import { walkText } from './walk-text.ts';

/** The default bounds: a document of tool-call size, and the time the walk may take. */
export const PREWALK_MAX_CHARS = 1_000;
export const PREWALK_BUDGET_MS = 2;

export interface PrewalkReport {
  /** Masks computed (0 when the schema's document is over the bound). */
  masks: number;
  /** A walk stopped at a token the grammar refused (a document was not valid for it). */
  refused: boolean;
}

export function prewalkSchema(grammar: CompiledGrammar, schema: unknown, opts: { maxChars?: number; budgetMs?: number } = {}): PrewalkReport {
  const report: PrewalkReport = { masks: 0, refused: false };
  const deadline = performance.now() + (opts.budgetMs ?? PREWALK_BUDGET_MS);
  const bits = new Uint32Array(grammar.maskWords);
  for (const text of schemaDocuments(schema, opts.maxChars ?? PREWALK_MAX_CHARS)) {
    if (performance.now() >= deadline) break;
    const w = walkText(grammar, text, bits, deadline);
    report.masks += w.masks;
    report.refused ||= w.refused;
  }
  return report;
}
