/**
 * Server-sent events as OpenAI-compatible servers stream them: `data: <json>` lines separated by a
 * blank line, ending with `data: [DONE]`. The status and headers go out with the first event, once
 * the request has been checked, so a bad request is still an error status. Writes after the client
 * has gone are dropped (the generation is being cancelled by then).
 */
import type { ServerResponse } from 'node:http';

export class SseStream {
  private started = false;

  constructor(private readonly res: ServerResponse) {}

  get open(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      // Proxies that buffer (nginx) would hold the tokens back until the end.
      'X-Accel-Buffering': 'no',
    });
  }

  send(data: unknown): void {
    this.start();
    if (this.open) this.res.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    this.start();
    if (this.open) this.res.end('data: [DONE]\n\n');
  }
}
