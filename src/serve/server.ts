/**
 * `ananke serve`'s HTTP server (Node's own http module): routes, the per-request lifecycle (Host
 * check, API key, body, request format, queue, generation, response or stream), and a clean close.
 *
 *   GET  /health               liveness and load (no API key needed, for load balancers)
 *   GET  /v1/models            the one model served
 *   POST /v1/completions       OpenAI Completions (+ vLLM / SGLang / llama.cpp constraint fields)
 *   POST /v1/chat/completions  OpenAI Chat Completions (same fields; `stream: true` as server-sent events)
 *   POST /generate             the upstream Ananke protocol
 *
 * Closing stops accepting connections, aborts what is generating or waiting (non-streamed requests
 * get a 503, streams an error event), waits for those answers to go out, then closes every
 * connection. The model belongs to the caller, who disposes of it after `close()`.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnankeError } from '../core/index.ts';
import { Maze, type LocalModel } from '../maze/index.ts';
import type { Limits } from '../engine/index.ts';
import { apiKeyCheck } from './auth.ts';
import { readJsonBody } from './body.ts';
import { loadChatTemplate, type ChatTemplate } from './chat-template.ts';
import { ConstraintCompiler } from './constraint-ir.ts';
import { runRequest, type Backend } from './generation.ts';
import { hostCheck } from './host-check.ts';
import { HttpError, toHttpError } from './http-error.ts';
import { DEFAULT_SERVE_LIMITS, REQUEST_ENGINE_LIMITS, type ServeLimits } from './limits.ts';
import { SamplerMemory } from './native-memory.ts';
import { SlotQueue } from './queue.ts';
import { chatRequest, completionRequest, generateRequest, type ServeRequest } from './requests.ts';
import { chatBody, chunk, completionBody, finishReason, anankeReport, generateBody, ResponseIds, usageChunk } from './responses.ts';
import { SseStream } from './sse.ts';

export interface ServeOptions {
  /** The model, loaded with at least `limits.parallel` sequences. */
  model: LocalModel;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  apiKey?: string;
  limits?: Partial<ServeLimits>;
  /** The model's name in requests and answers (default: the model's own name). */
  modelName?: string;
  /** A node-llama-cpp chat wrapper name (chat-template.ts); default chatML for the test model, else auto. */
  chatTemplate?: string;
  /** Engine limits for request grammars (default REQUEST_ENGINE_LIMITS). */
  engineLimits?: Partial<Limits>;
  /** Compiled grammars Maze keeps (LRU; default 16). */
  grammarCacheCapacity?: number;
  /** One line per request (default: none). */
  log?: (line: string) => void;
  /** Milliseconds close() waits for aborted requests to answer before dropping their connections (default 5,000). */
  closeGraceMs?: number;
}

export interface ServerStats {
  running: number;
  waiting: number;
  served: number;
  errors: number;
  /** Collections asked of V8 for the runtime's sampler memory (native-memory.ts). */
  collections: number;
}

export interface AnankeServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly modelName: string;
  readonly limits: ServeLimits;
  stats(): ServerStats;
  close(): Promise<void>;
}

/** The reason a request's signal aborts when its client goes away (nothing is sent back). */
const CLIENT_GONE = new HttpError(499, 'the client closed the connection', 'invalid_request_error', null, 'client_closed');

/** Slow request bodies are cut off: a client has this long to send its request. */
const REQUEST_RECEIVE_MS = 30_000;

