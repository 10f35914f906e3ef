import type { Grammar } from './grammar/ir.ts';
import { GrammarSampler, type SamplerOptions } from './grammar/sample.ts';
import { withLimits } from './limits.ts';
import { byteTokenizer } from './matcher/byte-tokenizer.ts';
import { compile } from './matcher/compiled.ts';

/**
 * Sampling with verification: every text returned is one `compile(grammar, byteTokenizer()).check`
 * accepts. The generator (grammar/sample.ts) cannot import the matcher itself (matcher/ imports
 * grammar/, and two folders of a part never import each other), so the verified entry points live
 * here, in the engine's root.
 */
export interface SampleGrammarOptions extends Omit<SamplerOptions, 'accepts'> {
  /** Seed of the first sample; sample i of a batch uses seed + i, so any one reproduces alone. */
  seed: number;
}

/** A sampler whose samples the compiled grammar (byte vocabulary) has accepted. */
export function grammarSampler(grammar: Grammar, opts: Omit<SamplerOptions, 'accepts'> = {}): GrammarSampler {
  const compiled = compile(grammar, byteTokenizer(), withLimits(opts.limits));
  return new GrammarSampler(grammar, { ...opts, accepts: (text) => compiled.check(text).accepted });
}

/** One random text the grammar accepts; the same seed gives the same text. */
export function sampleGrammar(grammar: Grammar, opts: SampleGrammarOptions): string {
  return grammarSampler(grammar, opts).sample(opts.seed).text;
}

/** `n` random texts (seeds `seed`, `seed + 1`, …), compiling the grammar once. */
export function* sampleGrammarTexts(grammar: Grammar, opts: SampleGrammarOptions & { n: number }): Generator<string> {
  const sampler = grammarSampler(grammar, opts);
  for (let i = 0; i < opts.n; i++) yield sampler.sample(opts.seed + i).text;
}
