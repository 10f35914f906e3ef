/**
 * One JSON request to an inference server, with explicit limits, and its failure sorted into what a
 * retry can fix (retry.ts: 408, 429, 5xx, no answer in time) and what it cannot (everything else).
 * Node's global fetch; no HTTP dependency.
 *
 * Limits: each attempt has `timeoutMs` for the whole exchange (connect, server work, body), and an
 * answer is read up to MAX_RESPONSE_BYTES. The caller's AbortSignal ends an attempt at once
 * (Aborted, never retried).
 */
import { AnankeError } from '../../core/index.ts';
import { Aborted, parseRetryAfter, RetryableFailure } from '../retry.ts';

/** An answer larger than this is not a completion Maze asked for (max_tokens bounds real ones). */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export interface JsonRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  apiKey?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Node's fetch reports network failures as TypeError with the system error as `cause`. */
function networkReason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running, and is --endpoint right?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve (check --endpoint)';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the server closed the connection';
  return cause?.message ?? (e as Error).message;
}

/** The server's own words: OpenAI `{error:{message}}`, SGLang `{message}`, FastAPI `{detail}`, or the text. */
export function serverMessage(text: string): string {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const err = j['error'];
    const m = (err && typeof err === 'object' ? (err as Record<string, unknown>)['message'] : err) ?? j['message'] ?? j['detail'];
    if (typeof m === 'string' && m !== '') return m.slice(0, 500);
    if (m !== undefined) return JSON.stringify(m).slice(0, 500);
  } catch {
    // not JSON: the text itself
  }
  return text.trim().slice(0, 500) || '(empty answer)';
}

function statusHint(status: number): string {
  if (status === 401 || status === 403) return ' (give the key with --api-key or ANANKE_API_KEY)';
  if (status === 404) return ' (check --endpoint, and that --server names this kind of server)';
  return '';
}

async function readCapped(res: Response, url: string): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > MAX_RESPONSE_BYTES) throw new AnankeError('SERVER', `${url} answered with ${declared} bytes, more than the ${MAX_RESPONSE_BYTES} Ananke reads`);
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > MAX_RESPONSE_BYTES) throw new AnankeError('SERVER', `${url} answered with more than the ${MAX_RESPONSE_BYTES} bytes Ananke reads`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Sends the request and returns the parsed JSON answer of a 2xx. Throws RetryableFailure (408, 429,
 * 5xx, timeout), Aborted (the caller's signal), or AnankeError('SERVER') for the rest.
 */
export async function requestJson(req: JsonRequest): Promise<unknown> {
  if (req.signal?.aborted) throw new Aborted();
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  if (req.apiKey) headers['authorization'] = `Bearer ${req.apiKey}`;
  const timedOut = (): RetryableFailure =>
    new RetryableFailure(new AnankeError('SERVER', `${req.url} did not answer within ${req.timeoutMs / 1000} s (--timeout)`));
  let res: Response;
  let text: string;
  try {
    // Redirects are not followed: a POST may turn into a GET, and the key would go to another host.
    res = await fetch(req.url, { method: req.method, headers, body: req.body === undefined ? undefined : JSON.stringify(req.body), signal, redirect: 'manual' });
    text = await readCapped(res, req.url);
  } catch (e) {
    if (req.signal?.aborted) throw new Aborted();
    if (timeout.aborted) throw timedOut();
    if (e instanceof AnankeError) throw e;
    throw new AnankeError('SERVER', `cannot reach ${req.url}: ${networkReason(e)}`, undefined, { cause: e });
  }
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    throw new RetryableFailure(
      new AnankeError('SERVER', `${req.url} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}: ${serverMessage(text)}`),
      parseRetryAfter(res.headers.get('retry-after')),
    );
  }
  if (res.status >= 300 && res.status < 400) {
    throw new AnankeError('SERVER', `${req.url} redirects (${res.status}) to ${res.headers.get('location') ?? 'an unnamed place'}: give the URL it names as --endpoint`);
  }
  if (!res.ok) {
    throw new AnankeError('SERVER', `${req.url} refused the request: ${res.status}${res.statusText ? ` ${res.statusText}` : ''}: ${serverMessage(text)}${statusHint(res.status)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AnankeError('SERVER', `${req.url} answered ${res.status} with something other than JSON: ${JSON.stringify(text.slice(0, 200))}`);
  }
}
