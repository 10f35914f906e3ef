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

export interface Outcome {
  result: GenerateResult;
  /** The request field the constraint came from (null: free text). */
  constraintField: string | null;
  promptTokens: number;
  compileMs: number;
  queueMs: number;
  testModel: boolean;
}

export type FinishReason = 'stop' | 'length';

/** OpenAI's finish reasons: the text ended (the grammar allowed the end, or nothing else), or max_tokens ran out. */
export function finishReason(stop: StopReason): FinishReason {
  return stop === 'max_tokens' ? 'length' : 'stop';
}

export function anankeReport(o: Outcome): Record<string, unknown> {
  const s = o.result.stats;
  return {
    constraint: o.constraintField,
    grammar_accepted: o.result.grammarAccepted,
    truncated: o.result.truncated,
    stop: o.result.stop,
    forced_tokens: s.forced,
    mask_us: { p50: s.maskUs.p50, p99: s.maskUs.p99 },
    compile_ms: o.compileMs + s.grammarCompileMs,
    queue_ms: o.queueMs,
    generation_ms: s.totalMs,
    test_model: o.testModel,
  };
}

export function usage(o: { promptTokens: number; result: { stats: { tokens: number } } }): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return { prompt_tokens: o.promptTokens, completion_tokens: o.result.stats.tokens, total_tokens: o.promptTokens + o.result.stats.tokens };
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
  return {
    id: ids.id, object: 'text_completion', created: ids.created, model,
    choices: [{ index: 0, text: o.result.text, logprobs: null, finish_reason: finishReason(o.result.stop) }],
    usage: usage(o), ananke: anankeReport(o),
  };
}

export function chatBody(ids: ResponseIds, model: string, o: Outcome): Record<string, unknown> {
  return {
    id: ids.id, object: 'chat.completion', created: ids.created, model,
    choices: [{ index: 0, message: { role: 'assistant', content: o.result.text }, logprobs: null, finish_reason: finishReason(o.result.stop) }],
    usage: usage(o), ananke: anankeReport(o),
  };
}

/** A streamed piece: `text` for completions, a `delta` for chat. */
export function chunk(route: 'completion' | 'chat', ids: ResponseIds, model: string, piece: { text?: string; role?: 'assistant'; finish?: FinishReason; ananke?: Record<string, unknown> }): Record<string, unknown> {
  const finish_reason = piece.finish ?? null;
  const choice = route === 'completion'
    ? { index: 0, text: piece.text ?? '', logprobs: null, finish_reason }
    : { index: 0, delta: { ...(piece.role ? { role: piece.role } : {}), ...(piece.text !== undefined ? { content: piece.text } : {}) }, logprobs: null, finish_reason };
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
  const s = o.result.stats;
  const totalMs = Math.round(o.queueMs + o.compileMs + s.totalMs);
  const tokens = s.tokens;
  return {
    generated_text: o.result.text,
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
    constraint_satisfied: o.result.grammarAccepted,
    model_name: model,
    finish_reason: finishReason(o.result.stop),
    metadata: {
      ...(requestId !== undefined ? { request_id: requestId } : {}),
      prompt_tokens: o.promptTokens,
      constraint_type: o.constraintField,
      tokens_per_sec: s.totalMs > 0 ? (tokens * 1000) / s.totalMs : 0,
    },
    ananke: anankeReport(o),
  };
}
