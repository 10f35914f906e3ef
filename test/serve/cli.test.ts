/**
 * `ananke serve` as a command: it starts, says where it listens, serves, and on SIGINT answers what
 * is running with 503, frees the model and exits 0. The command runs from the sources through tsx
 * (run-cli.ts; as the other tests run src/), in a child process, so the signal is a real one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

const RUN = 'test/serve/run-cli.ts';

function serve(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', RUN, 'serve', ...args], {
    cwd: ROOT, env: { ...process.env, ANANKE_CACHE_DIR: undefined, ANANKE_API_KEY: undefined, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exit };
}

test('serve --model test --port 0: listens on loopback, serves, and SIGINT shuts it down cleanly (exit 0, requests answered 503)', async () => {
  const s = serve(['--model', 'test', '--port', '0', '--parallel', '1', '--api-key', 'k1'], {});
  try {
    const [, url] = await waitFor(s.stderr, /serving .* on (http:\/\/127\.0\.0\.1:\d+) \(1 at once, 32 waiting, API key required\)/);
    assert.match(s.stderr(), /test model \(random weights\)/);
    // The engine warm-up ran before the port opened (src/engine/warm-up).
    const warmed = s.stderr().indexOf('engine warmed up on 80 synthetic tool schemas');
    assert.ok(warmed >= 0 && warmed < s.stderr().indexOf('serving '), s.stderr());
    const ok = await fetch(`${url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer k1' }, body: JSON.stringify({ prompt: 'p', guided_choice: ['up'], max_tokens: 4 }) });
    assert.equal(((await ok.json()) as any).choices[0].text, 'up');
    assert.equal((await fetch(`${url}/v1/models`)).status, 401);
    // A long request is running when the signal comes.
    const long = fetch(`${url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer k1' }, body: JSON.stringify({ prompt: 'p', grammar: '%llguidance {}\nstart: item{50000}\nitem: /[a-z]+/ " "', max_tokens: 4096 }) });
    await waitFor(s.stderr, /POST \/v1\/completions 200/);
    for (let i = 0; ((await (await fetch(`${url}/health`)).json()) as any).running === 0; i++) {
      assert.ok(i < 400);
      await new Promise((r) => setTimeout(r, 25));
    }
    s.child.kill('SIGINT');
    const r = await long;
    assert.equal(r.status, 503);
    assert.equal(await s.exit, 0, s.stderr());
    assert.match(s.stderr(), /shutting down[\s\S]*stopped/);
  } finally {
    s.child.kill('SIGKILL');
  }
});

test('bad flags are usage errors (exit 2) before or right after the model loads', async () => {
  const port = serve(['--model', 'test', '--port', '70000']);
  assert.equal(await port.exit, 2);
  assert.match(port.stderr(), /--port must be an integer from 0 to 65535/);
  const template = serve(['--model', 'test', '--port', '0', '--chat-template', 'nope']);
  assert.equal(await template.exit, 2);
  assert.match(template.stderr(), /unknown chat template "nope"/);
  const lang = serve(['--model', 'test', '--port', '0', '--warm-up-langs', 'go,cobol']);
  assert.equal(await lang.exit, 2);
  assert.match(lang.stderr(), /--warm-up-langs: no grammar for the language 'cobol': known are typescript, javascript, python, go, rust/);
  const missing = serve(['--model', 'no-such-model.gguf', '--port', '0']);
  assert.equal(await missing.exit, 3);
});

test('serve --warm-up-langs: the named languages\' grammars walk their warm-up texts before the port opens', async () => {
  const s = serve(['--model', 'test', '--port', '0', '--no-warm-up', '--warm-up-langs', 'golang']);
  try {
    await waitFor(s.stderr, /serving .* on http:\/\/127\.0\.0\.1:\d+/);
    const warmed = /go grammar warmed up on (\d+) texts \((\d+) masks\)/.exec(s.stderr());
    assert.ok(warmed !== null && Number(warmed[1]) > 0 && Number(warmed[2]) > 100, s.stderr());
    assert.ok(warmed.index < s.stderr().indexOf('serving '), 'before listening');
    assert.doesNotMatch(s.stderr(), /engine warmed up on/, '--no-warm-up skips the schema warm-up alone');
    s.child.kill('SIGINT');
    assert.equal(await s.exit, 0, s.stderr());
  } finally {
    s.child.kill('SIGKILL');
  }
});
