/**
 * One request through the model: a turn in the queue (one per choice), its constraint compiled
 * (constraint-ir.ts), its prompt checked against the context window, then Maze under the request's
 * signal. The signal
 * aborts when the client goes away, when the request's time is up, or when the server closes; the
 * model stops between two steps and the slot goes to the next request. What the abort means for the
 * client is the signal's reason (an HttpError), thrown once the model has stopped.
 */
import type { LocalModel, Maze } from '../maze/index.ts';
import type { ChatTemplate } from './chat-template.ts';
import type { ConstraintCompiler, RequestConstraint as CompiledConstraint } from './constraint-ir.ts';
import type { SamplerMemory } from './native-memory.ts';
import { badRequest } from './http-error.ts';
import type { SlotQueue } from './queue.ts';
import type { ServeRequest } from './requests.ts';
import type { ChoiceOutcome, Outcome } from './responses.ts';

export interface Backend {
  model: LocalModel;
  maze: Maze;
  compiler: ConstraintCompiler;
  queue: SlotQueue;
  chatTemplate: () => Promise<ChatTemplate>;
  /** Told after every generation that reached the model (native-memory.ts). */
  samplerMemory: SamplerMemory;
}

export interface RunHooks {
  /** Everything is checked and the model is about to start (a stream sends its headers now). */
  onStart?: () => void;
  /** Text as it is produced, for choice `index`. */
  onText?: (chunk: string, index: number) => void;
}

/**
 * The request's `n` choices, each its own generation in its own turn of the queue (with a seed, the
 * i-th uses seed + i). The constraint is compiled and the prompt checked once, by the first choice
 * to get a sequence. Admission is all or nothing: the queue must have room for every choice, or the
 * request is a 429 before anything runs. One choice failing stops the others.
 */
export async function runRequest(b: Backend, req: ServeRequest, signal: AbortSignal, hooks: RunHooks = {}): Promise<Outcome> {
  const t0 = performance.now();
  b.queue.admit(req.n);
  const inner = new AbortController();
  const forward = (): void => inner.abort(signal.reason);
  if (signal.aborted) forward(); else signal.addEventListener('abort', forward, { once: true });
  let prepared: Promise<{ constraint: CompiledConstraint; prompt: string; promptTokens: number }> | undefined;
  const prepare = () => (prepared ??= (async () => {
    const constraint = await b.compiler.compile(req.constraint);
    const prompt = req.prompt ?? (await b.chatTemplate()).render(req.messages ?? []);
    const promptTokens = b.model.promptTokens(prompt).length;
    if (promptTokens >= b.model.contextSize) {
      throw badRequest(`the prompt is ${promptTokens} tokens, and the model's context window is ${b.model.contextSize}`, req.route === 'chat' ? 'messages' : 'prompt', 'context_length_exceeded');
    }
    if (inner.signal.aborted) throw inner.signal.reason;
    hooks.onStart?.();
    return { constraint, prompt, promptTokens };
  })());
  const choice = async (index: number): Promise<ChoiceOutcome> => {
    const release = await b.queue.acquire(inner.signal);
    try {
      const queueMs = performance.now() - t0;
      const { constraint, prompt } = await prepare();
      const seed = req.sampling.seed !== undefined ? req.sampling.seed + index : undefined;
      let result;
      try {
        result = await b.maze.generate(b.model, {
          ir: constraint.ir, prompt, maxTokens: req.maxTokens, ...req.sampling, ...(seed !== undefined ? { seed } : {}), signal: inner.signal,
          ...(hooks.onText ? { onText: (text: string) => hooks.onText!(text, index) } : {}),
        });
      } finally {
        b.samplerMemory.generationEnded();
      }
      if (inner.signal.aborted) throw inner.signal.reason;
      return { result, queueMs };
    } finally {
      release();
    }
  };
  try {
    const runs = Array.from({ length: req.n }, (_, i) => choice(i).catch((e: unknown) => {
      // The first failure stops the siblings; they then fail with it.
      if (!inner.signal.aborted) inner.abort(e);
      throw e;
    }));
    const settled = await Promise.allSettled(runs);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw inner.signal.aborted ? inner.signal.reason : failed.reason;
    const { constraint, promptTokens } = await prepare();
    return {
      choices: settled.map((r) => (r as PromiseFulfilledResult<ChoiceOutcome>).value),
      constraintField: constraint.field, promptTokens, compileMs: constraint.compileMs, testModel: b.model.isTestModel,
    };
  } finally {
    signal.removeEventListener('abort', forward);
  }
}
