/**
 * The response bodies of each route: OpenAI's `text_completion`, `chat.completion` and their
 * streamed chunks (as vLLM, SGLang and llama.cpp return them), and the upstream Ananke
 * `POST /generate` answer, which carries both shapes its clients read (the Rust client's
 * `{ generated_text, tokens_generated, model, stats }` and the service's `generation_time_ms`,
 * `constraint_satisfied`, `model_name`, `finish_reason`, `metadata`). Every OpenAI-shaped answer
 * adds an `ananke` object: whether the engine read the output whole as a sentence of the grammar,
 * why generation stopped, and the costs.
 */
import { randomUUID } from 'node:crypto';
import type { GenerateResult, StopReason } from '../maze/index.ts';

/** One choice: its generation, and how long it waited for a sequence. */
export interface ChoiceOutcome {
  result: GenerateResult;
  queueMs: number;
}

export interface Outcome {
  /** One per choice (`n`), in order. */
  choices: ChoiceOutcome[];
  /** The request field the constraint came from (null: free text). */
  constraintField: string | null;
  promptTokens: number;
  compileMs: number;
  testModel: boolean;
}

export type FinishReason = 'stop' | 'length';

/**
 * OpenAI's finish reasons: the text ended (the grammar allowed the end, or nothing else, or a stop
 * string appeared), or max_tokens ran out.
 */
export function finishReason(stop: StopReason): FinishReason {
  return stop === 'max_tokens' ? 'length' : 'stop';
}

/** The `ananke` report of choice `i`. */
export function anankeReport(o: Outcome, i = 0): Record<string, unknown> {
  const c = o.choices[i]!;
  const s = c.result.stats;
  return {
    constraint: o.constraintField,
    grammar_accepted: c.result.grammarAccepted,
    truncated: c.result.truncated,
    stop: c.result.stop,
    ...(c.result.stopString !== undefined ? { stop_string: c.result.stopString } : {}),
    forced_tokens: s.forced,
    steered_tokens: s.steered ?? 0,
    mask_us: { p50: s.maskUs.p50, p99: s.maskUs.p99 },
    compile_ms: o.compileMs + s.grammarCompileMs,
    queue_ms: c.queueMs,
    generation_ms: s.totalMs,
    test_model: o.testModel,
  };
}

/** Token counts: the prompt once, the completion tokens of every choice (as OpenAI counts them). */
export function usage(o: Outcome): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  const completion = o.choices.reduce((a, c) => a + c.result.stats.tokens, 0);
  return { prompt_tokens: o.promptTokens, completion_tokens: completion, total_tokens: o.promptTokens + completion };
}

/**
 * The `ananke` reports where they go: one choice, the answer's own `ananke` (as before `n`); several,
 * each choice's in the choice, and none at the top (which choice would it describe?).
 */
function reports(o: Outcome): { top: Record<string, unknown>; perChoice: (i: number) => Record<string, unknown> } {
  if (o.choices.length === 1) return { top: { ananke: anankeReport(o, 0) }, perChoice: () => ({}) };
  return { top: {}, perChoice: (i) => ({ ananke: anankeReport(o, i) }) };
}

/** The id and creation time every chunk of one response shares. */
export class ResponseIds {
  readonly created = Math.floor(Date.now() / 1000);
  readonly id: string;
  constructor(prefix: 'cmpl' | 'chatcmpl' | 'gen') {
    this.id = `${prefix}-${randomUUID().replaceAll('-', '')}`;
  }
}

export function completionBody(ids: ResponseIds, model: string, o: Outcome): Record<string, unknown> {
  const r = reports(o);
  return {
    id: ids.id, object: 'text_completion', created: ids.created, model,
    choices: o.choices.map((c, index) => ({ index, text: c.result.text, logprobs: null, finish_reason: finishReason(c.result.stop), stop_reason: c.result.stopString ?? null, ...r.perChoice(index) })),
    usage: usage(o), ...r.top,
  };
}

export function chatBody(ids: ResponseIds, model: string, o: Outcome): Record<string, unknown> {
  const r = reports(o);
  return {
    id: ids.id, object: 'chat.completion', created: ids.created, model,
    choices: o.choices.map((c, index) => ({ index, message: { role: 'assistant', content: c.result.text }, logprobs: null, finish_reason: finishReason(c.result.stop), stop_reason: c.result.stopString ?? null, ...r.perChoice(index) })),
    usage: usage(o), ...r.top,
  };
}

/**
 * A streamed piece of choice `index` (default 0): `text` for completions, a `delta` for chat. The
 * `ananke` report rides on the chunk that ends a choice.
 */
export function chunk(route: 'completion' | 'chat', ids: ResponseIds, model: string, piece: { index?: number; text?: string; role?: 'assistant'; finish?: FinishReason; ananke?: Record<string, unknown> }): Record<string, unknown> {
  const finish_reason = piece.finish ?? null;
  const index = piece.index ?? 0;
  const choice = route === 'completion'
    ? { index, text: piece.text ?? '', logprobs: null, finish_reason }
    : { index, delta: { ...(piece.role ? { role: piece.role } : {}), ...(piece.text !== undefined ? { content: piece.text } : {}) }, logprobs: null, finish_reason };
  return {
    id: ids.id, object: route === 'completion' ? 'text_completion' : 'chat.completion.chunk', created: ids.created, model,
    choices: [choice], ...(piece.ananke ? { ananke: piece.ananke } : {}),
  };
}

/** The last chunk of a stream that asked for usage: no choices, the counts. */
export function usageChunk(route: 'completion' | 'chat', ids: ResponseIds, model: string, o: Outcome): Record<string, unknown> {
  return { id: ids.id, object: route === 'completion' ? 'text_completion' : 'chat.completion.chunk', created: ids.created, model, choices: [], usage: usage(o) };
}

/** The upstream `POST /generate` answer. Times are whole numbers, as the Rust client's u64 fields need. */
export function generateBody(model: string, o: Outcome, requestId: string | undefined): Record<string, unknown> {
  const c = o.choices[0]!;
  const s = c.result.stats;
  const totalMs = Math.round(c.queueMs + o.compileMs + s.totalMs);
  const tokens = s.tokens;
  return {
    generated_text: c.result.text,
    tokens_generated: tokens,
    model,
    stats: {
      total_time_ms: totalMs,
      time_per_token_us: tokens > 0 ? Math.round((s.totalMs * 1000) / tokens) : 0,
      constraint_checks: s.maskUs.n,
      // The median mask time: Maze reports percentiles, not a mean.
      avg_constraint_check_us: Math.round(s.maskUs.p50),
    },
    generation_time_ms: totalMs,
    constraint_satisfied: c.result.grammarAccepted,
    model_name: model,
    finish_reason: finishReason(c.result.stop),
    metadata: {
      ...(requestId !== undefined ? { request_id: requestId } : {}),
      prompt_tokens: o.promptTokens,
      constraint_type: o.constraintField,
      tokens_per_sec: s.totalMs > 0 ? (tokens * 1000) / s.totalMs : 0,
    },
    ananke: anankeReport(o),
  };
}
