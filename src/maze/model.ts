/**
 * What Maze needs from a model that decodes in this process: its vocabulary as an engine Tokenizer
 * (the same ids), and a generation loop that asks Maze before every step which tokens are allowed
 * (local-model.ts implements it with node-llama-cpp).
 */
import type { Tokenizer } from '../engine/index.ts';
import type { SoftBiasTable } from './soft-biases.ts';

/** Maze's answer before a step: the allowed tokens, or tokens to append without sampling. */
export interface StepDecision {
  /** Bit i of word i>>5: token i allowed; null: anything. */
  mask: Uint32Array | null;
  /** Whether an end-of-sequence token may be sampled now. */
  eosAllowed: boolean;
  /** Tokens that are the only way on: appended as they are, without asking the model. */
  forced?: readonly number[];
  /** The IR's soft biases for this tokenizer (soft-biases.ts): added to the allowed tokens' logits only. */
  softBias?: SoftBiasTable | null;
}

/**
 * A decision whose allowed tokens are worked out when the runtime is about to sample (`decide`), so
 * that Maze computes the mask while the model evaluates the tokens before the step (local-model.ts,
 * "Masks while the model evaluates"). Only a step that samples is deferred: forced tokens and stops
 * are known before, and `decide` returns neither. Called at most once.
 */
export interface DeferredDecision {
  readonly decide: () => StepDecision;
}

/** What `step` answers: a decision now, or one worked out while the model evaluates. */
export type StepAnswer = StepDecision | DeferredDecision;

/** The decision an answer stands for (a deferred one decided now), for callers that do not overlap. */
export function decided(answer: StepAnswer): StepDecision {
  return 'decide' in answer ? answer.decide() : answer;
}

/**
 * The answer with its decision made through `f`, which is given the way to make it: at once for a
 * decision made now, when the runtime asks for a deferred one. For wrappers of `step` that observe
 * or time decisions without undoing the deferral.
 */
export function throughDecision(answer: StepAnswer, f: (decide: () => StepDecision) => StepDecision): StepAnswer {
  return 'decide' in answer ? { decide: () => f(answer.decide) } : f(() => answer);
}

/**
 * Why a generation ended: an end token sampled (`eos`), the budget spent (`max_tokens`), cancelled
 * (`aborted`), nothing allowed (`no_allowed_token`), an end the grammar or the budget steering
 * forced (`forced_end`), or one of the request's stop strings appeared (`stop_string`: the text is
 * cut before it; orchestrator.ts).
 */
export type StopReason = 'eos' | 'max_tokens' | 'aborted' | 'no_allowed_token' | 'forced_end' | 'stop_string';

/**
 * Penalties on tokens already generated, as llama.cpp's penalties sampler applies them to the
 * logits (after the grammar's bias): `presence` is subtracted from every token generated at least
 * once, `frequency` × its count from each (OpenAI's definitions).
 */
export interface TokenPenalties {
  presence?: number;
  frequency?: number;
}

export interface StepGeneration {
  tokens: number[];
  stop: StopReason;
  /** Per sampled token: the model's own step time, and the time to hand the mask to the runtime. */
  modelMsPerToken: number[];
  biasMsPerToken: number[];
  /**
   * Sampled steps whose deferred decision was worked out while the model evaluated (the runtime
   * found it settled when it came to sample); absent for a model that does not overlap.
   */
  overlappedSteps?: number;
}

export interface StepGenerateOptions {
  maxTokens: number;
  seed?: number;
  temperature?: number;
  topP?: number;
  /** Top-k (0 = off; default the model's, DEFAULT_SAMPLING.topK for the local one). */
  topK?: number;
  penalties?: TokenPenalties;
  signal?: AbortSignal;
  step: (generated: readonly number[]) => StepAnswer;
  onToken?: (id: number) => void;
}

export interface StepModel {
  readonly name: string;
  readonly tokenizer: Tokenizer;
  /** Ananke's random-weight test model: its text is meaningless, its tokens are real. */
  readonly isTestModel: boolean;
  generate(prompt: string, opts: StepGenerateOptions): Promise<StepGeneration>;
}
