/**
 * Completing within the budget (src/maze/budget-steering.ts) with the real runtime and Ananke's
 * test model: with small max-tokens over many seeds, every output is a whole sentence of the IR
 * grammar (checked again from scratch), never cut off, with the appended completion counted in
 * `stats.steered`; where no completion fits in the budget, the result says truncated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileConstraints } from '../../src/braid/index.ts';
import type { ConstraintIR } from '../../src/core/index.ts';
import { byteTokenizer, compile, parseLark } from '../../src/engine/index.ts';
import { Maze, type GenerateResult } from '../../src/maze/index.ts';
import { useTestModel } from '../helpers/test-model.ts';
import { STEER_MARGIN } from '../../src/maze/budget-steering.ts';

const loaded = useTestModel('ananke-budget-');
const maze = new Maze();

/** The whole result (prefix + text + suffix) read again from scratch by the IR grammar. */
function sentence(ir: ConstraintIR, text: string): boolean {
  const whole = ir.rangeOnly ? text : `${ir.prefix ?? ''}${text}${ir.suffix ?? ''}`;
  return compile(parseLark(ir.grammar), byteTokenizer()).check(whole).accepted;
}

/** Generations for seeds 1..n: each complete, not truncated, within the budget; returns them. */
async function complete(name: string, ir: ConstraintIR, maxTokens: number, seeds: number): Promise<GenerateResult[]> {
  const out: GenerateResult[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const r = await maze.generate(loaded.model, { ir, prompt: 'Write it.\n', maxTokens, seed, temperature: 0.9 });
    const where = `${name}, seed ${seed}: ${JSON.stringify(r.text)}`;
    assert.ok(r.grammarAccepted, `${where}: not a sentence (stop ${r.stop})`);
    assert.ok(sentence(ir, r.text), `${where}: the grammar does not read it again`);
    assert.equal(r.truncated, false, where);
    assert.ok(r.stop === 'eos' || r.stop === 'forced_end', `${where}: stop ${r.stop}`);
    assert.ok(r.stats.tokens <= maxTokens, `${where}: ${r.stats.tokens} tokens`);
    assert.ok((r.stats.steered ?? -1) >= 0 && (r.stats.steered ?? 0) <= r.stats.tokens, `${where}: steered ${r.stats.steered}`);
    assert.ok((r.stats.completion?.checks ?? 0) > 0, `${where}: no completion was computed`);
    out.push(r);
  }
  return out;
}

const module = (language: 'typescript' | 'python' | 'go' | 'rust'): ConstraintIR =>
  compileConstraints([], { target: { kind: 'module', language }, language }).ir;

test('modules in the four languages, small budgets: whole sentences, the completion counted as steered', async () => {
  let steered = 0;
  for (const [lang, max, seeds] of [['typescript', 20, 8], ['python', 16, 8], ['go', 24, 4], ['rust', 20, 4]] as const) {
    for (const r of await complete(lang, module(lang), max, seeds)) steered += r.stats.steered!;
  }
  // The random model leaves calls and brackets open: some completions are not empty.
  assert.ok(steered > 0, 'no completion was ever appended');
});

test('a JSON Schema target and a new function (Braid IR with a forced head): whole sentences', async () => {
  const schema = { type: 'object', properties: { items: { type: 'array', items: { type: 'string' } }, count: { type: 'integer' } }, required: ['items', 'count'], additionalProperties: false };
  const json = compileConstraints([], { target: { kind: 'json', schemaFile: 's.json' }, language: 'json', schema }).ir;
  for (const r of await complete('json', json, 24, 6)) {
    const v = JSON.parse(r.text) as { items: unknown; count: unknown };
    assert.ok(Array.isArray(v.items) && Number.isInteger(v.count), r.text);
  }
  const head = 'function sumAll(values: number[]): number ';
  const fn = compileConstraints([], { target: { kind: 'new', file: 'x.ts', line: 1, signature: head }, language: 'typescript', head, fn: { name: '', async: false, kind: 'function' } }).ir;
  await complete('new function', fn, 12, 6);
});

test('fill in the middle: the completion lets the fixed suffix follow', async () => {
  const prefix = 'export function f(x: number): number {\n  const y = g(x, ';
  const suffix = ');\n  return y;\n}\n';
  const { ir } = compileConstraints([], { target: { kind: 'fim', file: 'a.ts', start: { line: 2, column: 19 }, end: { line: 2, column: 19 } }, language: 'typescript', prefix, suffix });
  await complete('fim', ir, 10, 5);
});

test('far from the budget no completion is computed; near it, each step', async () => {
  const r = await maze.generate(loaded.model, { ir: module('typescript'), prompt: 'x', maxTokens: 200, seed: 3 });
  assert.ok(r.grammarAccepted && !r.truncated, JSON.stringify(r.text));
  const checks = r.stats.completion!.checks;
  // Geometrically spaced checks while the slack is large, then one per step in the last window.
  assert.ok(checks < r.stats.tokens / 3, `${checks} completions for ${r.stats.tokens} tokens`);
  assert.ok(r.stats.tokens >= 200 - STEER_MARGIN - 8, `stopped early: ${r.stats.tokens} tokens`);
});

test('no completion fits: the result says truncated', async () => {
  // The forced head in the generated part (no prefix): a budget smaller than the head cannot end.
  const head = 'export function sumAllValuesOfTheList(values: number[], start: number): number ';
  const fn = compileConstraints([], { target: { kind: 'new', file: 'x.ts', line: 1, signature: head }, language: 'typescript', head, fn: { name: '', async: false, kind: 'function' } }).ir;
  const headless: ConstraintIR = { ...fn, prefix: undefined };
  const r = await maze.generate(loaded.model, { ir: headless, prompt: 'x', maxTokens: 6, seed: 1 });
  assert.equal(r.truncated, true);
  assert.equal(r.grammarAccepted, false);
  assert.equal(r.stop, 'max_tokens');
  assert.equal(r.stats.steered, 0);
  // What was written is read to its end by the grammar: cut off, not wrong.
  const check = compile(parseLark(headless.grammar), byteTokenizer()).check(r.text);
  assert.ok(check.incomplete, `${JSON.stringify(r.text)}: ${check.message}`);
  // A JSON Schema whose required keys alone outgrow the budget.
  const schema = { type: 'object', properties: { aVeryLongRequiredPropertyName: { type: 'boolean' }, anotherQuiteLongRequiredName: { type: 'boolean' } }, required: ['aVeryLongRequiredPropertyName', 'anotherQuiteLongRequiredName'] };
  const json = compileConstraints([], { target: { kind: 'json', schemaFile: 's.json' }, language: 'json', schema }).ir;
  const j = await maze.generate(loaded.model, { ir: json, prompt: '{', maxTokens: 5, seed: 2 });
  assert.equal(j.truncated, true, `${JSON.stringify(j.text)} (stop ${j.stop})`);
  assert.equal(j.stats.steered, 0);
});
