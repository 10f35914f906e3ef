/**
 * Generation without Ananke: the same model, prompt and sampling as a constrained sample, but every
 * step allows every token and the end at any time — the baseline `ananke eval` measures against.
 */
import type { StepDecision, StepModel, StopReason } from '../../maze/index.ts';

export interface FreeGeneration {
  text: string;
  stop: StopReason;
  tokens: number;
  /** Wall time of the generation. */
  ms: number;
  /** Ananke's share per sampled token (here only the runtime's hand-over of an empty bias). */
  anankeMsPerToken: number;
}

const FREE: StepDecision = { mask: null, eosAllowed: true };

export async function generateUnconstrained(
  model: StepModel, prompt: string,
  opts: { maxTokens: number; seed?: number; temperature?: number; topP?: number; signal?: AbortSignal },
): Promise<FreeGeneration> {
  const t0 = performance.now();
  const gen = await model.generate(prompt, { ...opts, step: () => FREE });
  const ms = performance.now() - t0;
  const eos = new Set(model.tokenizer.eosTokens);
  const ids = gen.tokens.filter((id) => !eos.has(id));
  const sampled = gen.biasMsPerToken.length;
  return {
    text: model.tokenizer.decode(ids), stop: gen.stop, tokens: ids.length, ms,
    anankeMsPerToken: sampled ? gen.biasMsPerToken.reduce((a, b) => a + b, 0) / sampled : 0,
  };
}
