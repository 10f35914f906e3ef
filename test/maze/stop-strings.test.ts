/**
 * Stop strings (OpenAI's `stop`: "up to 4 sequences where the API will stop generating further
 * tokens. The returned text will not contain the stop sequence",
 * https://platform.openai.com/docs/api-reference/completions/create): the scanner's hold-back for
 * streams, and Maze with the real runtime and the test model — the text cut before the first
 * occurrence, what was streamed equal to what is returned, and the cut text checked afresh.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileConstraints } from '../../src/braid/index.ts';
import type { ConstraintIR } from '../../src/core/index.ts';
import { loadLocalModel, Maze, StopScanner, type LocalModel } from '../../src/maze/index.ts';

test('the scanner holds back a possible start of a stop string and cuts at the first occurrence', () => {
  const s = new StopScanner(['END', '\n\n']);
  assert.equal(s.push('abc E'), 'abc ', 'E may start END: held');
  assert.equal(s.push('N'), '', 'EN still may');
  assert.equal(s.push('x'), 'ENx', 'ENx cannot: released');
  assert.equal(s.push('\n'), '');
  assert.equal(s.push('\nmore'), '', 'the stop string and what follows are never shown');
  assert.deepEqual(s.hit, { index: 7, stop: '\n\n' });
  assert.equal(s.result, 'abc ENx');
  assert.equal(s.push('later'), '');
  assert.equal(s.end(), '');
  // The earliest occurrence wins, whichever string it is; one spanning pieces is found.
  const t = new StopScanner(['bc', 'abcd']);
  assert.equal(t.push('xa'), 'x');
  assert.equal(t.push('bcd'), '');
  assert.equal(t.result, 'x', 'abcd starts before bc');
  assert.equal(t.hit?.stop, 'abcd');
  // No stop string: what was held comes out at the end.
  const u = new StopScanner(['STOP']);
  assert.equal(u.push('go ST'), 'go ');
  assert.equal(u.end(), 'ST');
  assert.equal(u.result, 'go ST');
  assert.throws(() => new StopScanner(['']), /non-empty/);
});

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ananke-stop-'));
let model: LocalModel;
const maze = new Maze();
const FREE: ConstraintIR = { ...compileConstraints([], { target: { kind: 'json', schemaFile: 's.json' }, language: 'json', schema: {} }).ir, grammar: 'start: /(?s:.*)/' };
const JSON_IR = compileConstraints([], { target: { kind: 'json', schemaFile: 's.json' }, language: 'json', schema: { type: 'object', properties: { a: { type: 'array', items: { type: 'integer' } } }, required: ['a'] } }).ir;

before(async () => {
  model = await loadLocalModel('test', { cacheDir: path.join(tmp, 'cache') });
});
after(async () => {
  await model?.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

test('Maze: the text ends before the first stop string, the stream sends exactly that text, stop is stop_string', async () => {
  const base = await maze.generate(model, { ir: FREE, prompt: 'hello', maxTokens: 40, seed: 3, steer: false });
  assert.ok(base.text.length >= 12, `a long enough text: ${JSON.stringify(base.text)}`);
  // A stop string taken from the middle of the unstopped text: the same seed reaches it again.
  const at = Math.floor(base.text.length / 2);
  const stop = base.text.slice(at, at + 3);
  const first = base.text.indexOf(stop);
  const streamed: string[] = [];
  const r = await maze.generate(model, { ir: FREE, prompt: 'hello', maxTokens: 40, seed: 3, steer: false, stop: [stop, '\u0000never'], onText: (t) => streamed.push(t) });
  assert.equal(r.text, base.text.slice(0, first));
  assert.equal(r.stop, 'stop_string');
  assert.equal(r.stopString, stop);
  assert.equal(streamed.join(''), r.text, 'nothing streamed that the answer does not contain');
  assert.equal(r.grammarAccepted, true, 'free text is whole wherever it ends');
  // A stop string that never appears changes nothing.
  const same = await maze.generate(model, { ir: FREE, prompt: 'hello', maxTokens: 40, seed: 3, steer: false, stop: ['\u0000never'] });
  assert.equal(same.text, base.text);
  assert.equal(same.stop, base.stop);
});

test('Maze: a constrained text cut by a stop string is checked afresh and reported incomplete, not whole', async () => {
  // A JSON object always starts with `{"a`: a stop string inside it cuts the object open.
  const r = await maze.generate(model, { ir: JSON_IR, prompt: 'json', maxTokens: 30, seed: 1, stop: ['"a'] });
  assert.equal(r.stop, 'stop_string');
  assert.equal(r.text, r.text.slice(0, r.text.indexOf('"a') >= 0 ? r.text.indexOf('"a') : r.text.length));
  assert.doesNotMatch(r.text, /"a/);
  assert.equal(r.grammarAccepted, false, 'an open object is not a sentence of the grammar');
  assert.equal(r.truncated, false, 'not the budget: the stop string');
});

test('Maze: top-k and presence/frequency penalties reach the runtime; the mask still holds', async () => {
  const greedy = await maze.generate(model, { ir: JSON_IR, prompt: 'json', maxTokens: 30, seed: 2, topK: 1 });
  const again = await maze.generate(model, { ir: JSON_IR, prompt: 'json', maxTokens: 30, seed: 9, topK: 1 });
  assert.equal(greedy.text, again.text, 'top-k 1 is greedy whatever the seed');
  for (const seed of [1, 2, 3]) {
    const p = await maze.generate(model, { ir: JSON_IR, prompt: 'json', maxTokens: 30, seed, penalties: { presence: 2, frequency: 2 } });
    assert.ok(p.grammarAccepted || p.truncated, JSON.stringify(p.text));
    const n = await maze.generate(model, { ir: JSON_IR, prompt: 'json', maxTokens: 30, seed, penalties: { presence: -2, frequency: -2 } });
    assert.ok(n.grammarAccepted || n.truncated, JSON.stringify(n.text));
  }
  const penalised = await maze.generate(model, { ir: FREE, prompt: 'x', maxTokens: 30, seed: 5, topK: 1, penalties: { frequency: 2 } });
  assert.notEqual(penalised.text, (await maze.generate(model, { ir: FREE, prompt: 'x', maxTokens: 30, seed: 5, topK: 1 })).text, 'the penalty changes greedy text');
});
