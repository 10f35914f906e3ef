/**
 * A real HTTP server on 127.0.0.1 (an ephemeral port) for tests of clients: it records every request
 * (method, path, headers, body parsed as JSON when it is JSON) and answers with the test's handler.
 * Used as a stand-in for servers that cannot run here (vLLM, SGLang: GPU servers), whose tests then
 * check the recorded request against the server's documentation.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body parsed as JSON; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless a string. */
  body?: unknown;
  /** Wait this long before answering (a slow server). */
  delayMs?: number;
}

export interface LoopbackServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startLoopbackServer(handler: (req: ReceivedRequest, n: number) => Reply | Promise<Reply>): Promise<LoopbackServer> {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text === '' ? undefined : text;
        try {
          if (text !== '') body = JSON.parse(text);
        } catch {
          // not JSON: kept as text for the test to look at
        }
        const r: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
        received.push(r);
        let reply: Reply;
        try {
          reply = await handler(r, received.length);
        } catch (e) {
          reply = { status: 599, body: { error: { message: `the stand-in's check failed: ${(e as Error).message}` } } };
        }
        if (reply.delayMs) await new Promise((ok) => setTimeout(ok, reply.delayMs));
        if (res.destroyed) return;
        const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status ?? 200, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json', ...reply.headers });
        res.end(payload);
      })();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

/** An OpenAI completion answer (POST /v1/completions), as vLLM, SGLang and llama.cpp return it. */
export function completionAnswer(text: string, opts: { finishReason?: string; completionTokens?: number; model?: string } = {}): unknown {
  return {
    id: 'cmpl-test',
    object: 'text_completion',
    created: 1_700_000_000,
    model: opts.model ?? 'test-model',
    choices: [{ index: 0, text, logprobs: null, finish_reason: opts.finishReason ?? 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: opts.completionTokens ?? 7, total_tokens: 10 + (opts.completionTokens ?? 7) },
  };
}
