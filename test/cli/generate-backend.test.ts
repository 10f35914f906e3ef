/**
 * `ananke generate --backend openai|modal`, run as a user runs it (the built CLI in a child process)
 * against real HTTP servers on loopback. The stand-ins answer as vLLM, SGLang and the /generate
 * protocol document (their request bodies are checked field by field in
 * test/maze/request-formats.test.ts); here: the whole pipeline, the report, exit statuses, flags,
 * ananke.toml's [backend] and ANANKE_* variables. `generateAgainst` (helpers/generate-remote.ts)
 * takes any endpoint, so the same run works against `ananke serve`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { completionAnswer, startLoopbackServer, type LoopbackServer, type ReceivedRequest, type Reply } from '../helpers/loopback-server.ts';
import { generateAgainst, remoteProject, REMOTE_SIGNATURE } from '../helpers/generate-remote.ts';
import { runCliAsync } from '../helpers/cli-async.ts';

let dir = '';
const servers: LoopbackServer[] = [];
before(() => { dir = remoteProject(); });
after(async () => {
  for (const s of servers) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(handler: (r: ReceivedRequest, n: number) => Reply) {
  const s = await startLoopbackServer(handler);
  servers.push(s);
  return s;
}

const BODY = ' {\n  let totalSum = 0;\n  for (const itemValue of values) totalSum += itemValue;\n  return totalSum;\n}';

test('vLLM, json target: the schema in structured_outputs, the answer checked, exit 0, the server in the report', async () => {
  const s = await serve((r) => {
    assert.deepEqual((r.body as { structured_outputs: unknown }).structured_outputs, { json: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false } });
    return { body: completionAnswer('{"n": 42}', { model: 'served', completionTokens: 5 }) };
  });
  const r = await generateAgainst(s.url, ['--backend', 'openai', '--server', 'vllm', '--model', 'served'], 'json', { dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.out?.code, '{"n": 42}');
  assert.equal(r.out?.report.backend, 'openai');
  assert.equal(r.out?.report.grammarAccepted, true);
  assert.equal(r.out?.report.remote?.server, 'vllm');
  assert.equal(r.out?.report.remote?.url, `${s.url}/v1/completions`);
  assert.equal(r.out?.report.remote?.constraint, 'json_schema');
});

test('SGLang, new function with context: GBNF without the head, the prompt ends with the head, post-checks run on head + text', async () => {
  const s = await serve((r) => {
    // No --model: the CLI asks the server which model it serves.
    if (r.method === 'GET' && r.path === '/v1/models') return { body: { object: 'list', data: [{ id: 'sglang-model', object: 'model' }] } };
    const b = r.body as { ebnf: string; prompt: string; model: string };
    assert.equal(b.model, 'sglang-model');
    assert.match(b.ebnf, /^root ::= /m);
    assert.ok(b.prompt.trimEnd().endsWith(REMOTE_SIGNATURE), 'the model continues after the forced head');
    return { body: completionAnswer(BODY) };
  });
  const r = await generateAgainst(s.url, ['--backend', 'openai', '--server', 'sglang'], 'function', { dir });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.out?.code.startsWith(REMOTE_SIGNATURE) && r.out.code.endsWith(BODY), r.out?.code);
  assert.equal(r.out?.report.remote?.grammarFormat, 'gbnf');
  assert.equal(r.out?.report.model, 'test-model', 'the model the completion names');
  const checked = r.out!.report.constraints.filter((c) => c.checked);
  assert.ok(checked.length > 0, 'Clew\'s checks ran on the code');
  for (const c of checked) assert.equal(c.satisfied, true, c.id);
});

test('a server whose text the grammar rejects: exit 1, reported as rejected with where (not hidden)', async () => {
  const s = await serve(() => ({ body: completionAnswer(' {\n  return values +;\n}') }));
  const r = await generateAgainst(s.url, ['--backend', 'openai', '--server', 'vllm', '--model', 'm'], 'function', { dir });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.out?.report.grammarAccepted, false);
  assert.equal(r.out?.report.remote?.rejection?.line, 2);
  const plain = await runCliAsync(['generate', 'x', '--context', 'src', '--target', 'new:src/math.ts:1', '--signature', REMOTE_SIGNATURE, '--backend', 'openai', '--server', 'vllm', '--model', 'm', '--endpoint', s.url], { cwd: dir, env: { ANANKE_CACHE_DIR: path.join(dir, '.cache') } });
  assert.equal(plain.status, 1);
  assert.match(plain.stderr, /grammar rejected \(unexpected ";.*line 2, column \d+/);
  assert.match(plain.stdout, /return values \+;/, 'the text the server sent is shown as it was');
});

test('unreachable endpoint: exit 7, [SERVER], connection refused; a slow one: the --timeout names itself', async () => {
  const gone = await startLoopbackServer(() => ({}));
  await gone.close();
  const r = await runCliAsync(['generate', 'x', '--target', 'json:schema.json', '--backend', 'openai', '--server', 'vllm', '--model', 'm', '--endpoint', gone.url], { cwd: dir });
  assert.equal(r.status, 7, r.stderr);
  assert.match(r.stderr, /error \[SERVER\]: cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/completions: connection refused/);
  const slow = await serve(() => ({ delayMs: 5000, body: completionAnswer('{"n": 1}') }));
  const t = await runCliAsync(['generate', 'x', '--target', 'json:schema.json', '--backend', 'openai', '--server', 'vllm', '--model', 'm', '--endpoint', slow.url, '--timeout', '0.3'], { cwd: dir, env: { ANANKE_RETRIES: '0' } });
  assert.equal(t.status, 7, t.stderr);
  assert.match(t.stderr, /did not answer within 0\.3 s \(--timeout\)/);
  assert.equal(slow.received.length, 1, 'ANANKE_RETRIES=0: one attempt');
});

test('usage errors come before any work: exit 2 with what to give', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--backend', 'openai', '--endpoint', 'http://127.0.0.1:1'], /needs --server vllm\|vllm-legacy\|sglang\|llamacpp\|openai\|ananke/],
    [['--backend', 'openai', '--server', 'vllm'], /needs --endpoint URL/],
    [['--backend', 'openai', '--server', 'tgi', '--endpoint', 'http://127.0.0.1:1'], /--server must be one of/],
    [['--backend', 'remote'], /--backend must be local, openai or modal/],
    [['--server', 'vllm'], /--server is for --backend openai or modal/],
    [['--backend', 'modal', '--endpoint', 'http://127.0.0.1:1', '--server', 'vllm'], /--server is for --backend openai/],
    [['--backend', 'openai', '--server', 'vllm', '--endpoint', 'http://127.0.0.1:1', '--timeout', '0'], /--timeout must be a number/],
    [['--backend', 'openai', '--server', 'vllm', '--endpoint', 'not a url'], /--endpoint must be a URL/],
    [['--backend', 'openai', '--server', 'openai', '--endpoint', 'http://127.0.0.1:1'], /--server openai needs --model/],
  ];
  for (const [args, re] of cases) {
    const r = await runCliAsync(['generate', 'x', '--target', 'json:schema.json', ...args], { cwd: dir });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
  }
});

test('modal: POST /generate with the schema; ananke.toml [backend] and ANANKE_API_KEY instead of flags', async () => {
  const s = await serve((r) => {
    assert.equal(r.path, '/generate');
    assert.equal(r.headers['authorization'], 'Bearer secret-key');
    const b = r.body as { constraints: unknown; context: unknown; temperature: number; top_p: number };
    assert.deepEqual(b.constraints, { json_schema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false } });
    assert.deepEqual(b.context, { language: 'json', current_file: 'schema.json', metadata: { target: 'json:schema.json' } });
    assert.equal(b.temperature, 0.8, 'generate\'s default, not the server\'s');
    assert.equal(b.top_p, 0.95);
    return { body: { generated_text: '{"n": 7}', tokens_generated: 5, model: 'modal-model', stats: {} } };
  });
  const cfgDir = remoteProject();
  try {
    writeFileSync(path.join(cfgDir, 'ananke.toml'), `[backend]\ntype = "modal"\nendpoint = "${s.url}"\ntimeout = 30\nretries = 1\n`);
    const r = await runCliAsync(['generate', 'a value', '--target', 'json:schema.json', '--json'], { cwd: cfgDir, env: { ANANKE_API_KEY: 'secret-key' } });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { code: string; report: { backend: string; model: string } };
    assert.equal(out.code, '{"n": 7}');
    assert.equal(out.report.backend, 'modal');
    assert.equal(out.report.model, 'modal-model');
    assert.doesNotMatch(r.stdout + r.stderr, /secret-key/, 'the key is never printed');
    writeFileSync(path.join(cfgDir, 'ananke.toml'), '[backend]\ntype = "cloud"\n');
    const bad = await runCliAsync(['generate', 'a value', '--target', 'json:schema.json'], { cwd: cfgDir });
    assert.equal(bad.status, 4, bad.stderr);
    assert.match(bad.stderr, /backend\.type: expected one of local, openai, modal/);
    writeFileSync(path.join(cfgDir, 'ananke.toml'), '[backend]\napi_key = "x"\n');
    const key = await runCliAsync(['generate', 'a value', '--target', 'json:schema.json'], { cwd: cfgDir });
    assert.equal(key.status, 4);
    assert.match(key.stderr, /unknown key backend\.api_key/);
  } finally {
    rmSync(cfgDir, { recursive: true, force: true });
  }
});

test('--stop, --top-k, --presence-penalty, --frequency-penalty go to the server as vLLM names them; a cut-off text is completed here and said so', async () => {
  const s = await serve((r) => {
    const b = r.body as Record<string, unknown>;
    assert.deepEqual(b['stop'], ['\n\n', 'END']);
    assert.equal(b['top_k'], 12);
    assert.equal(b['presence_penalty'], 0.5);
    assert.equal(b['frequency_penalty'], 1);
    return { body: completionAnswer('{"n": 4', { finishReason: 'length', completionTokens: 4 }) };
  });
  const r = await generateAgainst(s.url, ['--backend', 'openai', '--server', 'vllm', '--model', 'm', '--stop', '\\n\\n', '--stop', 'END', '--top-k', '12', '--presence-penalty', '0.5', '--frequency-penalty', '1'], 'json', { dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.out?.code, '{"n": 4}');
  assert.equal(r.out?.report.stop, 'forced_end');
  const remote = r.out?.report.remote as { finishReason?: string; localCompletion?: { text: string } } | undefined;
  assert.equal(remote?.finishReason, 'length');
  assert.equal(remote?.localCompletion?.text, '}');
  const bad = await generateAgainst(s.url, ['--backend', 'openai', '--server', 'vllm', '--model', 'm', '--top-k', '-1'], 'json', { dir });
  assert.equal(bad.status, 2, bad.stderr);
});

test('--reserve-tokens asks the server for fewer tokens; --complete-bytes 0 leaves a cut-off text cut off (exit 1)', async () => {
  const maxTokens: unknown[] = [];
  const s = await serve((r) => {
    maxTokens.push((r.body as Record<string, unknown>)['max_tokens']);
    return { body: completionAnswer('{"n": 4', { finishReason: 'length', completionTokens: 4 }) };
  });
  const reserved = await generateAgainst(s.url, ['--backend', 'openai', '--server', 'vllm', '--model', 'm', '--reserve-tokens', '3'], 'json', { dir, extra: ['--max-tokens', '20'] });
  assert.equal(reserved.status, 0, reserved.stderr);
  assert.equal(maxTokens[0], 17);
  const off = await generateAgainst(s.url, ['--backend', 'openai', '--server', 'vllm', '--model', 'm', '--complete-bytes', '0'], 'json', { dir });
  assert.equal(off.status, 1, off.stderr);
  assert.equal(off.out?.code, '{"n": 4');
  assert.equal((off.out?.report.remote as { localCompletion?: unknown } | undefined)?.localCompletion, undefined);
  const bad = await generateAgainst(s.url, ['--backend', 'openai', '--server', 'vllm', '--model', 'm', '--complete-bytes', 'many'], 'json', { dir });
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /--complete-bytes/);
});
