/**
 * Every bound `ananke serve` puts on a request, in one place (docs/serve.md, "Limits"). A request
 * past one is refused with a status and a message naming the limit, never left to run.
 */
import type { Limits } from '../engine/index.ts';

export interface ServeLimits {
  /** Bytes of one request body (413 past it). */
  maxBodyBytes: number;
  /** Characters of a prompt, or of all chat messages together (400 past it). The model's context window is checked in tokens after. */
  maxPromptChars: number;
  /** Characters of one grammar, regex, serialized JSON Schema or ConstraintIR grammar. */
  maxGrammarChars: number;
  /** The most tokens one request may ask for (`max_tokens`). */
  maxTokens: number;
  /** `max_tokens` when a request gives none. */
  defaultMaxTokens: number;
  /** Requests generating at once: the model's context sequences. */
  parallel: number;
  /** Requests waiting for a free sequence; one more is refused with 429 and Retry-After. */
  queue: number;
  /** Milliseconds one request may take, its wait in the queue included. */
  timeoutMs: number;
  /** Messages in one chat request. */
  maxMessages: number;
  /** Strings in one choice constraint (`guided_choice`, `structured_outputs.choice`). */
  maxChoices: number;
  /** Source files inline in one `ananke.context`. */
  maxContextFiles: number;
  /** Choices one request may ask for (`n`). */
  maxN: number;
  /** Stop strings in one request, and characters in each. */
  maxStops: number;
  maxStopChars: number;
}

export const DEFAULT_SERVE_LIMITS: ServeLimits = {
  maxBodyBytes: 1024 * 1024,
  maxPromptChars: 200_000,
  maxGrammarChars: 256 * 1024,
  maxTokens: 4096,
  // As `ananke generate`: enough for a function; a client wanting more says so.
  defaultMaxTokens: 256,
  parallel: 2,
  queue: 32,
  timeoutMs: 120_000,
  maxMessages: 256,
  maxChoices: 1024,
  maxContextFiles: 64,
  maxN: 8,
  maxStops: 16,
  maxStopChars: 256,
};

/**
 * The engine's limits for grammars that arrive in requests, checked when the server compiles one
 * before generating with it. Tighter than the engine's defaults (which are sized for the program
 * grammars Ananke ships) so that a hostile grammar fails in well under a second of work instead of
 * holding a worker: a grammar a tenth of the default size still holds every MaskBench schema and
 * the shipped program grammars; a mask may take 2,000,000 lexer steps, not 5,000,000. The caches
 * are smaller because this compiled copy only proves the grammar compiles and is then dropped.
 */
export const REQUEST_ENGINE_LIMITS: Partial<Limits> = {
  maxGrammarSize: 200_000,
  maxLexerStates: 100_000,
  maxRegexSize: 2_000_000,
  maxItemsPerRow: 50_000,
  maxLexerStepsPerMask: 2_000_000,
  maxNesting: 100,
  planCacheBytes: 16 * 1024 * 1024,
  fullMaskCacheBytes: 4 * 1024 * 1024,
  internedStateBytes: 4 * 1024 * 1024,
  memoCacheBytes: 8 * 1024 * 1024,
};
