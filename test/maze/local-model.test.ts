/**
 * The local backend (src/maze/local-model.ts) on Ananke's test model: a random-weight GGUF with the
 * real Qwen3 vocabulary, made once into a temporary cache folder. Its text is meaningless; what is
 * tested is enforcement: only allowed tokens are sampled, end-of-sequence only when allowed, forced
 * tokens verbatim, a seed reproduces a run, and the engine's tokenizer cuts text as the model's.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnankeError } from '../../src/core/index.ts';
import { writeGguf, type GgufValue } from '../../src/maze/gguf.ts';
import { defaultThreads, loadLocalModel, POSITIVE_BIAS, type LocalModel } from '../../src/maze/local-model.ts';
import type { StepDecision } from '../../src/maze/model.ts';
import { testModelPath } from '../../src/maze/test-model.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ananke-local-'));
const cacheDir = path.join(tmp, 'cache');
let model: LocalModel;

before(async () => {
  model = await loadLocalModel('test', { cacheDir });
});
after(async () => {
  await model?.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

function maskOf(ids: readonly number[]): Uint32Array {
  const m = new Uint32Array((model.tokenizer.vocabSize + 31) >>> 5);
  for (const id of ids) m[id >>> 5]! |= 1 << (id & 31);
  return m;
}

function allBut(ids: readonly number[]): Uint32Array {
  const m = new Uint32Array((model.tokenizer.vocabSize + 31) >>> 5).fill(0xffffffff);
  for (const id of ids) m[id >>> 5]! &= ~(1 << (id & 31));
  return m;
}

async function rejects(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AnankeError, `not an AnankeError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

test('the test model loads from the cache: Ananke\'s test model, the Qwen3 vocabulary, its end tokens, one thread', () => {
  assert.equal(model.isTestModel, true);
  assert.match(model.name, /test model/i);
  assert.equal(model.architecture, 'llama');
  assert.equal(model.tokenizer.vocabSize, 151669);
  assert.equal(model.contextSize, 4096);
  assert.equal(model.threads, 1);
  assert.equal(model.path, testModelPath({ cacheDir }).path);
  // <|endoftext|>, <|im_end|>, and what llama.cpp adds (</s>, <|fim_pad|>, <|repo_name|>, <|file_sep|>).
  assert.deepEqual(model.eosTokens, [128247, 151643, 151645, 151662, 151663, 151664]);
  assert.equal(model.tokenizer.eosTokens, model.eosTokens);
  for (const id of model.eosTokens) assert.equal(model.tokenizer.isSpecial[id], 1);
  assert.equal(defaultThreads(true), 1);
  assert.equal(defaultThreads(false, 16), 4);
  assert.equal(defaultThreads(false, 2), 2);
});

test('the engine\'s tokenizer cuts text exactly as the model\'s does', () => {
  const texts = [
    'Hello, world!',
    'export function sum(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n',
    'def parse_header(line: str) -> dict[str, int]:\n    """Split a header."""\n    return {k: int(v) for k, v in (p.split("=") for p in line.split(";"))}\n',
    '    \n\n\t\t  trailing   \r\n',
    "It's we'll they're I'd YOU'VE 12345678 3.14159 1e-9",
    'naïve café — «quotes» “curly” 日本語のテキスト 한국어 Ελληνικά 🙂👩‍👩‍👧',
    '<|im_start|>system\nYou write code.<|im_end|>\n<|im_start|>user\n<think>x</think><|im_end|>',
    '{"a": [1, 2, {"b": null}], "c": "\\u00e9\\n"}',
    'fn main() { let v: Vec<u8> = vec![0x7f; 3]; println!("{:?}", v); }',
  ];
  for (const text of texts) assert.deepEqual(model.tokenizer.encode(text), model.promptTokens(text), JSON.stringify(text));
  // An empty prompt starts from BOS (Qwen's <|endoftext|>; the vocabulary adds no BOS otherwise).
  assert.deepEqual(model.promptTokens(''), [151643]);
  assert.deepEqual(model.promptTokens('hi'), model.tokenizer.encode('hi'));
  // Decoding the model's ids gives the text back.
  for (const text of texts) assert.equal(model.tokenizer.decode(model.promptTokens(text)), text);
});

test('with a mask of a handful of tokens, only those are sampled, for many seeds and temperatures', async () => {
  const allowed = [...new Set([...model.tokenizer.encode(' return x;'), ...model.tokenizer.encode('{}')])];
  const mask = maskOf(allowed);
  const seen = new Set<number>();
  for (let seed = 0; seed < 24; seed++) {
    const r = await model.generate('Write a function:', {
      maxTokens: 6, seed, temperature: [0.5, 1, 2][seed % 3], topP: 1,
      step: () => ({ mask, eosAllowed: false }),
    });
    assert.equal(r.stop, 'max_tokens');
    assert.equal(r.tokens.length, 6);
    for (const t of r.tokens) assert.ok(allowed.includes(t), `token ${t} not allowed (seed ${seed})`);
    for (const t of r.tokens) seen.add(t);
    assert.equal(r.modelMsPerToken.length, 6);
    assert.equal(r.biasMsPerToken.length, 6);
  }
  assert.ok(seen.size >= 2, `sampling explores the allowed set (${seen.size} seen)`);
});

test('both sides of the bias: few allowed (lifted by POSITIVE_BIAS) and few disallowed ("never") change what greedy picks', async () => {
  assert.equal(POSITIVE_BIAS, 1e4);
  const free = await model.generate('The answer is', { maxTokens: 4, temperature: 0, step: () => ({ mask: null, eosAllowed: false }) });
  const first = free.tokens[0]!;
  // Few disallowed: everything but greedy's first choice.
  const without = await model.generate('The answer is', { maxTokens: 1, temperature: 0, step: () => ({ mask: allBut([first]), eosAllowed: false }) });
  assert.notEqual(without.tokens[0], first);
  // Few allowed: two tokens greedy would not pick first.
  const pair = [without.tokens[0]!, 220];
  const lifted = await model.generate('The answer is', { maxTokens: 5, temperature: 0, step: () => ({ mask: maskOf(pair), eosAllowed: false }) });
  for (const t of lifted.tokens) assert.ok(pair.includes(t));
});

test('end of sequence only when allowed, whatever the mask bits of the end tokens say', async () => {
  const space = 220;
  let ends = 0;
  for (let seed = 0; seed < 12; seed++) {
    // One ordinary token and every end token allowed: the end comes (six end ids against one).
    const r = await model.generate('x', { maxTokens: 16, seed, temperature: 1, step: () => ({ mask: maskOf([space]), eosAllowed: true }) });
    if (r.stop === 'eos') ends++;
    for (const t of r.tokens) assert.equal(t, space);
    assert.ok(!r.tokens.some((t) => model.eosTokens.includes(t)), 'the end token is not in tokens');
  }
  assert.ok(ends > 0, 'the end is sampled when allowed');
  for (let seed = 0; seed < 12; seed++) {
    // The end tokens' mask bits are set but eosAllowed is false: never an end.
    const r = await model.generate('x', { maxTokens: 16, seed, temperature: 2, topP: 1, step: () => ({ mask: maskOf([space, ...model.eosTokens]), eosAllowed: false }) });
    assert.equal(r.stop, 'max_tokens');
    assert.deepEqual(r.tokens, new Array(16).fill(space));
    const free = await model.generate('x', { maxTokens: 8, seed, temperature: 2, topP: 1, step: () => ({ mask: null, eosAllowed: false }) });
    assert.equal(free.stop, 'max_tokens');
  }
  // Only end tokens allowed: the generation ends without a model step.
  const only = await model.generate('x', { maxTokens: 5, step: () => ({ mask: maskOf([]), eosAllowed: true }) });
  assert.deepEqual([only.stop, only.tokens, only.modelMsPerToken.length], ['eos', [], 0]);
  // Nothing allowed at all.
  const none = await model.generate('x', { maxTokens: 5, step: () => ({ mask: maskOf([]), eosAllowed: false }) });
  assert.deepEqual([none.stop, none.tokens], ['no_allowed_token', []]);
});

test('forced tokens appear verbatim, are fed to the model, and a forced end ends the run', async () => {
  const hello = model.tokenizer.encode('def hello');
  const tail = model.tokenizer.encode('(name):');
  const calls: number[] = [];
  const r = await model.generate('# Python\n', {
    maxTokens: 12, seed: 3, temperature: 0,
    step: (g): StepDecision => {
      calls.push(g.length);
      if (g.length === 0) return { mask: null, eosAllowed: false, forced: hello };
      if (g.length === hello.length + 2) return { mask: null, eosAllowed: false, forced: tail };
      return { mask: null, eosAllowed: false };
    },
  });
  assert.deepEqual(r.tokens.slice(0, hello.length), hello);
  assert.deepEqual(r.tokens.slice(hello.length + 2, hello.length + 2 + tail.length), tail);
  assert.equal(r.tokens.length, 12);
  assert.equal(r.modelMsPerToken.length, 12 - hello.length - tail.length, 'forced tokens are not sampled');
  // Fed to the model: greedy after forcing `def hello` is greedy after a prompt ending in it.
  const prompt = model.promptTokens('# Python\ndef hello');
  assert.deepEqual(prompt.slice(-hello.length), hello);
  const viaPrompt = await model.generate('# Python\ndef hello', { maxTokens: 2, temperature: 0, step: () => ({ mask: null, eosAllowed: false }) });
  assert.deepEqual(r.tokens.slice(hello.length, hello.length + 2), viaPrompt.tokens);
  // A forced end token: the run ends there, with what came before it.
  const end = await model.generate('x', { maxTokens: 9, step: () => ({ mask: null, eosAllowed: true, forced: [...hello, 151645, 11] }) });
  assert.deepEqual([end.stop, end.tokens], ['forced_end', hello]);
  // Forced tokens past max tokens are cut there.
  const cut = await model.generate('x', { maxTokens: 2, step: () => ({ mask: null, eosAllowed: false, forced: [11, 12, 13] }) });
  assert.deepEqual([cut.stop, cut.tokens], ['max_tokens', [11, 12]]);
});

test('a deferred decision is worked out while the model evaluates: the same tokens, its mask enforced, its ends and errors kept', async () => {
  const allowed = [...new Set([...model.tokenizer.encode(' return x;'), ...model.tokenizer.encode('{}')])];
  const mask = maskOf(allowed);
  // A mask that takes a millisecond to work out, as a first mask in a new lexer state does.
  const slow = (d: StepDecision) => (): StepDecision => {
    const t = performance.now();
    while (performance.now() - t < 1) { /* busy */ }
    return d;
  };
  for (const seed of [1, 2, 3]) {
    const opts = { maxTokens: 12, seed, temperature: 1.5, topP: 1 };
    const nowRun = await model.generate('Write a function:', { ...opts, step: () => slow({ mask, eosAllowed: false })() });
    const later = await model.generate('Write a function:', { ...opts, step: () => ({ decide: slow({ mask, eosAllowed: false }) }) });
    assert.deepEqual(later.tokens, nowRun.tokens, `seed ${seed}: the sampler saw the same bias`);
    for (const t of later.tokens) assert.ok(allowed.includes(t));
    assert.equal(nowRun.overlappedSteps, 0);
    // The runtime found the decision settled (worked out while it evaluated) at most steps.
    assert.ok(later.overlappedSteps! >= 9, `seed ${seed}: ${later.overlappedSteps} of 12 steps overlapped`);
    assert.equal(later.modelMsPerToken.length, 12);
  }
  // Deferred ends: only the end allowed, nothing allowed; the runtime's sample is dropped.
  let n = 0;
  const ends = await model.generate('x', { maxTokens: 9, seed: 1, step: () => ({ decide: () => (++n < 3 ? { mask: null, eosAllowed: false } : { mask: maskOf([]), eosAllowed: true }) }) });
  assert.deepEqual([ends.stop, ends.tokens.length, ends.modelMsPerToken.length], ['eos', 2, 2]);
  const none = await model.generate('x', { maxTokens: 9, step: () => ({ decide: () => ({ mask: maskOf([]), eosAllowed: false }) }) });
  assert.deepEqual([none.stop, none.tokens], ['no_allowed_token', []]);
  // A decision that throws while the model evaluates fails the generation with its error, and the
  // sequence is free for the next one.
  await rejects(model.generate('x', { maxTokens: 4, step: () => ({ decide: () => { throw new AnankeError('PARSE', 'the grammar broke'); } }) }), 'PARSE', /the grammar broke/);
  await rejects(model.generate('x', { maxTokens: 4, step: () => ({ decide: () => ({ mask: null, eosAllowed: false, forced: [11] }) }) }), 'INTERNAL', /deferred step decision forced tokens/);
  const after = await model.generate('x', { maxTokens: 3, seed: 1, step: () => ({ mask: null, eosAllowed: false }) });
  assert.equal(after.tokens.length, 3);
});

