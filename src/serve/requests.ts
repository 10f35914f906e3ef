/**
 * Each route's request body read into one internal request (`ServeRequest`), field by field: what
 * a field means follows the documentation of the API it comes from (OpenAI's Completions and Chat
 * Completions, vLLM's extra sampling parameters, the upstream Ananke `POST /generate`). Fields this
 * server cannot honour are refused unless they are at the value that changes nothing (`echo: false`,
 * `repetition_penalty: 1`); fields it does not know are refused by name.
 */
import type { TokenPenalties } from '../maze/index.ts';
import type { ChatMessage } from './chat-template.ts';
import { CONSTRAINT_FIELDS, readConstraint, type ConstraintSpec } from './constraint-fields.ts';
import { Fields } from './fields.ts';
import { badRequest } from './http-error.ts';
import type { ServeLimits } from './limits.ts';
import { readUpstreamConstraints } from './upstream-constraints.ts';

export interface Sampling {
  temperature?: number;
  topP?: number;
  /** 0: off. */
  topK?: number;
  seed?: number;
  penalties?: TokenPenalties;
  /** Stop strings (none: absent). */
  stop?: string[];
}

export interface ServeRequest {
  route: 'completion' | 'chat' | 'generate';
  /** The model the client named, if any. */
  model?: string;
  /** Completions and /generate: the prompt as the model reads it. */
  prompt?: string;
  /** Chat: the messages, rendered by the chat template when the request runs. */
  messages?: ChatMessage[];
  maxTokens: number;
  sampling: Sampling;
  /** Choices to generate (`n`), each its own generation; with a seed, choice i uses seed + i. */
  n: number;
  stream: boolean;
  /** Streams: a last chunk with the token counts (`stream_options.include_usage`). */
  includeUsage: boolean;
  constraint: ConstraintSpec | undefined;
  /** /generate: the client's request id, echoed in the response's metadata. */
  requestId?: string;
}

/** Sampling fields shared by the OpenAI routes (OpenAI's, plus vLLM's `top_k` and `repetition_penalty`). */
const SAMPLING = ['temperature', 'top_p', 'top_k', 'seed', 'presence_penalty', 'frequency_penalty', 'repetition_penalty', 'logit_bias', 'stop', 'n', 'user', 'stream', 'stream_options', 'model'];
const COMPLETION_FIELDS = new Set([...SAMPLING, ...CONSTRAINT_FIELDS, 'prompt', 'max_tokens', 'best_of', 'echo', 'logprobs', 'suffix']);
const CHAT_FIELDS = new Set([...SAMPLING, ...CONSTRAINT_FIELDS, 'messages', 'max_tokens', 'max_completion_tokens', 'logprobs', 'top_logprobs', 'tools', 'tool_choice', 'parallel_tool_calls']);
const GENERATE_FIELDS = new Set(['prompt', 'constraints', 'max_tokens', 'temperature', 'top_p', 'top_k', 'seed', 'model', 'context', 'stop_sequences', 'request_id']);

/**
 * Stop strings: OpenAI's `stop` (a string or a list of strings; `""` and `[]` mean none), or
 * `/generate`'s `stop_sequences` (a list). Each non-empty, at most `limits.maxStops` of at most
 * `limits.maxStopChars` characters.
 */
function stopStrings(f: Fields, key: string, limits: ServeLimits): string[] | undefined {
  const v = f.raw(key);
  if (v === undefined || v === '') return undefined;
  const p = f.path(key);
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list)) throw badRequest(`${p} must be a string or a list of strings`, p);
  if (list.length > limits.maxStops) throw badRequest(`${p} has ${list.length} stop strings, over the limit of ${limits.maxStops}`, p, 'limit_exceeded');
  for (const [i, s] of list.entries()) {
    if (typeof s !== 'string') throw badRequest(`${p}[${i}] must be a string`, `${p}[${i}]`);
    if (s === '') throw badRequest(`${p}[${i}] is empty: a stop string must have at least one character`, `${p}[${i}]`);
    if (s.length > limits.maxStopChars) throw badRequest(`${p}[${i}] is ${s.length} characters, over the limit of ${limits.maxStopChars}`, `${p}[${i}]`, 'limit_exceeded');
  }
  return list.length > 0 ? [...new Set(list as string[])] : undefined;
}

