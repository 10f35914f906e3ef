/**
 * One request through the model: a turn in the queue, its constraint compiled (constraint-ir.ts),
 * its prompt checked against the context window, then Maze under the request's signal. The signal
 * aborts when the client goes away, when the request's time is up, or when the server closes; the
 * model stops between two steps and the slot goes to the next request. What the abort means for the
 * client is the signal's reason (an HttpError), thrown once the model has stopped.
 */
import type { LocalModel, Maze } from '../maze/index.ts';
import type { ChatTemplate } from './chat-template.ts';
import type { ConstraintCompiler } from './constraint-ir.ts';
import type { SamplerMemory } from './native-memory.ts';
import { badRequest } from './http-error.ts';
import type { SlotQueue } from './queue.ts';
import type { ServeRequest } from './requests.ts';
import type { Outcome } from './responses.ts';

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
  /** Text as it is produced. */
  onText?: (chunk: string) => void;
}

export async function runRequest(b: Backend, req: ServeRequest, signal: AbortSignal, hooks: RunHooks = {}): Promise<Outcome> {
  const t0 = performance.now();
  const release = await b.queue.acquire(signal);
  try {
    const queueMs = performance.now() - t0;
    const constraint = await b.compiler.compile(req.constraint);
    const prompt = req.prompt ?? (await b.chatTemplate()).render(req.messages ?? []);
    const promptTokens = b.model.promptTokens(prompt).length;
    if (promptTokens >= b.model.contextSize) {
      throw badRequest(`the prompt is ${promptTokens} tokens, and the model's context window is ${b.model.contextSize}`, req.route === 'chat' ? 'messages' : 'prompt', 'context_length_exceeded');
    }
    if (signal.aborted) throw signal.reason;
    hooks.onStart?.();
    let result;
    try {
      result = await b.maze.generate(b.model, {
        ir: constraint.ir, prompt, maxTokens: req.maxTokens, ...req.sampling, signal,
        ...(hooks.onText ? { onText: hooks.onText } : {}),
      });
    } finally {
      b.samplerMemory.generationEnded();
    }
    if (signal.aborted) throw signal.reason;
    return { result, constraintField: constraint.field, promptTokens, compileMs: constraint.compileMs, queueMs, testModel: b.model.isTestModel };
  } finally {
    release();
  }
}
