/**
 * What Maze needs from a model that decodes in this process: its vocabulary as an engine Tokenizer
 * (the same ids), and a generation loop that asks Maze before every step which tokens are allowed
 * (local-model.ts implements it with node-llama-cpp).
 */
import type { Tokenizer } from '../engine/index.ts';

/** Maze's answer before a step: the allowed tokens, or tokens to append without sampling. */
export interface StepDecision {
  /** Bit i of word i>>5: token i allowed; null: anything. */
  mask: Uint32Array | null;
  /** Whether an end-of-sequence token may be sampled now. */
  eosAllowed: boolean;
  /** Tokens that are the only way on: appended as they are, without asking the model. */
  forced?: readonly number[];
}

export type StopReason = 'eos' | 'max_tokens' | 'aborted' | 'no_allowed_token' | 'forced_end';

export interface StepGeneration {
  tokens: number[];
  stop: StopReason;
  /** Per sampled token: the model's own step time, and the time to hand the mask to the runtime. */
  modelMsPerToken: number[];
  biasMsPerToken: number[];
}

export interface StepGenerateOptions {
  maxTokens: number;
  seed?: number;
  temperature?: number;
  topP?: number;
  signal?: AbortSignal;
  step: (generated: readonly number[]) => StepDecision;
  onToken?: (id: number) => void;
}

export interface StepModel {
  readonly name: string;
  readonly tokenizer: Tokenizer;
  /** Ananke's random-weight test model: its text is meaningless, its tokens are real. */
  readonly isTestModel: boolean;
  generate(prompt: string, opts: StepGenerateOptions): Promise<StepGeneration>;
}
