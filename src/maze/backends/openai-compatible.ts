/**
 * The `openai` backend: one completion from an OpenAI-compatible server (vLLM, SGLang, llama.cpp's
 * llama-server, the OpenAI API, `ananke serve`), with the IR's constraint in the field that server
 * documents (request-formats.ts), the text checked again by the engine (recheck.ts), retried only
 * where a retry can succeed (retry.ts), each attempt bounded by a timeout.
 *
 * The endpoint is the server's base URL (`http://host:8000`; a trailing `/v1` is accepted, as
 * OpenAI clients write it). Without a model name, the first model of `GET /v1/models` is used (as
 * vLLM's own examples do); the OpenAI API needs one given.
 */
import { AnankeError } from '../../core/index.ts';
import type { GenerateRequest } from '../orchestrator.ts';
import { remoteResult, stopFromFinishReason, type BackendResult, type GenerationBackend } from '../backend.ts';
import { Aborted, withRetry, type RetryEvent, type RetryPolicy } from '../retry.ts';
import { requestJson } from './http.ts';
import { GrammarRecheck } from './recheck.ts';
import { localCompletionOptions, maxTokensSent, settleRemoteText, type LocalCompletionOptions } from './remote-text.ts';
import { completionRequest, notSentTo, readCompletion, type GrammarFormat, type ServerKind } from './request-formats.ts';
import { serverConstraint } from './server-grammar.ts';

/** Per attempt: long enough for a few hundred tokens on a busy server, short of a hang. */
export const DEFAULT_TIMEOUT_MS = 120_000;

export interface ServerBackendOptions {
  endpoint: string;
  model?: string;
  apiKey?: string;
  /** Per attempt, milliseconds. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  onRetry?: (e: RetryEvent) => void;
  /**
   * Completing a text the server cut off (remote-text.ts): the longest completion appended, and
   * tokens held back from max_tokens for it. Default { maxBytes: 128, reserveTokens: 0 }.
   */
  localCompletion?: LocalCompletionOptions;
}

export interface OpenAICompatibleOptions extends ServerBackendOptions {
  server: ServerKind;
  /** The grammar syntax to send (default: the server's, request-formats.ts). */
  grammarFormat?: GrammarFormat;
}

/** An http(s) URL without a trailing slash (and without `/v1`, when `stripV1`). USAGE error otherwise. */
export function baseUrl(endpoint: string, stripV1: boolean): string {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw new AnankeError('USAGE', `--endpoint must be a URL such as http://127.0.0.1:8000, not '${endpoint}'`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AnankeError('USAGE', `--endpoint must be an http:// or https:// URL, not '${endpoint}'`);
  if (u.search || u.hash) throw new AnankeError('USAGE', `--endpoint takes no query or fragment: '${endpoint}'`);
  let s = u.toString().replace(/\/+$/, '');
  if (stripV1) s = s.replace(/\/v1$/, '');
  return s;
}

export function timeoutOf(ms: number | undefined): number {
  const t = ms ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isFinite(t) && t > 0)) throw new AnankeError('USAGE', `the timeout must be a positive number of seconds, not ${t / 1000}`);
  return t;
}

export class OpenAICompatibleBackend implements GenerationBackend {
  readonly kind = 'openai' as const;
  readonly description: string;
  private readonly base: string;
  private readonly timeoutMs: number;
  private model: string | undefined;
  private readonly recheck = new GrammarRecheck();
  private readonly completion: ReturnType<typeof localCompletionOptions>;

  constructor(private readonly opts: OpenAICompatibleOptions) {
    this.base = baseUrl(opts.endpoint, true);
    this.completion = localCompletionOptions(opts.localCompletion);
    this.timeoutMs = timeoutOf(opts.timeoutMs);
    this.model = opts.model;
    if (opts.server === 'openai' && this.model === undefined) throw new AnankeError('USAGE', '--server openai needs --model (the model name, e.g. gpt-4o-mini)');
    if (opts.server === 'ananke' && opts.grammarFormat !== undefined) throw new AnankeError('USAGE', '--grammar-format has no effect with --server ananke: ananke serve is sent the ConstraintIR itself');
    this.description = `${opts.server} at ${this.base}`;
  }

