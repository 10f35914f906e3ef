/**
 * `ananke serve`'s sampling fields end to end, and Maze's server backends against it: a real server
 * on loopback, the test model, plain HTTP.
 *
 * - OpenAI Completions (https://platform.openai.com/docs/api-reference/completions/create): `stop`
 *   ("The returned text will not contain the stop sequence"), `n` ("How many completions to
 *   generate for each prompt"), `seed`, `presence_penalty`, `frequency_penalty`; usage counts the
 *   completion tokens of every choice.
 * - vLLM's extra sampling parameters (https://docs.vllm.ai/en/latest/api/vllm/sampling_params/):
 *   `top_k`; its answers name the stop string that ended a choice in `stop_reason`.
 * - Maze's `openai` (--server vllm, ananke) and `modal` backends with a max_tokens too small for the
 *   served model to end the JSON: the text comes back cut off (finish_reason "length") and the
 *   backend appends the grammar's shortest completion (docs/maze-servers.md).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { compileConstraints } from '../../src/braid/index.ts';
import { compileJsonSchema } from '../../src/engine/index.ts';
import { ModalBackend, OpenAICompatibleBackend } from '../../src/maze/index.ts';
import { accepts, harness, type Harness } from './helpers.ts';

let h: Harness;
before(async () => { h = await harness({ limits: { parallel: 2 } }); });
after(async () => { await h?.close(); });

const SCHEMA = { type: 'object', properties: { id: { type: 'integer' }, tag: { enum: ['a', 'b'] } }, required: ['id', 'tag'], additionalProperties: false };
const FREE = { prompt: 'hello there', max_tokens: 40, temperature: 0.9 };

test('stop: the text ends before the first stop string, finish_reason stop, stop_reason names it; streamed the same', async () => {
  const base = await h.post('/v1/completions', { ...FREE, seed: 11 });
  const text: string = base.json.choices[0].text;
  assert.ok(text.length >= 12, JSON.stringify(text));
  const stop = text.slice(Math.floor(text.length / 2), Math.floor(text.length / 2) + 2);
  const r = await h.post('/v1/completions', { ...FREE, seed: 11, stop: [stop, 'never-there'] });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const c = r.json.choices[0];
  assert.equal(c.text, text.slice(0, text.indexOf(stop)));
  assert.equal(c.finish_reason, 'stop');
  assert.equal(c.stop_reason, stop);
  assert.equal(r.json.ananke.stop, 'stop_string');
  assert.equal(r.json.ananke.stop_string, stop);
  const s = await h.stream('/v1/completions', { ...FREE, seed: 11, stop, stream: true });
  const chunks = s.events.slice(0, -1);
  assert.equal(chunks.map((e: any) => e.choices[0].text).join(''), c.text, 'no chunk carried text the answer does not have');
  assert.equal(chunks.at(-1).choices[0].finish_reason, 'stop');
});

test('stop with a constraint: the cut text is checked afresh; grammar_accepted false when the object is still open', async () => {
  const r = await h.post('/v1/chat/completions', { messages: [{ role: 'user', content: 'json' }], structured_outputs: { json: SCHEMA }, seed: 3, max_tokens: 40, stop: '{' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.choices[0].message.content.trim(), '', 'the text before the object\'s first byte');
  assert.equal(r.json.choices[0].finish_reason, 'stop');
  assert.equal(r.json.ananke.stop, 'stop_string');
  assert.equal(r.json.ananke.grammar_accepted, false);
});

test('n: several choices, each its own generation (seed + i), usage summed; each choice carries its ananke report', async () => {
  const r = await h.post('/v1/chat/completions', { messages: [{ role: 'user', content: 'json' }], structured_outputs: { json: SCHEMA }, n: 3, seed: 20, max_tokens: 48 });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const choices = r.json.choices;
  assert.deepEqual(choices.map((c: any) => c.index), [0, 1, 2]);
  assert.equal(r.json.ananke, undefined);
  for (const c of choices) {
    assert.equal(c.ananke.constraint, 'structured_outputs.json');
    if (c.finish_reason === 'stop') assert.ok(accepts(compileJsonSchema(SCHEMA), c.message.content), c.message.content);
  }
  // Choice i is the single request with seed 20 + i.
  const one = await h.post('/v1/chat/completions', { messages: [{ role: 'user', content: 'json' }], structured_outputs: { json: SCHEMA }, seed: 21, max_tokens: 48 });
  assert.equal(choices[1].message.content, one.json.choices[0].message.content);
  // Streamed: chunks told apart by index, a finish per choice.
  const s = await h.stream('/v1/completions', { ...FREE, n: 2, seed: 4, stream: true });
  const chunks = s.events.slice(0, -1);
  for (const i of [0, 1]) {
    const mine = chunks.filter((e: any) => e.choices[0].index === i);
    assert.equal(mine.filter((e: any) => e.choices[0].finish_reason !== null).length, 1);
    const whole = await h.post('/v1/completions', { ...FREE, seed: 4 + i });
    assert.equal(mine.map((e: any) => e.choices[0].text).join(''), whole.json.choices[0].text);
  }
});

test('top_k, seed, presence and frequency penalties are accepted and applied; repetition_penalty and logprobs stay 400s naming them', async () => {
  const a = await h.post('/v1/completions', { ...FREE, top_k: 1, seed: 1 });
  const b = await h.post('/v1/completions', { ...FREE, top_k: 1, seed: 2 });
  assert.equal(a.status, 200, JSON.stringify(a.json));
  assert.equal(a.json.choices[0].text, b.json.choices[0].text, 'top_k 1 is greedy');
  const p = await h.post('/v1/completions', { ...FREE, top_k: 1, frequency_penalty: 2, presence_penalty: 1 });
  assert.equal(p.status, 200, JSON.stringify(p.json));
  assert.notEqual(p.json.choices[0].text, a.json.choices[0].text);
  for (const [field, value] of [['repetition_penalty', 1.2], ['logprobs', 3]] as const) {
    const r = await h.post('/v1/completions', { ...FREE, [field]: value });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.param, field);
  }
});

const jsonIr = compileConstraints([], { target: { kind: 'json', schemaFile: 'schema.json' }, language: 'json', schema: SCHEMA }).ir;

test('server backends against ananke serve: a JSON cut off by a small max_tokens is completed locally, reported, re-checked', async () => {
  for (const server of ['vllm', 'ananke'] as const) {
    const backend = new OpenAICompatibleBackend({ endpoint: h.server.url, server });
    const r = await backend.generate({ ir: jsonIr, prompt: 'an object', maxTokens: 2, seed: 1 });
    assert.equal(r.remote?.finishReason, 'length', `${server}: two tokens cannot end the object`);
    assert.equal(r.grammarAccepted, true, `${server}: ${JSON.stringify(r.text)}`);
    assert.equal(r.stop, 'forced_end');
    assert.ok(r.remote?.localCompletion && r.text.endsWith(r.remote.localCompletion.text), JSON.stringify(r.remote));
  }
  const modal = new ModalBackend({ endpoint: h.server.url });
  const m = await modal.generate({ ir: jsonIr, prompt: 'an object', maxTokens: 2, seed: 1 });
  assert.equal(m.remote?.finishReason, 'length');
  assert.equal(m.grammarAccepted, true, JSON.stringify(m.text));
  assert.ok(m.remote?.localCompletion);
  // The sampling fields reach the server (it would refuse what it cannot honour with a 400).
  const s = await new OpenAICompatibleBackend({ endpoint: h.server.url, server: 'ananke' }).generate({ ir: jsonIr, prompt: 'an object', maxTokens: 40, seed: 2, topK: 5, penalties: { presence: 0.5 }, stop: ['"tag'] });
  assert.equal(s.stop, 'stop_string');
  assert.equal(s.stopString, '"tag');
  const g = await modal.generate({ ir: jsonIr, prompt: 'an object', maxTokens: 40, seed: 2, topK: 5, stop: ['"tag'] });
  assert.equal(g.stop, 'stop_string');
});