test('a seed makes a run reproducible; onToken sees every token', async () => {
  const mask = allBut([]);
  const run = async (seed: number): Promise<number[]> => {
    const seen: number[] = [];
    const r = await model.generate('Once upon a time', { maxTokens: 24, seed, temperature: 1.2, topP: 0.9, onToken: (id) => seen.push(id), step: () => ({ mask, eosAllowed: false }) });
    assert.deepEqual(seen, r.tokens);
    return r.tokens;
  };
  const a = await run(42);
  assert.deepEqual(await run(42), a);
  assert.notDeepEqual(await run(43), a);
});

test('abort stops the run where it is; a signal aborted before the start generates nothing', async () => {
  const ctl = new AbortController();
  let count = 0;
  const r = await model.generate('x', {
    maxTokens: 50, seed: 1, signal: ctl.signal,
    onToken: () => { if (++count === 3) ctl.abort(); },
    step: () => ({ mask: null, eosAllowed: false }),
  });
  assert.equal(r.stop, 'aborted');
  assert.equal(r.tokens.length, 3);
  const pre = AbortSignal.abort();
  const r2 = await model.generate('x', { maxTokens: 50, signal: pre, step: () => ({ mask: null, eosAllowed: false }) });
  assert.deepEqual([r2.stop, r2.tokens], ['aborted', []]);
});

