/**
 * Where Maze's text comes from: a model in this process (`local`: every step masked by the engine),
 * an OpenAI-compatible inference server (`openai`: vLLM, SGLang, llama.cpp, the OpenAI API,
 * `ananke serve`), or a server speaking the `POST /generate` protocol (`modal`). Every backend
 * answers a GenerateRequest with a GenerateResult, so `ananke generate` reports every path the same
 * way; a server's text is checked again by the engine before `grammarAccepted` is set
 * (backends/recheck.ts), never taken on the server's word.
 */
import type { CacheStats } from '../braid/index.ts';
import type { CheckResult } from '../engine/index.ts';
import type { GenerateRequest, GenerateResult } from './orchestrator.ts';
import type { StopReason } from './model.ts';
import type { GrammarFormat, ServerKind } from './backends/request-formats.ts';

export const BACKEND_KINDS = ['local', 'openai', 'modal'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];

export function isBackendKind(s: string): s is BackendKind {
  return (BACKEND_KINDS as readonly string[]).includes(s);
}

/** How a server's answer came about, for the report. */
export interface RemoteInfo {
  backend: Exclude<BackendKind, 'local'>;
  server?: ServerKind;
  /** The URL that answered. */
  url: string;
  model: string;
  /** What the server was asked to enforce. */
  constraint: 'grammar' | 'json_schema' | 'constraint_ir';
  grammarFormat?: GrammarFormat;
  /** Requests made for this answer (more than 1 after retries). */
  attempts: number;
  /** Wall time of the request(s), retries and waits included. */
  requestMs: number;
  /** The server's own reason to stop (`stop`, `length`, …), as it said it. */
  finishReason: string | null;
  /** Tokens the server says it generated, when it says. */
  completionTokens?: number;
  /** Where the engine refused the text (prefix + text + suffix, 1-based), when it did. */
  rejection?: Pick<CheckResult, 'offset' | 'line' | 'column' | 'message' | 'incomplete'>;
  /** Server statistics passed on as given (the modal protocol's `stats`). */
  serverStats?: unknown;
  /** max_tokens as sent, when less than the request's (a reserve kept for completing locally). */
  maxTokensSent?: number;
  /**
   * The server's text was cut off by max_tokens and the grammar did not accept it: the engine's
   * shortest completion was appended here (remote-text.ts). Its text, bytes, and time to find.
   */
  localCompletion?: { text: string; bytes: number; ms: number };
  /** Request fields the server's API has no place for, and so were not sent. */
  notSent?: string[];
}

export type BackendResult = GenerateResult & { remote?: RemoteInfo };

export interface GenerationBackend {
  readonly kind: BackendKind;
  /** For progress lines: "vllm at http://…", "local model qwen…". */
  readonly description: string;
  generate(req: GenerateRequest): Promise<BackendResult>;
  dispose(): Promise<void>;
}

/** A server's reason to stop, in Maze's words (the server's own is kept in RemoteInfo). */
export function stopFromFinishReason(reason: string | null): StopReason {
  if (reason === 'length') return 'max_tokens';
  if (reason === 'abort') return 'aborted';
  return 'eos';
}

export interface RemoteOutcome {
  text: string;
  stop: StopReason;
  stopString?: string;
  check: CheckResult;
  remote: RemoteInfo;
  compileMs: number;
  checkMs: number;
  cache: CacheStats;
  totalMs: number;
}

/**
 * A server's answer in GenerateResult's shape. The per-step fields of the local path (forced
 * tokens, mask times) have no counterpart on a server: they are 0, with `n: 0` masks. A completion
 * appended locally (remote.localCompletion) is counted in `stats.completion` as one check.
 */
export function remoteResult(o: RemoteOutcome): BackendResult {
  const tokens = o.remote.completionTokens ?? 0;
  const accepted = o.check.accepted;
  const remote: RemoteInfo = accepted ? o.remote : {
    ...o.remote,
    rejection: {
      ...(o.check.offset !== undefined ? { offset: o.check.offset } : {}),
      ...(o.check.line !== undefined ? { line: o.check.line, column: o.check.column } : {}),
      ...(o.check.message !== undefined ? { message: o.check.message } : {}),
      ...(o.check.incomplete ? { incomplete: true } : {}),
    },
  };
  return {
    text: o.text,
    stop: o.stop,
    grammarAccepted: accepted,
    truncated: !accepted && o.stop === 'max_tokens',
    ...(o.stopString !== undefined ? { stopString: o.stopString } : {}),
    stats: {
      tokens,
      ...(o.remote.localCompletion ? { completion: { checks: 1, totalMs: o.remote.localCompletion.ms, maxMs: o.remote.localCompletion.ms } } : {}),
      forced: 0,
      sampled: tokens,
      maskUs: { p50: 0, p99: 0, max: 0, n: 0 },
      modelMsPerToken: tokens ? o.remote.requestMs / tokens : 0,
      anankeMsPerToken: tokens ? o.checkMs / tokens : 0,
      grammarCompileMs: o.compileMs,
      grammarCache: o.cache,
      totalMs: o.totalMs,
    },
    remote,
  };
}
