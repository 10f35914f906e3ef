/**
 * For the server tests: the real test model (real Qwen3 tokenizer, random weights), a real server
 * on an ephemeral loopback port, plain `fetch` as the client, and the engine as the judge of every
 * output.
 */
import { compile, byteTokenizer, type Grammar } from '../../src/engine/index.ts';
import { loadLocalModel, type LocalModel } from '../../src/maze/index.ts';
import { startServer, type AnankeServer, type ServeOptions } from '../../src/serve/index.ts';

export interface Harness {
  model: LocalModel;
  server: AnankeServer;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; json: any }>;
  /** A streamed request: every `data:` payload, parsed (`[DONE]` as the string). */
  stream(path: string, body: unknown): Promise<{ status: number; events: any[] }>;
  close(): Promise<void>;
}

export async function harness(opts: Omit<ServeOptions, 'model'> & { sequences?: number } = {}): Promise<Harness> {
  const { sequences, ...serve } = opts;
  const model = await loadLocalModel('test', { sequences: sequences ?? serve.limits?.parallel ?? 2 });
  const server = await startServer({ model, port: 0, ...serve });
  return {
    model,
    server,
    async post(path, body, headers = {}) {
      const r = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      const text = await r.text();
      let json: unknown;
      try { json = JSON.parse(text); } catch { json = text; }
      return { status: r.status, headers: r.headers, json };
    },
    async stream(path, body) {
      const r = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await r.text();
      const events = text.split('\n\n').filter((b) => b.startsWith('data: ')).map((b) => {
        const d = b.slice(6);
        return d === '[DONE]' ? d : JSON.parse(d);
      });
      return { status: r.status, events };
    },
    async close() {
      await server.close();
      await model.dispose();
    },
  };
}

/** Whether `text` is a whole sentence of `grammar` (the engine reads it afresh). */
export function accepts(grammar: Grammar, text: string): boolean {
  return compile(grammar, byteTokenizer()).check(text).accepted;
}

/** Whether `text` can still be continued into a sentence of `grammar` (an output cut by max_tokens). */
export function isPrefix(grammar: Grammar, text: string): boolean {
  const m = compile(grammar, byteTokenizer()).matcher();
  for (const b of new TextEncoder().encode(text)) if (!m.consume(b)) return false;
  return true;
}

/** The engine's verdict on an output: whole when the server says it ended, a valid prefix when max_tokens cut it. */
export function enforced(grammar: Grammar, text: string, finish: string): boolean {
  return finish === 'stop' ? accepts(grammar, text) : isPrefix(grammar, text);
}