function sampling(f: Fields, limits: ServeLimits, stopKey = 'stop'): Sampling {
  const temperature = f.number('temperature', { min: 0, max: 10 });
  const topP = f.number('top_p', { min: 0, max: 1 });
  if (topP === 0) throw badRequest('top_p must be > 0', f.path('top_p'));
  // vLLM's convention: -1 (or 0) turns top-k off.
  const topK = f.number('top_k', { min: -1, max: 1_000_000, integer: true });
  const seed = f.number('seed', { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  const presence = f.number('presence_penalty', { min: -2, max: 2 });
  const frequency = f.number('frequency_penalty', { min: -2, max: 2 });
  // llama.cpp's repetition penalty divides a logit, and the runtime applies it after the bias that
  // carries the grammar's mask: the +1e4 given to allowed tokens would be divided too, and every
  // repeated token lose to the others by thousands of logits, forbidden rather than discouraged.
  f.onlyValue('repetition_penalty', [1], 'the runtime would apply it to the grammar\'s bias as well, forbidding repeated tokens instead of discouraging them; use presence_penalty or frequency_penalty');
  const stop = stopStrings(f, stopKey, limits);
  const penalties: TokenPenalties = { ...(presence ? { presence } : {}), ...(frequency ? { frequency } : {}) };
  return {
    ...(temperature !== undefined ? { temperature } : {}), ...(topP !== undefined ? { topP } : {}),
    ...(topK !== undefined ? { topK: Math.max(0, topK) } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(presence || frequency ? { penalties } : {}),
    ...(stop ? { stop } : {}),
  };
}

/** `n`: choices to generate, 1 … limits.maxN (and no more than the server can hold at once). */
function choices(f: Fields, limits: ServeLimits): number {
  const n = f.number('n', { min: 1, max: limits.maxN, integer: true }) ?? 1;
  if (n > limits.parallel + limits.queue) throw badRequest(`n = ${n} is more than this server runs and queues at once (${limits.parallel} + ${limits.queue})`, 'n', 'limit_exceeded');
  return n;
}

/** Fields of the OpenAI routes that this server takes only at their no-op values. */
function noOps(f: Fields): void {
  f.onlyValue('logit_bias', [{}], 'biases by token id are not applied (constrain the output with a grammar instead)');
  f.string('user'); // an end-user id for the client's own accounting: no effect on generation
}

function maxTokens(f: Fields, key: string, limits: ServeLimits): number {
  return f.number(key, { min: 1, max: limits.maxTokens, integer: true }) ?? limits.defaultMaxTokens;
}

function streamOptions(f: Fields, stream: boolean): boolean {
  const so = f.object('stream_options');
  if (!so) return false;
  if (!stream) throw badRequest('stream_options is only allowed with stream: true', 'stream_options');
  so.onlyKnown(new Set(['include_usage', 'continuous_usage_stats']));
  so.onlyValue('continuous_usage_stats', [false], 'usage comes in one chunk at the end');
  return so.boolean('include_usage') ?? false;
}

/** `POST /v1/completions` (OpenAI's Completions; vLLM, SGLang and llama.cpp serve the same). */
export function completionRequest(body: Record<string, unknown>, limits: ServeLimits): ServeRequest {
  const f = new Fields(body);
  f.onlyKnown(COMPLETION_FIELDS);
  let prompt: string;
  const p = f.raw('prompt');
  if (typeof p === 'string') prompt = p;
  else if (Array.isArray(p) && p.length === 1 && typeof p[0] === 'string') prompt = p[0];
  else if (p === undefined) throw badRequest('prompt is required', 'prompt', 'missing_field');
  else throw badRequest('prompt must be a string (or a list of one string); token-id prompts and several prompts per request are not supported', 'prompt');
  if (prompt.length > limits.maxPromptChars) throw badRequest(`prompt is ${prompt.length} characters, over the limit of ${limits.maxPromptChars}`, 'prompt', 'limit_exceeded');
  noOps(f);
  const n = choices(f, limits);
  // best_of > n would rank candidates by their log probabilities, which are not computed.
  f.onlyValue('best_of', [n], `best_of must equal n (${n}): choices are not ranked by log probability`);
  f.onlyValue('echo', [false], 'the prompt is not repeated in the output');
  f.onlyValue('logprobs', [0], 'log probabilities are not returned');
  f.onlyValue('suffix', [''], 'insertion with a suffix: use an ananke fim target instead');
  const stream = f.boolean('stream') ?? false;
  return {
    route: 'completion', model: f.string('model'), prompt, maxTokens: maxTokens(f, 'max_tokens', limits), sampling: sampling(f, limits), n,
    stream, includeUsage: streamOptions(f, stream), constraint: readConstraint(f, limits),
  };
}

/** One chat message's text: a string, or text parts (joined with line breaks, as vLLM joins them). */
function messageText(m: Fields): string {
  const c = m.raw('content');
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) {
    return c.map((part, i) => {
      const pf = Fields.of(part, `${m.path('content')}[${i}]`);
      pf.onlyValue('type', ['text'], 'only text content is supported');
      pf.onlyKnown(new Set(['type', 'text']));
      return pf.string('text', { required: true })!;
    }).join('\n');
  }
  throw badRequest(`${m.path('content')} must be a string or a list of text parts`, m.path('content'));
}

/** `POST /v1/chat/completions` (OpenAI's Chat Completions). */
export function chatRequest(body: Record<string, unknown>, limits: ServeLimits): ServeRequest {
  const f = new Fields(body);
  f.onlyKnown(CHAT_FIELDS);
  const list = f.raw('messages');
  if (!Array.isArray(list) || list.length === 0) throw badRequest('messages must be a non-empty list', 'messages', list === undefined ? 'missing_field' : 'invalid_value');
  if (list.length > limits.maxMessages) throw badRequest(`messages has ${list.length} messages, over the limit of ${limits.maxMessages}`, 'messages', 'limit_exceeded');
  let chars = 0;
  const messages: ChatMessage[] = list.map((item, i) => {
    const m = Fields.of(item, `messages[${i}]`);
    m.onlyKnown(new Set(['role', 'content', 'name']), 'tool calls are not supported');
    m.string('name'); // a participant's name: chat templates have no place for it
    const role = m.string('role', { required: true })!;
    if (role !== 'system' && role !== 'developer' && role !== 'user' && role !== 'assistant') {
      throw badRequest(`${m.path('role')} must be system, developer, user or assistant, not ${JSON.stringify(role)} (tool messages are not supported)`, m.path('role'));
    }
    const content = messageText(m);
    chars += content.length;
    // OpenAI's "developer" messages are its newer name for system messages.
    return { role: role === 'developer' ? 'system' : role, content };
  });
  if (chars > limits.maxPromptChars) throw badRequest(`messages hold ${chars} characters, over the limit of ${limits.maxPromptChars}`, 'messages', 'limit_exceeded');
  noOps(f);
  const n = choices(f, limits);
  f.onlyValue('logprobs', [false], 'log probabilities are not returned');
  f.onlyValue('top_logprobs', [0], 'log probabilities are not returned');
  f.onlyValue('tools', [[]], 'tool calling is not supported (constrain the output with a JSON Schema instead)');
  f.onlyValue('tool_choice', ['none'], 'tool calling is not supported');
  f.boolean('parallel_tool_calls'); // about tools, of which there are none
  if (f.has('max_tokens') && f.has('max_completion_tokens')) throw badRequest('max_tokens and max_completion_tokens both given: they mean the same; give one', 'max_completion_tokens', 'conflicting_fields');
  const stream = f.boolean('stream') ?? false;
  return {
    route: 'chat', model: f.string('model'), messages,
    maxTokens: f.has('max_completion_tokens') ? maxTokens(f, 'max_completion_tokens', limits) : maxTokens(f, 'max_tokens', limits),
    sampling: sampling(f, limits), n, stream, includeUsage: streamOptions(f, stream), constraint: readConstraint(f, limits),
  };
}

/**
 * `POST /generate`, the upstream Ananke protocol: `{ prompt, constraints, max_tokens, temperature,
 * model, context }`. A string `context` goes before the prompt, as the upstream service put it; an
 * object `context` (the Rust client's `{ current_file, language, project_root, metadata }`) names
 * files the server does not read, and is only checked. `model` may name any model (the upstream
 * client sends its own default): the response says which one served it.
 */
export function generateRequest(body: Record<string, unknown>, limits: ServeLimits): ServeRequest {
  const f = new Fields(body);
  f.onlyKnown(GENERATE_FIELDS);
  let prompt = f.string('prompt', { required: true })!;
  const ctx = f.raw('context');
  if (typeof ctx === 'string') prompt = `${ctx}\n\n${prompt}`;
  else if (ctx !== undefined) {
    const c = Fields.of(ctx, 'context');
    c.onlyKnown(new Set(['current_file', 'language', 'project_root', 'metadata']));
    c.string('current_file');
    c.string('language');
    c.string('project_root');
    c.object('metadata');
  }
  if (prompt.length > limits.maxPromptChars) throw badRequest(`prompt (with context) is ${prompt.length} characters, over the limit of ${limits.maxPromptChars}`, 'prompt', 'limit_exceeded');
  f.string('model');
  return {
    route: 'generate', prompt, maxTokens: maxTokens(f, 'max_tokens', limits), sampling: sampling(f, limits, 'stop_sequences'), n: 1,
    stream: false, includeUsage: false, constraint: readUpstreamConstraints(f, limits), requestId: f.string('request_id'),
  };
}