export async function startServer(opts: ServeOptions): Promise<AnankeServer> {
  const limits: ServeLimits = { ...DEFAULT_SERVE_LIMITS, ...opts.limits };
  const host = opts.host ?? '127.0.0.1';
  const model = opts.model;
  if (model.sequences < limits.parallel) {
    throw new AnankeError('USAGE', `the model was loaded with ${model.sequences} sequence(s) but the server runs ${limits.parallel} requests at once: load it with sequences: ${limits.parallel}`);
  }
  const modelName = opts.modelName ?? model.name;
  const log = opts.log ?? (() => undefined);
  const checkKey = apiKeyCheck(opts.apiKey);
  const checkHost = hostCheck(host);
  let template: Promise<ChatTemplate> | undefined;
  const templateName = opts.chatTemplate ?? (model.isTestModel ? 'chatML' : 'auto');
  // One compile per request grammar, under the request limits: the compiler's check takes the
  // grammar from the Maze cache that generation then uses.
  const engineLimits = opts.engineLimits ?? REQUEST_ENGINE_LIMITS;
  const maze = new Maze({ cacheCapacity: opts.grammarCacheCapacity ?? 16, limits: engineLimits });
  const backend: Backend = {
    model,
    maze,
    compiler: new ConstraintCompiler(maze, model.tokenizer, limits, engineLimits),
    queue: new SlotQueue(limits.parallel, limits.queue),
    chatTemplate: () => (template ??= loadChatTemplate(templateName, model)),
    samplerMemory: new SamplerMemory(model.tokenizer.vocabSize),
  };
  // A bad --chat-template is a start-up error, not every chat request's.
  await backend.chatTemplate();
  const inFlight = new Map<AbortController, Promise<void>>();
  let closing = false;
  let served = 0;
  let errors = 0;

  const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  const modelCheck = (req: ServeRequest): void => {
    if (req.model !== undefined && req.model !== modelName) {
      throw new HttpError(404, `model ${JSON.stringify(req.model)} is not served here; this server serves ${JSON.stringify(modelName)} (GET /v1/models)`, 'not_found_error', 'model', 'model_not_found');
    }
  };

  async function generate(req: ServeRequest, res: ServerResponse, signal: AbortSignal): Promise<void> {
    modelCheck(req);
    if (req.route === 'generate' || !req.stream) {
      const o = await runRequest(backend, req, signal);
      const body = req.route === 'generate' ? generateBody(modelName, o, req.requestId)
        : req.route === 'chat' ? chatBody(new ResponseIds('chatcmpl'), modelName, o) : completionBody(new ResponseIds('cmpl'), modelName, o);
      sendJson(res, 200, body);
      return;
    }
    const route = req.route;
    const ids = new ResponseIds(route === 'chat' ? 'chatcmpl' : 'cmpl');
    const sse = new SseStream(res);
    try {
      // Each choice's pieces as they come (with `n` > 1 interleaved, told apart by `index`); each
      // choice's last chunk carries its finish_reason and its ananke report.
      const o = await runRequest(backend, req, signal, {
        onStart: () => {
          for (let index = 0; index < req.n; index++) {
            sse.send(route === 'chat' ? chunk(route, ids, modelName, { index, role: 'assistant', text: '' }) : chunk(route, ids, modelName, { index, text: '' }));
          }
        },
        onText: (text, index) => sse.send(chunk(route, ids, modelName, { index, text })),
      });
      for (const [index, c] of o.choices.entries()) {
        sse.send(chunk(route, ids, modelName, { index, ...(route === 'chat' ? {} : { text: '' }), finish: finishReason(c.result.stop), ananke: anankeReport(o, index) }));
      }
      if (req.includeUsage) sse.send(usageChunk(route, ids, modelName, o));
      sse.end();
    } catch (e) {
      // Once the stream has begun, the status is sent: the error travels as an event, as OpenAI's do.
      if (!res.headersSent) throw e;
      const err = toHttpError(e);
      if (err !== CLIENT_GONE) {
        sse.send(err.body());
        sse.end();
      }
      throw err;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = `${req.method} ${url.pathname}`;
    checkHost(req.headers);
    if (url.pathname === '/health') {
      if (req.method !== 'GET') throw new HttpError(405, 'use GET /health', 'invalid_request_error', null, 'method_not_allowed', { Allow: 'GET' });
      sendJson(res, closing ? 503 : 200, { status: closing ? 'closing' : 'ok', model: modelName, running: backend.queue.running, waiting: backend.queue.waiting, parallel: limits.parallel, queue: limits.queue });
      return;
    }
    checkKey(req.headers);
    if (closing) throw new HttpError(503, 'the server is shutting down', 'unavailable_error', null, 'shutting_down');
    const posts: Record<string, (body: Record<string, unknown>, l: ServeLimits) => ServeRequest> = {
      '/v1/completions': completionRequest, '/v1/chat/completions': chatRequest, '/generate': generateRequest,
    };
    if (route === 'GET /v1/models') {
      sendJson(res, 200, { object: 'list', data: [{ id: modelName, object: 'model', created: 0, owned_by: 'ananke', max_model_len: model.contextSize }] });
      return;
    }
    const parse = posts[url.pathname];
    if (!parse) {
      if (url.pathname === '/v1/models') throw new HttpError(405, 'use GET /v1/models', 'invalid_request_error', null, 'method_not_allowed', { Allow: 'GET' });
      throw new HttpError(404, `no route ${req.method} ${url.pathname} (routes: GET /health, GET /v1/models, POST /v1/completions, POST /v1/chat/completions, POST /generate)`, 'not_found_error', null, 'not_found');
    }
    if (req.method !== 'POST') throw new HttpError(405, `use POST ${url.pathname}`, 'invalid_request_error', null, 'method_not_allowed', { Allow: 'POST' });
    const body = await readJsonBody(req, limits.maxBodyBytes);
    await generate(parse(body, limits), res, signal);
  }

  const server = http.createServer((req, res) => {
    const t0 = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new HttpError(504, `the request did not finish within ${limits.timeoutMs / 1000} s (--timeout)`, 'timeout_error', null, 'timeout')), limits.timeoutMs);
    // A response closed before it finished: the client went away. Its generation stops.
    res.on('close', () => { if (!res.writableFinished) controller.abort(CLIENT_GONE); });
    const done = handle(req, res, controller.signal).then(
      () => { served++; },
      (e: unknown) => {
        // A client that left mid-body makes the body read fail: that is its leaving, not a bug.
        const err = controller.signal.reason === CLIENT_GONE ? CLIENT_GONE : toHttpError(e);
        if (err.status >= 500 && !(e instanceof HttpError)) log(`error: ${(e as Error)?.stack ?? String(e)}`);
        errors++;
        if (err !== CLIENT_GONE) sendJson(res, err.status, err.body(), err.headers);
      },
    ).finally(() => {
      clearTimeout(timer);
      inFlight.delete(controller);
      log(`${req.method} ${req.url} ${res.statusCode} ${(performance.now() - t0).toFixed(0)} ms`);
    });
    inFlight.set(controller, done);
  });
  server.requestTimeout = REQUEST_RECEIVE_MS;
  server.headersTimeout = Math.min(REQUEST_RECEIVE_MS, 20_000);

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new AnankeError('USAGE', `cannot listen on ${host}:${opts.port ?? 8000}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`, undefined, { cause: e })));
    server.listen(opts.port ?? 8000, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const urlHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closed: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${addr.port}`,
    host,
    port: addr.port,
    modelName,
    limits,
    stats: () => ({ running: backend.queue.running, waiting: backend.queue.waiting, served, errors, collections: backend.samplerMemory.collections }),
    close: () => (closed ??= (async () => {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const c of inFlight.keys()) c.abort(new HttpError(503, 'the server is shutting down', 'unavailable_error', null, 'shutting_down'));
      const grace = new Promise<void>((resolve) => setTimeout(resolve, opts.closeGraceMs ?? 5000).unref());
      await Promise.race([Promise.allSettled([...inFlight.values()]), grace]);
      server.closeAllConnections();
      await stopped;
    })()),
  };
}
