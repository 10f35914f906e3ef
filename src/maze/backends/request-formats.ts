/**
 * The request each server documents for one completion under a constraint, and how to read its
 * answer. docs/maze-servers.md shows each body whole, with the pages it follows.
 *
 * Every server but `openai` gets `POST /v1/completions` (the prompt continued as it is: code after
 * code, no chat template), with the OpenAI sampling fields and the constraint in that server's own
 * field:
 *
 * | server        | grammar field                        | JSON Schema field                     | since |
 * |---------------|--------------------------------------|---------------------------------------|-------|
 * | `vllm`        | `structured_outputs: { grammar }`    | `structured_outputs: { json }`        | vLLM 0.10.2 (the guided_* fields were removed in 0.12.0, and a later server ignores them with a 200) |
 * | `vllm-legacy` | `guided_grammar`                     | `guided_json`                         | vLLM before 0.10.2 |
 * | `sglang`      | `ebnf`                               | `json_schema` (a string)              | |
 * | `llamacpp`    | `grammar`                            | `json_schema` (an object)             | |
 *
 * `ananke` (`ananke serve`) gets the ConstraintIR itself, `ananke: { ir }`: its engine enforces the
 * IR as the local backend does (the fixed prefix read first, a fim suffix honoured), so nothing is
 * cut or converted.
 *
 * `openai` (the OpenAI API) takes no grammar: only JSON targets, as `POST /v1/chat/completions`
 * with `response_format: { type: "json_schema", json_schema: { name, schema, strict: true } }`
 * (response_format exists for chat completions only).
 */
import { AnankeError } from '../../core/index.ts';

