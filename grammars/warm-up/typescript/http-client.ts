// Ananke grammar warm-up text: original code, not part of the build.

import { setTimeout as sleep } from "node:timers/promises";
import { EventHub } from "./events.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

export interface RetryPolicy {
  /** Maximum attempts, including the first one. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs?: number;
  readonly retryOn?: ReadonlyArray<number>;
}

export interface RequestOptions<TBody = unknown> {
  method?: HttpMethod;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: TBody;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ClientEvents {
  request: { url: string; method: HttpMethod; attempt: number };
  response: { url: string; status: number; elapsedMs: number };
  retry: { url: string; attempt: number; delayMs: number; reason: string };
}

export class HttpError extends Error {
  override readonly name = "HttpError";

  constructor(
    public readonly status: number,
    public readonly url: string,
    public readonly responseText: string,
  ) {
    super(`Request to ${url} failed with status ${status}`);
  }

  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

const DEFAULT_POLICY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  retryOn: [408, 425, 429, 500, 502, 503, 504],
};

const TRAILING_SLASHES = /\/+$/;
const LEADING_SLASHES = /^\/+/;

function joinUrl(base: string, path: string): string {
  return `${base.replace(TRAILING_SLASHES, "")}/${path.replace(LEADING_SLASHES, "")}`;
}

function buildQuery(query: RequestOptions["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.append(key, String(value));
  }
  const text = params.toString();
  return text.length > 0 ? `?${text}` : "";
}

/** Exponential backoff with "full jitter"; never exceeds the policy's ceiling. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const ceiling = policy.maxDelayMs ?? 30_000;
  const exp = Math.min(ceiling, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * exp);
}

export class HttpClient {
  readonly events = new EventHub<ClientEvents>();
  #defaultHeaders: Record<string, string>;
  #policy: RetryPolicy;

  constructor(
    private readonly baseUrl: string,
    options: { headers?: Record<string, string>; retry?: Partial<RetryPolicy> } = {},
  ) {
    this.#defaultHeaders = { accept: "application/json", ...options.headers };
    this.#policy = { ...DEFAULT_POLICY, ...options.retry };
  }

  async get<T>(path: string, options: Omit<RequestOptions, "method" | "body"> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: "GET" });
  }

  async request<T, B = unknown>(path: string, options: RequestOptions<B> = {}): Promise<T> {
    const method = options.method ?? "GET";
    const url = joinUrl(this.baseUrl, path) + buildQuery(options.query);
    const retryable = new Set(this.#policy.retryOn ?? []);
    let lastError: unknown;

    for (let attempt = 1; attempt <= this.#policy.attempts; attempt++) {
      this.events.emit("request", { url, method, attempt });
      const started = performance.now();
      const controller = new AbortController();
      const timer = options.timeoutMs
        ? setTimeout(() => controller.abort(new Error("timeout")), options.timeoutMs)
        : undefined;
      const onOuterAbort = () => controller.abort(options.signal?.reason);
      options.signal?.addEventListener("abort", onOuterAbort, { once: true });

      try {
        const response = await fetch(url, {
          method,
          headers: {
            ...this.#defaultHeaders,
            ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
            ...options.headers,
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: controller.signal,
        });
        const elapsedMs = Math.round(performance.now() - started);
        this.events.emit("response", { url, status: response.status, elapsedMs });

        if (response.ok) {
          if (response.status === 204 || method === "HEAD") {
            return undefined as T;
          }
          const contentType = response.headers.get("content-type") ?? "";
          return (contentType.includes("json") ? await response.json() : await response.text()) as T;
        }

        const text = await response.text();
        const error = new HttpError(response.status, url, text.slice(0, 512));
        if (!retryable.has(response.status) || attempt === this.#policy.attempts) {
          throw error;
        }
        lastError = error;
      } catch (err) {
        if (err instanceof HttpError) throw err;
        if (options.signal?.aborted) throw options.signal.reason ?? err;
        lastError = err;
        if (attempt === this.#policy.attempts) break;
      } finally {
        if (timer !== undefined) clearTimeout(timer);
        options.signal?.removeEventListener("abort", onOuterAbort);
      }

      const delayMs = backoffDelay(this.#policy, attempt);
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      this.events.emit("retry", { url, attempt, delayMs, reason });
      await sleep(delayMs);
    }

    throw lastError instanceof Error ? lastError : new Error(`Request failed: ${String(lastError)}`);
  }
}
