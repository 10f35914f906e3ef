/**
 * What a server does once at startup, before its first request: prepare the vocabulary and run the
 * engine over a synthetic tool-calling workload (tool-schemas.ts), compiling each schema and
 * computing a mask per token of its document. Two things stay behind: V8's optimized code for the
 * engine's hot paths (a fresh process runs its first few thousand masks in slower tiers: about
 * twice the median and four times the 99th percentile on short function-calling outputs), and the
 * process-wide walks of lexer states every JSON schema shares (docs/engine-optimizations.md §16).
 * Nothing a later grammar answers depends on it: masks are the same with or without it.
 */
import { compile, type CompiledGrammar } from '../matcher/compiled.ts';
import { compileJsonSchema } from '../schema/index.ts';
import { prepareTokenizer } from '../trie/string-slices.ts';
import { withLimits, type Limits } from '../limits.ts';
import type { Grammar } from '../grammar/ir.ts';
import type { Tokenizer } from '../tokenizer/types.ts';
import { toolSchemaCases } from './tool-schemas.ts';
import { walkText } from './walk-text.ts';

/** Schemas in the default warm-up: about 3,000 masks, 0.3–0.6 s on a 2-core machine. */
export const DEFAULT_WARM_UP_SCHEMAS = 80;

export interface WarmUpOptions {
  /** How many synthetic schemas (default DEFAULT_WARM_UP_SCHEMAS; 0 prepares the vocabulary only). */
  schemas?: number;
  /** Seed of the synthetic workload (default 1). */
  seed?: number;
  limits?: Partial<Limits>;
  /** How a schema becomes a grammar (default: compileJsonSchema, then compile, under `limits`). */
  compile?: (schema: unknown) => CompiledGrammar;
}

export interface WarmUpReport {
  /** Wall time of the whole warm-up, vocabulary preparation included. */
  ms: number;
  schemas: number;
  masks: number;
  /**
   * Schemas not compiled and documents whose walk stopped at a refused token (0 unless the workload
   * and the engine disagree; a warm-up never fails).
   */
  refused: number;
}

export function warmUp(tokenizer: Tokenizer, opts: WarmUpOptions = {}): WarmUpReport {
  const started = performance.now();
  prepareTokenizer(tokenizer);
  const limits = withLimits(opts.limits);
  const cases = toolSchemaCases(opts.schemas ?? DEFAULT_WARM_UP_SCHEMAS, opts.seed ?? 1);
  const toGrammar = opts.compile ?? ((schema: unknown) => compile(compileJsonSchema(schema, { limits }) as Grammar, tokenizer, limits));
  let masks = 0;
  let refused = 0;
  for (const c of cases) {
    let cg: CompiledGrammar;
    try {
      cg = toGrammar(c.schema);
    } catch {
      refused++;
      continue;
    }
    const w = walkText(cg, c.document, new Uint32Array(cg.maskWords));
    masks += w.masks;
    if (w.refused) refused++;
  }
  return { ms: performance.now() - started, schemas: cases.length, masks, refused };
}
