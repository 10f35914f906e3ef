/**
 * `ananke generate` with a server backend against `ananke serve` itself: a real server (the test
 * model: real Qwen3 tokenizer, random weights) on a loopback port, the built CLI in a child process.
 * Every request format Maze sends is one `ananke serve` reads, so each goes end to end: the server
 * enforces the constraint, the CLI checks the text again. With random weights a text may be cut
 * off by --max-tokens; it is never a rejected one passed off as accepted.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { loadLocalModel, type LocalModel } from '../../src/maze/index.ts';
import { startServer, type AnankeServer } from '../../src/serve/index.ts';
import { generateAgainst, remoteProject, type RemoteRun } from '../helpers/generate-remote.ts';

let model: LocalModel;
let server: AnankeServer;
let dir = '';

before(async () => {
  model = await loadLocalModel('test', { sequences: 2 });
  server = await startServer({ model, port: 0 });
  dir = remoteProject();
});
after(async () => {
  await server?.close();
  await model?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Exit 0 exactly when the text was accepted and checked; otherwise cut off, not wrong. */
function checkRun(r: RemoteRun, constraint: string): void {
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const rep = r.out!.report;
  assert.equal(rep.remote?.constraint, constraint);
  assert.equal(rep.remote?.url.startsWith(server.url), true);
  if (r.status === 0) assert.equal(rep.grammarAccepted, true);
  if (!rep.grammarAccepted) assert.equal(rep.truncated, true, `rejected, not cut off: ${JSON.stringify(rep.remote?.rejection)}`);
}

test('--server ananke: the ConstraintIR itself; json and new-function targets', async () => {
  checkRun(await generateAgainst(server.url, ['--backend', 'openai', '--server', 'ananke', '--seed', '1'], 'json', { dir }), 'constraint_ir');
  checkRun(await generateAgainst(server.url, ['--backend', 'openai', '--server', 'ananke', '--seed', '1'], 'function', { dir }), 'constraint_ir');
});

test('--server vllm, sglang, llamacpp: the schema in each one\'s field, read by ananke serve', async () => {
  for (const s of ['vllm', 'vllm-legacy', 'sglang', 'llamacpp']) {
    checkRun(await generateAgainst(server.url, ['--backend', 'openai', '--server', s, '--seed', '2'], 'json', { dir }), 'json_schema');
  }
});

test('--server vllm with a new function: the portable Lark grammar of the body', async () => {
  checkRun(await generateAgainst(server.url, ['--backend', 'openai', '--server', 'vllm', '--seed', '3'], 'function', { dir }), 'grammar');
});

test('--backend modal: POST /generate, the schema as constraints.json_schema', async () => {
  const r = await generateAgainst(server.url, ['--backend', 'modal', '--seed', '4'], 'json', { dir });
  checkRun(r, 'json_schema');
  assert.equal(r.out?.report.backend, 'modal');
});
