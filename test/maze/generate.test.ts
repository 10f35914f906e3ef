/**
 * Maze end to end with the real runtime and Ananke's test model (random weights, real Qwen3
 * tokens): for several seeds and constraint sets, every output is a text the IR grammar reads (a
 * complete sentence, or a viable prefix when the budget cut it off), and every hard constraint is
 * satisfied when checked independently by Clew on the output. What is tested is enforcement: the
 * model's text is meaningless.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileConstraints } from '../../src/braid/index.ts';
import { runPostChecks } from '../../src/clew/index.ts';
import { describeRule, type Constraint, type Rule } from '../../src/core/index.ts';
import { byteTokenizer, compile, parseLark } from '../../src/engine/index.ts';
import { Maze } from '../../src/maze/index.ts';
import { useTestModel } from '../helpers/test-model.ts';

const loaded = useTestModel('ananke-maze-');
const maze = new Maze();

function constraint(id: string, rule: Rule): Constraint {
  return { id, kind: 'syntactic', severity: 'error', priority: 10, confidence: 1, source: 'user_defined', rule, description: describeRule(rule) };
}

const TS_RULES: Constraint[] = [
  constraint('vars', { type: 'naming', identifierKind: 'variable', style: 'camelCase', language: 'typescript' }),
  constraint('params', { type: 'naming', identifierKind: 'parameter', style: 'camelCase', language: 'typescript' }),
  constraint('no-eval', { type: 'forbidden_calls', calls: ['eval', 'Function'] }),
];

/** The engine reads `text` to its end: a sentence, or a prefix of one cut off by the budget. */
function viable(grammar: string, text: string): boolean {
  const r = compile(parseLark(grammar), byteTokenizer()).check(text);
  return r.accepted || r.offset === Buffer.byteLength(text, 'utf8');
}

test('a new TypeScript function: the forced head, then only allowed tokens; every hard constraint holds', async () => {
  const head = 'function sumAll(values: number[]): number ';
  const { ir } = compileConstraints(TS_RULES, { target: { kind: 'new', file: 'x.ts', line: 1, signature: head }, language: 'typescript', head, fn: { name: '', async: false, kind: 'function' } });
  for (const seed of [1, 2, 3, 4]) {
    const r = await maze.generate(loaded.model, { ir, prompt: 'Sum the values.\n', maxTokens: 40, seed, temperature: 0.9 });
    const code = head + r.text;
    assert.ok(viable(ir.grammar, code), `seed ${seed}: the grammar reads the output\n${code}`);
    // Not complete only when the budget ran out (the end is allowed only where the grammar accepts).
    if (!r.grammarAccepted) assert.equal(r.stop, 'max_tokens', `seed ${seed}: stopped (${r.stop}) where the grammar does not accept`);
    assert.equal(r.truncated, !r.grammarAccepted);
    const checks = await runPostChecks(ir.postChecks, ir.constraints, { source: code, language: 'typescript', start: 0, end: code.length });
    for (const c of checks) assert.ok(!c.checked || c.satisfied, `seed ${seed}: ${c.constraintId} violated: ${JSON.stringify(c.violations)}\n${code}`);
    assert.ok(r.stats.maskUs.n > 0 && r.stats.tokens <= 40);
  }
  assert.ok(maze.cacheStats().hits >= 3, 'the compiled grammar is shared by the requests');
});

test('a JSON target: outputs are viable JSON prefixes, and complete ones validate', async () => {
  const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false };
  const { ir } = compileConstraints([], { target: { kind: 'json', schemaFile: 's.json' }, language: 'json', schema });
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const r = await maze.generate(loaded.model, { ir, prompt: '{', maxTokens: 48, seed, temperature: 0.7 });
    assert.ok(viable(ir.grammar, r.text), `seed ${seed}: ${JSON.stringify(r.text)}`);
    if (!r.grammarAccepted) assert.equal(r.stop, 'max_tokens', `seed ${seed}: stopped (${r.stop}) where the grammar does not accept`);
    else {
      const v = JSON.parse(r.text) as { ok: unknown };
      assert.equal(typeof v.ok, 'boolean');
      assert.deepEqual(Object.keys(v), ['ok']);
    }
  }
});

test('the same seed gives the same output; an aborted run stops', async () => {
  const head = 'function f(x: number): number ';
  const { ir } = compileConstraints(TS_RULES, { target: { kind: 'new', file: 'x.ts', line: 1, signature: head }, language: 'typescript', head, fn: { name: '', async: false, kind: 'function' } });
  const a = await maze.generate(loaded.model, { ir, prompt: 'p', maxTokens: 16, seed: 9, temperature: 0.8 });
  const b = await maze.generate(loaded.model, { ir, prompt: 'p', maxTokens: 16, seed: 9, temperature: 0.8 });
  assert.equal(a.text, b.text);
  const ac = new AbortController();
  ac.abort();
  const c = await maze.generate(loaded.model, { ir, prompt: 'p', maxTokens: 16, seed: 9, signal: ac.signal });
  assert.equal(c.stop, 'aborted');
});
