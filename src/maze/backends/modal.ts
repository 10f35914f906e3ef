/**
 * The `modal` backend: Ananke's `POST /generate` protocol, as its Modal inference service (vLLM
 * with llguidance on a GPU) and `ananke serve` speak it:
 *
 *   POST {endpoint}/generate
 *   { prompt, constraints, max_tokens, temperature, model, context }
 *   → { generated_text, tokens_generated, model, stats }
 *
 * `constraints` is the service's `{ grammar }` (the generated part's grammar, Lark by default: the
 * service hands it to vLLM's guidance backend) or `{ json_schema }`; `context` describes the target
 * as the Rust client's GenerationContext does (`{ current_file, language, metadata }`). `top_p` and
 * `seed` go too when given (the service reads `top_p`; `ananke serve` both). The answer may also
 * be the service's own shape (`model_name`, `finish_reason`, `metadata`); both are read. The text
 * is checked again by the engine, as every server's is (recheck.ts).
 */
import { AnankeError, type ConstraintIR } from '../../core/index.ts';
import { formatTarget } from '../../braid/index.ts';
import type { GenerateRequest } from '../orchestrator.ts';
import { remoteResult, stopFromFinishReason, type BackendResult, type GenerationBackend } from '../backend.ts';
import { Aborted, withRetry } from '../retry.ts';
import { requestJson } from './http.ts';
import { baseUrl, timeoutOf, type ServerBackendOptions } from './openai-compatible.ts';
import { GrammarRecheck } from './recheck.ts';
import { localCompletionOptions, maxTokensSent, settleRemoteText } from './remote-text.ts';
import { notSentTo, type GrammarFormat, type ServerConstraint } from './request-formats.ts';
import { serverConstraint } from './server-grammar.ts';

/** The request body of `POST /generate`. */
export interface ModalRequest {
  prompt: string;
  constraints: { grammar: string } | { json_schema: unknown };
  max_tokens: number;
  temperature: number | null;
  model: string | null;
  context: { language: string; current_file?: string; metadata: { target: string } };
  top_p?: number;
  top_k?: number;
  seed?: number;
  stop_sequences?: string[];
}

/** The answer of `POST /generate`, checked field by field. */
export interface ModalAnswer {
  generated_text: string;
  tokens_generated: number;
  model: string;
  /** The service's reason to stop, when it gives one (`stop`, `length`). */
  finishReason: string | null;
  /** `stats`, `metadata` and `constraint_satisfied` as the server gave them. */
  server: Record<string, unknown>;
  /** The stop string that ended the text, when `ananke serve` says so (`ananke.stop_string`). */
  stopReason?: string;
}

export function readModalAnswer(url: string, a: unknown): ModalAnswer {
  const bad = (what: string): AnankeError => new AnankeError('SERVER', `${url} answered, but not in the /generate protocol: ${what}`);
  if (a === null || typeof a !== 'object' || Array.isArray(a)) throw bad('the answer is not a JSON object');
  const o = a as Record<string, unknown>;
  const meta = o['metadata'] as Record<string, unknown> | undefined;
  // The Modal service answers 200 with finish_reason "error" when generation failed.
  if (o['finish_reason'] === 'error') throw new AnankeError('SERVER', `${url} reported an error: ${String(meta?.['error'] ?? 'no reason given')}`);
  if (typeof o['generated_text'] !== 'string') throw bad('generated_text is not a string');
  const n = o['tokens_generated'];
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw bad('tokens_generated is not a whole number');
  const model = o['model'] ?? o['model_name'];
  if (typeof model !== 'string') throw bad('model (or model_name) is not a string');
  const server: Record<string, unknown> = {};
  for (const k of ['stats', 'metadata', 'constraint_satisfied', 'generation_time_ms']) if (o[k] !== undefined) server[k] = o[k];
  const ananke = o['ananke'] as Record<string, unknown> | undefined;
  const stopString = ananke !== null && typeof ananke === 'object' ? ananke['stop_string'] : undefined;
  return {
    generated_text: o['generated_text'], tokens_generated: n, model, finishReason: typeof o['finish_reason'] === 'string' ? o['finish_reason'] : null, server,
    ...(typeof stopString === 'string' ? { stopReason: stopString } : {}),
  };
}

/** The service's `constraints` object: one of its fields, never both. */
function serviceConstraints(c: ServerConstraint): ModalRequest['constraints'] {
  if (c.kind === 'grammar') return { grammar: c.text };
  if (c.kind === 'json_schema') return { json_schema: c.schema };
  throw new AnankeError('INTERNAL', 'the /generate protocol takes a grammar or a JSON Schema, not a ConstraintIR');
}

