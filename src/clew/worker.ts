/**
 * A worker thread that extracts facts: receives { id, path, source, language }, answers
 * { id, facts } or { id, error }. Started by pool.ts with tsx's loader in its execArgv.
 */
import { parentPort } from 'node:worker_threads';
import type { FileFacts, Language } from '../core/index.ts';
import { extractFileSync, prepareLanguage } from './extract-file.ts';

export interface WorkerTask {
  id: number;
  path: string;
  source: string;
  language: Language;
}

export type WorkerReply = { id: number; facts: FileFacts } | { id: number; error: string };

const port = parentPort;
if (port) {
  port.on('message', (task: WorkerTask) => {
    prepareLanguage(task.language)
      .then(() => {
        const reply: WorkerReply = { id: task.id, facts: extractFileSync(task.path, task.source, task.language) };
        port.postMessage(reply);
      })
      .catch((e: unknown) => {
        const reply: WorkerReply = { id: task.id, error: e instanceof Error ? e.message : String(e) };
        port.postMessage(reply);
      });
  });
}
