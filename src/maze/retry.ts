/**
 * Retrying a request to an inference server, only where a retry can succeed: the server said so
 * (408 Request Timeout, 429 Too Many Requests, any 5xx) or the attempt ran out of time. Anything
 * else (a 400 about the grammar, a 401, a refused connection, an answer we cannot read) fails at
 * once: sending the same request again would get the same answer.
 *
 * Waits grow exponentially with full jitter (a random wait between 0 and base·2^(n−1), at most
 * `maxDelayMs`), so clients that failed together do not retry together. A `Retry-After` from the
 * server is honoured as given, up to `maxRetryAfterMs`; a server that asks for a longer wait gets
 * an error saying so instead of a process that sleeps for an hour. Attempts are bounded, and the
 * caller's AbortSignal ends a wait at once.
 */
import { AnankeError } from '../core/index.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included (1: no retry). */
  attempts: number;
  /** The first retry waits up to this long; each later one up to twice the one before. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest `Retry-After` honoured; beyond it the request fails with the server's reason. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

/**
 * A failed attempt that may succeed if made again. `error` is what the caller sees when no attempt
 * is left; `retryAfterMs` is the server's own `Retry-After`, when it gave one.
 */
export class RetryableFailure extends Error {
  constructor(readonly error: AnankeError, readonly retryAfterMs?: number) {
    super(error.message);
    this.name = 'RetryableFailure';
  }
}

/** The caller's signal fired (during an attempt or a wait): no further attempt is made. */
export class Aborted extends Error {
  constructor() {
    super('aborted');
    this.name = 'Aborted';
  }
}

export interface RetryEvent {
  /** The attempt that failed (1-based). */
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /** Called before each wait (the CLI prints it as progress). */
  onRetry?: (e: RetryEvent) => void;
  /** For tests of the schedule: a number in [0, 1). */
  random?: () => number;
}

/**
 * `Retry-After` as milliseconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when
 * absent or unreadable (then the backoff schedule decides).
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // Every HTTP-date form begins with the day's name; Date.parse alone would take '-1' as a year.
  if (!/^[A-Za-z]{3}/.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** The wait before retry number `retry` (1-based) without a Retry-After: full jitter. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * cap);
}

/** A wait that the signal ends early (rejecting with Aborted). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Aborted());
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it returns, throws something other than a RetryableFailure (passed on as
 * it is), or the attempts are spent (the last failure's error, saying how many attempts were made).
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, opts: RetryOptions = {}): Promise<{ value: T; attempts: number }> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...opts.policy };
  if (!(Number.isInteger(policy.attempts) && policy.attempts >= 1)) throw new AnankeError('USAGE', `retry attempts must be a whole number of at least 1, not ${policy.attempts}`);
  for (let n = 1; ; n++) {
    if (opts.signal?.aborted) throw new Aborted();
    try {
      return { value: await attempt(n), attempts: n };
    } catch (e) {
      if (!(e instanceof RetryableFailure)) throw e;
      const err = e.error;
      if (n >= policy.attempts) {
        throw new AnankeError(err.code, policy.attempts > 1 ? `${err.message} (gave up after ${n} attempts)` : err.message, err.location, { cause: err });
      }
      if (e.retryAfterMs !== undefined && e.retryAfterMs > policy.maxRetryAfterMs) {
        throw new AnankeError(err.code, `${err.message}; the server asks to retry after ${Math.ceil(e.retryAfterMs / 1000)} s, longer than the ${Math.ceil(policy.maxRetryAfterMs / 1000)} s Ananke waits`, err.location, { cause: err });
      }
      const delayMs = e.retryAfterMs ?? backoffDelay(n, policy, opts.random);
      opts.onRetry?.({ attempt: n, delayMs, reason: err.message });
      await sleep(delayMs, opts.signal);
    }
  }
}
