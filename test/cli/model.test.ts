/**
 * `ananke model create-test` and `ananke model info`, through the real binary (dist/, built by
 * `npm test`). The test model is written into a temporary folder and a temporary cache.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT } from '../../src/core/index.ts';
import { runCli } from '../helpers/cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ananke-cli-model-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const env = { ANANKE_CACHE_DIR: path.join(tmp, 'cache') };

test('model create-test writes the test model and says plainly that it is one; model info reads it back', () => {
  const out = path.join(tmp, 'm.gguf');
  const r = runCli(['model', 'create-test', out], { env });
  assert.equal(r.status, EXIT.OK, r.stderr);
  assert.match(r.stdout, /^wrote .*m\.gguf: 15\.\d MB, 151,669 tokens, in [\d.]+ s\na test model: random weights, so its text is meaningless/);
  assert.ok(statSync(out).size > 10e6);
  assert.deepEqual(readdirSync(tmp).filter((f) => f.endsWith('.tmp')), []);

  const info = runCli(['model', 'info', out], { env });
  assert.equal(info.status, EXIT.OK, info.stderr);
  assert.match(info.stdout, /^file +.*m\.gguf\nname +Ananke test model \(random weights, Qwen3 vocabulary\)\narchitecture +llama\nvocabulary +151,669 tokens \(gpt2, pre-tokenizer qwen2\)\ncontext size +4,096 tokens \(trained\)\nsize +15\.\d MB, 11 tensors\ntest model +yes: a test model.*\nlocal backend +supported\n$/);
});

test('model info test makes the test model once in the cache folder, then reuses it; --json', () => {
  const first = runCli(['model', 'info', 'test', '--json'], { env });
  assert.equal(first.status, EXIT.OK, first.stderr);
  const j = JSON.parse(first.stdout) as Record<string, unknown>;
  assert.deepEqual({ ...j, path: undefined, bytes: undefined }, {
    path: undefined, bytes: undefined, name: 'Ananke test model (random weights, Qwen3 vocabulary)', architecture: 'llama', vocabSize: 151669,
    contextLength: 4096, isTestModel: true, tensors: 11, vocabType: 'gpt2', preTokenizer: 'qwen2', localBackend: 'supported',
  });
  assert.ok(String(j['path']).startsWith(env.ANANKE_CACHE_DIR));
  assert.ok(existsSync(String(j['path'])));
  const again = runCli(['model', 'info', 'test'], { env });
  assert.equal(again.status, EXIT.OK);
  assert.equal(again.stderr, '', 'reused: no "created" note');
  assert.match(again.stdout, /test model +yes/);
});

test('model errors: a missing file 3, a file that is not GGUF 4, a bad option 2, a missing folder 3', () => {
  const missing = runCli(['model', 'info', path.join(tmp, 'none.gguf')], { env });
  assert.equal(missing.status, EXIT.NOT_FOUND);
  assert.match(missing.stderr, /^ananke: error \[NOT_FOUND\]: .*none\.gguf: no such model file/);
  const text = path.join(tmp, 'notes.gguf');
  writeFileSync(text, 'these are notes, not weights\n');
  const parse = runCli(['model', 'info', text], { env });
  assert.equal(parse.status, EXIT.PARSE);
  assert.match(parse.stderr, /^ananke: error \[PARSE\]: .*notes\.gguf is not a valid GGUF model file: it does not start with "GGUF"/);
  const usage = runCli(['model', 'create-test', path.join(tmp, 'x.gguf'), '--embedding-size', 'big'], { env });
  assert.equal(usage.status, EXIT.INVALID);
  assert.match(usage.stderr, /\[USAGE\]: --embedding-size must be a non-negative integer/);
  const folder = runCli(['model', 'create-test', path.join(tmp, 'no/such/x.gguf')], { env });
  assert.equal(folder.status, EXIT.NOT_FOUND);
  assert.match(folder.stderr, /\[NOT_FOUND\]: .*the folder .* does not exist/);
  const help = runCli(['model', 'create-test', '--help']);
  assert.match(help.stdout, /Examples?:\n {2}\$ ananke model create-test/);
  assert.match(help.stdout, /Exit status: 0 /);
});