  private async call<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<{ value: T; attempts: number }> {
    return withRetry(() => send(), { policy: this.opts.retry, signal, onRetry: this.opts.onRetry });
  }

  /** The model name: as given, else the first one the server lists. */
  async resolveModel(signal?: AbortSignal): Promise<string> {
    if (this.model !== undefined) return this.model;
    const url = `${this.base}/v1/models`;
    const { value } = await this.call(() => requestJson({ method: 'GET', url, apiKey: this.opts.apiKey, timeoutMs: this.timeoutMs, signal }), signal);
    const data = (value as { data?: unknown } | null)?.data;
    const first = Array.isArray(data) ? (data[0] as { id?: unknown } | undefined)?.id : undefined;
    if (typeof first !== 'string' || first === '') throw new AnankeError('SERVER', `${url} lists no model: give one with --model`);
    this.model = first;
    return first;
  }

  async generate(req: GenerateRequest): Promise<BackendResult> {
    const t0 = performance.now();
    // Everything that can be refused here is refused before any request is sent.
    const constraint = serverConstraint(req.ir, this.opts.server, this.opts.grammarFormat);
    let text = '';
    let finishReason: string | null = 'abort';
    let completionTokens: number | undefined;
    let stopReason: string | undefined;
    let attempts = 0;
    const sentMax = maxTokensSent(req.maxTokens, this.completion);
    const sampling = {
      temperature: req.temperature, topP: req.topP, seed: req.seed,
      ...(req.topK !== undefined ? { topK: req.topK } : {}),
      ...(req.penalties?.presence !== undefined ? { presencePenalty: req.penalties.presence } : {}),
      ...(req.penalties?.frequency !== undefined ? { frequencyPenalty: req.penalties.frequency } : {}),
      ...(req.stop !== undefined && req.stop.length > 0 ? { stop: req.stop } : {}),
    };
    const notSent = notSentTo(this.opts.server, sampling);
    let url = `${this.base}/v1/completions`;
    let model = this.model ?? '';
    try {
      model = await this.resolveModel(req.signal);
      const { path, body } = completionRequest(this.opts.server, { model, prompt: req.prompt, maxTokens: sentMax, ...sampling }, constraint);
      url = `${this.base}${path}`;
      const r = await this.call(() => requestJson({ method: 'POST', url, body, apiKey: this.opts.apiKey, timeoutMs: this.timeoutMs, signal: req.signal }), req.signal);
      attempts = r.attempts;
      const c = readCompletion(this.opts.server, url, r.value);
      text = c.text;
      finishReason = c.finishReason;
      completionTokens = c.completionTokens;
      stopReason = c.stopReason;
      if (c.model) model = c.model;
    } catch (e) {
      if (!(e instanceof Aborted)) throw e;
    }
    const requestMs = performance.now() - t0;
    const settled = await settleRemoteText(req, { text, stop: stopFromFinishReason(finishReason), ...(stopReason !== undefined ? { stopReason } : {}) }, this.recheck, this.completion);
    if (settled.text) req.onText?.(settled.text);
    return remoteResult({
      text: settled.text, stop: settled.stop, ...(settled.stopString !== undefined ? { stopString: settled.stopString } : {}),
      check: settled.check.result, compileMs: settled.check.compileMs, checkMs: settled.check.checkMs,
      cache: this.recheck.stats(), totalMs: performance.now() - t0,
      remote: {
        backend: 'openai', server: this.opts.server, url, model, constraint: constraint.kind,
        ...(constraint.kind === 'grammar' ? { grammarFormat: constraint.format } : {}),
        attempts, requestMs, finishReason, ...(completionTokens !== undefined ? { completionTokens } : {}),
        ...(sentMax !== req.maxTokens ? { maxTokensSent: sentMax } : {}),
        ...(settled.localCompletion ? { localCompletion: settled.localCompletion } : {}),
        ...(notSent.length > 0 ? { notSent } : {}),
      },
    });
  }

  async dispose(): Promise<void> {
    // Nothing held: fetch keeps no connection Ananke owns.
  }
}