export const SERVER_KINDS = ['vllm', 'vllm-legacy', 'sglang', 'llamacpp', 'openai', 'ananke'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export const GRAMMAR_FORMATS = ['lark', 'gbnf'] as const;
export type GrammarFormat = (typeof GRAMMAR_FORMATS)[number];

export function isServerKind(s: string): s is ServerKind {
  return (SERVER_KINDS as readonly string[]).includes(s);
}

/**
 * The grammar syntax each server reads unless told otherwise (`--grammar-format`; `ananke` takes
 * the IR, and the `/generate` protocol Lark, as its upstream service runs vLLM with guidance):
 * - vLLM: Lark. vLLM hands `grammar` to llguidance (`grammar_from("grammar", …)` reads Lark), and
 *   its default backend `auto` falls back from XGrammar to guidance when XGrammar cannot take the
 *   grammar; Lark keeps the lexer's longest match, which GBNF cannot say.
 * - SGLang: GBNF. Its default grammar backend is XGrammar, which reads GBNF only; its llguidance
 *   backend (`--grammar-backend llguidance`) reads both (give `--grammar-format lark` there).
 * - llama.cpp: GBNF. A stock build reads GBNF; a build with LLAMA_LLGUIDANCE reads a grammar that
 *   starts with `%llguidance` as Lark (`--grammar-format lark`; the printed Lark always starts so).
 */
export const DEFAULT_GRAMMAR_FORMAT: Record<Exclude<ServerKind, 'openai' | 'ananke'> | 'generate', GrammarFormat> = {
  vllm: 'lark', 'vllm-legacy': 'lark', sglang: 'gbnf', llamacpp: 'gbnf', generate: 'lark',
};

/** What constrains the server's decoding: a grammar text, a JSON Schema, or the whole IR (`ananke`). */
export type ServerConstraint =
  | { kind: 'grammar'; format: GrammarFormat; text: string }
  | { kind: 'json_schema'; schema: unknown }
  | { kind: 'constraint_ir'; ir: unknown };

export interface SamplingFields {
  model?: string;
  prompt: string;
  maxTokens: number;
  temperature?: number;
  topP?: number;
  /** 0: off. */
  topK?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  stop?: readonly string[];
}

/**
 * The sampling fields each server takes, under the same names everywhere it takes them:
 * - vLLM (`SamplingParams`, https://docs.vllm.ai/en/latest/api/vllm/sampling_params/, and its
 *   OpenAI server's extra parameters): `top_k` (-1 or 0 off), `stop`, `seed`, `presence_penalty`,
 *   `frequency_penalty`.
 * - SGLang (`CompletionRequest` in python/sglang/srt/entrypoints/openai/protocol.py, and
 *   https://docs.sglang.io/basic_usage/sampling_params.html): `top_k` (-1 off), `stop`, `seed`,
 *   `presence_penalty`, `frequency_penalty`.
 * - llama.cpp (tools/server/README.md, the `/completion` options that `/v1/completions` takes
 *   too): `top_k` (0 off), `stop` (an array), `seed`, `presence_penalty`, `frequency_penalty`.
 * - OpenAI (https://platform.openai.com/docs/api-reference/chat/create): `stop` (up to 4), `seed`,
 *   `presence_penalty`, `frequency_penalty`; no top-k: `top_k` is not sent (NOT_SENT_TO_OPENAI).
 * - `ananke serve`: all of them (docs/serve.md).
 * top-k off is sent as -1 to vLLM and SGLang (both read -1 as off, and SGLang's SamplingParams
 * check refuses 0) and as 0 to llama.cpp and ananke serve.
 */
export const OPENAI_MAX_STOPS = 4;

/** Fields a request asked for that the server's API has no place for: said in the report. */
export function notSentTo(server: ServerKind | 'generate', s: Pick<SamplingFields, 'topK' | 'presencePenalty' | 'frequencyPenalty'>): string[] {
  const out: string[] = [];
  if (server === 'openai' && s.topK !== undefined) out.push('top_k (the OpenAI API has no top-k)');
  if (server === 'generate' && (s.presencePenalty !== undefined || s.frequencyPenalty !== undefined)) out.push('presence_penalty, frequency_penalty (the /generate protocol has no penalties)');
  return out;
}

export interface ServerRequest {
  /** Appended to the endpoint's base URL. */
  path: string;
  body: Record<string, unknown>;
}

/** A name OpenAI accepts for a response format: letters, digits, `_` and `-`, at most 64. */
const SCHEMA_NAME = 'ananke_target';

function samplingBody(s: SamplingFields, server: ServerKind): Record<string, unknown> {
  const b: Record<string, unknown> = {};
  if (s.model !== undefined) b['model'] = s.model;
  if (s.temperature !== undefined) b['temperature'] = s.temperature;
  if (s.topP !== undefined) b['top_p'] = s.topP;
  if (s.topK !== undefined && server !== 'openai') {
    b['top_k'] = s.topK === 0 && (server === 'vllm' || server === 'vllm-legacy' || server === 'sglang') ? -1 : s.topK;
  }
  if (s.seed !== undefined) b['seed'] = s.seed;
  if (s.presencePenalty !== undefined) b['presence_penalty'] = s.presencePenalty;
  if (s.frequencyPenalty !== undefined) b['frequency_penalty'] = s.frequencyPenalty;
  if (s.stop !== undefined && s.stop.length > 0) {
    if (server === 'openai' && s.stop.length > OPENAI_MAX_STOPS) throw new AnankeError('USAGE', `the OpenAI API takes at most ${OPENAI_MAX_STOPS} stop strings, not ${s.stop.length}`);
    b['stop'] = [...s.stop];
  }
  // One JSON answer, whole: the text is checked whole, and a retry repeats a whole request.
  b['stream'] = false;
  return b;
}

function constraintFields(server: Exclude<ServerKind, 'openai'>, c: ServerConstraint): Record<string, unknown> {
  if (c.kind === 'constraint_ir') {
    if (server !== 'ananke') throw new AnankeError('INTERNAL', `a ConstraintIR cannot go to ${server}`);
    return { ananke: { ir: c.ir } };
  }
  switch (server) {
    case 'ananke':
      throw new AnankeError('INTERNAL', 'ananke serve is sent the ConstraintIR, not a grammar');
    case 'vllm':
      return { structured_outputs: c.kind === 'grammar' ? { grammar: c.text } : { json: c.schema } };
    case 'vllm-legacy':
      return c.kind === 'grammar' ? { guided_grammar: c.text } : { guided_json: c.schema };
    case 'sglang':
      // SGLang's CompletionRequest types json_schema as a string.
      return c.kind === 'grammar' ? { ebnf: c.text } : { json_schema: JSON.stringify(c.schema) };
    case 'llamacpp':
      return c.kind === 'grammar' ? { grammar: c.text } : { json_schema: c.schema };
  }
}

/** The request for one completion under the constraint, as `server` documents it. */
export function completionRequest(server: ServerKind, s: SamplingFields, c: ServerConstraint): ServerRequest {
  if (server === 'openai') {
    if (c.kind !== 'json_schema') {
      throw new AnankeError('UNSUPPORTED', 'the OpenAI API takes no grammar, only a JSON Schema (response_format): with --server openai only json: targets can be constrained; use --server vllm, sglang, llamacpp or ananke for code');
    }
    if (s.model === undefined) throw new AnankeError('USAGE', '--server openai needs --model (the model name, e.g. gpt-4o-mini)');
    const { model: _model, ...rest } = samplingBody(s, server);
    return {
      path: '/v1/chat/completions',
      body: {
        model: s.model,
        messages: [{ role: 'user', content: s.prompt }],
        ...rest,
        max_completion_tokens: s.maxTokens,
        response_format: { type: 'json_schema', json_schema: { name: SCHEMA_NAME, schema: c.schema, strict: true } },
      },
    };
  }
  return { path: '/v1/completions', body: { ...samplingBody(s, server), prompt: s.prompt, max_tokens: s.maxTokens, ...constraintFields(server, c) } };
}

export interface Completion {
  text: string;
  /** `stop` (the model ended), `length` (max_tokens ran out), or what the server said. */
  finishReason: string | null;
  /**
   * vLLM's `stop_reason` (also `ananke serve`'s): the stop string that ended the text, when one
   * did (a token id, or null, otherwise).
   */
  stopReason?: string;
  /** `usage.completion_tokens`, when the server reports it. */
  completionTokens?: number;
  model?: string;
}

/** Reads `choices[0]` of a completion (`text`) or a chat completion (`message.content`). */
export function readCompletion(server: ServerKind, url: string, answer: unknown): Completion {
  const bad = (what: string): AnankeError => new AnankeError('SERVER', `${url} answered, but not with a completion: ${what}`);
  if (answer === null || typeof answer !== 'object') throw bad('the answer is not a JSON object');
  const a = answer as Record<string, unknown>;
  const choices = a['choices'];
  if (!Array.isArray(choices) || choices.length === 0 || choices[0] === null || typeof choices[0] !== 'object') throw bad('no choices[0]');
  const c = choices[0] as Record<string, unknown>;
  let text: unknown;
  if (server === 'openai') {
    const m = c['message'] as Record<string, unknown> | undefined;
    if (m && typeof m['refusal'] === 'string' && m['refusal'] !== '') throw new AnankeError('SERVER', `${url}: the model refused: ${m['refusal']}`);
    text = m?.['content'];
    if (typeof text !== 'string') throw bad('choices[0].message.content is not a string');
  } else {
    text = c['text'];
    if (typeof text !== 'string') throw bad('choices[0].text is not a string');
  }
  const usage = a['usage'] as Record<string, unknown> | undefined;
  const tokens = usage?.['completion_tokens'];
  const fr = c['finish_reason'];
  const sr = c['stop_reason'];
  return {
    text,
    finishReason: typeof fr === 'string' ? fr : null,
    ...(typeof sr === 'string' ? { stopReason: sr } : {}),
    ...(typeof tokens === 'number' && Number.isInteger(tokens) && tokens >= 0 ? { completionTokens: tokens } : {}),
    ...(typeof a['model'] === 'string' ? { model: a['model'] } : {}),
  };
}