function targetFile(ir: ConstraintIR): string | undefined {
  const t = ir.target;
  return 'file' in t ? t.file : t.kind === 'json' ? t.schemaFile : undefined;
}

export class ModalBackend implements GenerationBackend {
  readonly kind = 'modal' as const;
  readonly description: string;
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly recheck = new GrammarRecheck();
  private readonly completion: ReturnType<typeof localCompletionOptions>;

  constructor(private readonly opts: ServerBackendOptions & { grammarFormat?: GrammarFormat }) {
    this.completion = localCompletionOptions(opts.localCompletion);
    const base = baseUrl(opts.endpoint, false);
    this.url = base.endsWith('/generate') ? base : `${base}/generate`;
    this.timeoutMs = timeoutOf(opts.timeoutMs);
    this.description = `the /generate protocol at ${this.url}`;
  }

  async generate(req: GenerateRequest): Promise<BackendResult> {
    const t0 = performance.now();
    const constraint: ServerConstraint = serverConstraint(req.ir, 'generate', this.opts.grammarFormat);
    const file = targetFile(req.ir);
    const sentMax = maxTokensSent(req.maxTokens, this.completion);
    const notSent = notSentTo('generate', { ...(req.penalties?.presence !== undefined ? { presencePenalty: req.penalties.presence } : {}), ...(req.penalties?.frequency !== undefined ? { frequencyPenalty: req.penalties.frequency } : {}) });
    const body: ModalRequest = {
      prompt: req.prompt,
      constraints: serviceConstraints(constraint),
      max_tokens: sentMax,
      temperature: req.temperature ?? null,
      model: this.opts.model ?? null,
      context: { language: req.ir.language, ...(file !== undefined ? { current_file: file } : {}), metadata: { target: formatTarget(req.ir.target) } },
      ...(req.topP !== undefined ? { top_p: req.topP } : {}),
      ...(req.topK !== undefined ? { top_k: req.topK } : {}),
      ...(req.seed !== undefined ? { seed: req.seed } : {}),
      ...(req.stop !== undefined && req.stop.length > 0 ? { stop_sequences: [...req.stop] } : {}),
    };
    let answer: ModalAnswer | undefined;
    let attempts = 0;
    try {
      const r = await withRetry(
        () => requestJson({ method: 'POST', url: this.url, body, apiKey: this.opts.apiKey, timeoutMs: this.timeoutMs, signal: req.signal }),
        { policy: this.opts.retry, signal: req.signal, onRetry: this.opts.onRetry },
      );
      attempts = r.attempts;
      answer = readModalAnswer(this.url, r.value);
    } catch (e) {
      if (!(e instanceof Aborted)) throw e;
    }
    const requestMs = performance.now() - t0;
    // Without the service's finish_reason (the Rust client's shape has none), an answer that used
    // the whole budget was cut off by it.
    const stop = answer === undefined ? 'aborted'
      : answer.finishReason !== null ? stopFromFinishReason(answer.finishReason)
      : answer.tokens_generated >= sentMax ? 'max_tokens' : 'eos';
    const settled = await settleRemoteText(req, { text: answer?.generated_text ?? '', stop, ...(answer?.stopReason !== undefined ? { stopReason: answer.stopReason } : {}) }, this.recheck, this.completion);
    if (settled.text) req.onText?.(settled.text);
    return remoteResult({
      text: settled.text, stop: settled.stop, ...(settled.stopString !== undefined ? { stopString: settled.stopString } : {}),
      check: settled.check.result, compileMs: settled.check.compileMs, checkMs: settled.check.checkMs, cache: this.recheck.stats(),
      totalMs: performance.now() - t0,
      remote: {
        backend: 'modal', url: this.url, model: answer?.model ?? this.opts.model ?? '', constraint: constraint.kind,
        ...(constraint.kind === 'grammar' ? { grammarFormat: constraint.format } : {}),
        attempts, requestMs, finishReason: answer?.finishReason ?? null,
        ...(answer ? { completionTokens: answer.tokens_generated, serverStats: answer.server } : {}),
        ...(sentMax !== req.maxTokens ? { maxTokensSent: sentMax } : {}),
        ...(settled.localCompletion ? { localCompletion: settled.localCompletion } : {}),
        ...(notSent.length > 0 ? { notSent } : {}),
      },
    });
  }

  async dispose(): Promise<void> {
    // Nothing held.
  }
}