test('the context window bounds a run: a prompt longer than it is LIMIT; a run stops when it is full', async () => {
  const long = 'word '.repeat(5000);
  await rejects(model.generate(long, { maxTokens: 4, step: () => ({ mask: null, eosAllowed: false }) }), 'LIMIT', /prompt is \d+ tokens.*context window is 4096/);
  const nearly = 'a b '.repeat(1000);
  const n = model.promptTokens(nearly).length;
  assert.ok(n < 4096 - 3);
  const r = await model.generate(nearly + 'a b '.repeat(Math.floor((4096 - 3 - n) / 2)), { maxTokens: 50, step: () => ({ mask: null, eosAllowed: false }) });
  assert.equal(r.stop, 'max_tokens');
  assert.ok(r.tokens.length <= 4, `${r.tokens.length} tokens`);
  await rejects(model.generate('x', { maxTokens: 0, step: () => ({ mask: null, eosAllowed: false }) }), 'USAGE', /max tokens must be a positive integer/);
  await rejects(model.generate('x', { maxTokens: 1, topP: 0, step: () => ({ mask: null, eosAllowed: false }) }), 'USAGE', /top-p/);
});

test('bad model files are clear errors before the runtime sees them', async () => {
  await rejects(loadLocalModel(path.join(tmp, 'missing.gguf')), 'NOT_FOUND', /missing\.gguf: no such model file/);
  const text = path.join(tmp, 'readme.gguf');
  writeFileSync(text, '# not a model\n');
  await rejects(loadLocalModel(text), 'PARSE', /not a valid GGUF model file: it does not start with "GGUF"/);
  // The test model cut short: its header is whole, its weights are not.
  const cut = path.join(tmp, 'cut.gguf');
  copyFileSync(model.path, cut);
  writeFileSync(cut, readFileSync(cut).subarray(0, 8_000_000));
  await rejects(loadLocalModel(cut), 'PARSE', /token_embd\.weight.*past the end of the file.*truncated/);
  // A vocabulary that is not byte-level BPE.
  const spm = path.join(tmp, 'spm.gguf');
  writeGguf(spm, new Map<string, GgufValue>([
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', value: ['<unk>', '▁a'] }],
  ]), []);
  await rejects(loadLocalModel(spm), 'UNSUPPORTED', /vocabulary is of type 'llama'/);
  await rejects(loadLocalModel('test', { cacheDir, threads: 0 }), 'USAGE', /threads must be a positive integer/);
});
