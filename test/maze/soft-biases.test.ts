/**
 * Soft biases (src/maze/soft-biases.ts, token-bias.ts): a pattern's tokens resolved once per IR and
 * tokenizer; each step adds the weights to the allowed tokens only (never to a disallowed or end
 * token); with the real runtime and the test model, a strong bias changes the tokens chosen with
 * the same seed, and every sampled token is one the step's mask allowed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { compileConstraints } from '../../src/braid/index.ts';
import { describeRule, type Constraint, type ConstraintIR, type Rule, type SoftBias } from '../../src/core/index.ts';
import { seededRandom } from '../../src/engine/index.ts';
import { loadLocalModel, Maze, throughDecision, type LocalModel, type StepDecision, type StepModel } from '../../src/maze/index.ts';
import { biasReason, MAX_SOFT_BIAS, softBiasCacheStats, softBiasTable, type SoftBiasTable } from '../../src/maze/soft-biases.ts';
import { POSITIVE_BIAS, TokenBiasBuilder } from '../../src/maze/token-bias.ts';

// ---------------------------------------------------------------------------------------------
// The step's entries, without a runtime

/** A table over a small vocabulary: token id → weight. */
function table(vocab: number, weights: Map<number, number>): SoftBiasTable {
  const bits = new Uint32Array((vocab + 31) >>> 5);
  const weight = new Float32Array(vocab);
  for (const [id, w] of weights) { weight[id] = w; bits[id >>> 5]! |= 1 << (id & 31); }
  return { bits, weight, tokens: weights.size, matched: [] };
}

/** What each id's logit gets in total, summing every entry of an id (llama.cpp's logit-bias sampler adds them). */
function sums(b: TokenBiasBuilder): Map<number, number> {
  const out = new Map<number, number>();
  const keys = b.keys ?? new Uint32Array(0);
  const values = b.values ?? new Float32Array(0);
  assert.equal(keys.length, values.length);
  for (let i = 0; i < keys.length; i++) out.set(keys[i]!, (out.get(keys[i]!) ?? 0) + values[i]!);
  return out;
}

test('soft weights go to allowed tokens only: never a disallowed token, never an end token (property)', () => {
  fc.assert(fc.property(
    fc.integer({ min: 2, max: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1e6 }), fc.boolean(), fc.boolean(),
    (vocab, density, seed, eosAllowed, nullMask) => {
      const r = seededRandom(seed);
      const eos = [...new Set([vocab - 1, Math.floor(vocab / 3)])];
      const weights = new Map<number, number>();
      for (let id = 0; id < vocab; id++) if (r() < 0.3 && !eos.includes(id)) weights.set(id, Math.round((r() * 2 - 1) * MAX_SOFT_BIAS * 100) / 100 || 1);
      const soft = table(vocab, weights);
      const words = (vocab + 31) >>> 5;
      const mask = nullMask ? null : new Uint32Array(words).map(() => { let x = 0; for (let b = 0; b < 32; b++) if (r() < density) x |= 1 << b; return x; });
      const isAllowed = (id: number): boolean => (eos.includes(id) ? eosAllowed : mask === null || ((mask[id >>> 5]! >>> (id & 31)) & 1) === 1);
      const b = new TokenBiasBuilder(vocab, eos);
      // A fill without the table first, then with it (the arrays of both kinds of fill are kept apart).
      b.fill(mask, eosAllowed);
      const plain = sums(b);
      const allowed = b.fill(mask, eosAllowed, soft);
      const withSoft = sums(b);
      let n = 0;
      for (let id = 0; id < vocab; id++) if (isAllowed(id)) n++;
      assert.equal(allowed, n);
      for (let id = 0; id < vocab; id++) {
        const base = plain.get(id);
        const got = withSoft.get(id);
        const w = weights.get(id) ?? 0;
        if (!isAllowed(id)) {
          // Disallowed: exactly as without soft biases (-Infinity, or absent under the lift).
          assert.equal(got, base, `token ${id} is disallowed: no weight`);
        } else if (eos.includes(id)) {
          assert.equal(got, base, `end token ${id}: no weight`);
        } else {
          const want = (base ?? 0) + w;
          assert.ok(want === 0 ? got === undefined || got === 0 : Math.abs(got! - want) <= Math.abs(want) * 1e-6, `token ${id}: ${got} ≠ ${want}`);
        }
      }
      // The same fill again keeps the arrays; the table's absence is another fill.
      const keys = b.keys;
      b.fill(mask, eosAllowed, soft);
      assert.equal(b.reused, true);
      assert.equal(b.keys, keys);
      b.fill(mask, eosAllowed);
      assert.equal(b.reused, false);
      assert.deepEqual(sums(b), plain);
    },
  ), { numRuns: 300 });
});

test('a lifted token with a weight stays far above every disallowed token', () => {
  const b = new TokenBiasBuilder(64, [63]);
  const mask = new Uint32Array(2);
  mask[0] = 0b110; // tokens 1 and 2 allowed
  b.fill(mask, false, table(64, new Map([[1, -MAX_SOFT_BIAS], [5, MAX_SOFT_BIAS]])));
  const s = sums(b);
  assert.equal(s.get(1), POSITIVE_BIAS - MAX_SOFT_BIAS);
  assert.equal(s.get(2), POSITIVE_BIAS);
  assert.equal(s.has(5), false, 'token 5 is disallowed: no entry');
});

// ---------------------------------------------------------------------------------------------
// With the real runtime and the test model (Qwen3's tokens)

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ananke-soft-'));
let model: LocalModel;
const maze = new Maze();

before(async () => {
  model = await loadLocalModel('test', { cacheDir: path.join(tmp, 'cache') });
});
after(async () => {
  await model?.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

function constraint(id: string, rule: Rule, severity: Constraint['severity'] = 'error', confidence = 1): Constraint {
  return { id, kind: 'syntactic', severity, priority: 10, confidence, source: 'user_defined', rule, description: describeRule(rule) };
}

const HEAD = 'function sumAll(values: number[]): number ';

function irWith(constraints: Constraint[], softBiases?: SoftBias[]): ConstraintIR {
  const { ir } = compileConstraints(constraints, { target: { kind: 'new', file: 'x.ts', line: 1, signature: HEAD }, language: 'typescript', head: HEAD, fn: { name: '', async: false, kind: 'function' } });
  return softBiases ? { ...ir, softBiases } : ir;
}

/**
 * The test model, with every step's decision recorded: each sampled token is checked against the
 * mask of the step that sampled it (a copy: Maze reuses one buffer), and the count of steps kept.
 */
function watched(): { model: StepModel; steps: () => number; violations: string[] } {
  const violations: string[] = [];
  let steps = 0;
  const m: StepModel = {
    name: model.name, tokenizer: model.tokenizer, isTestModel: true,
    generate: async (prompt, opts) => {
      let last: { d: StepDecision; mask: Uint32Array | null; at: number } | undefined;
      const checkSampled = (generated: readonly number[]): void => {
        if (!last || last.d.forced?.length) return;
        for (let i = last.at; i < generated.length; i++) {
          const id = generated[i]!;
          const ok = model.eosTokens.includes(id) ? last.d.eosAllowed : last.mask === null || ((last.mask[id >>> 5]! >>> (id & 31)) & 1) === 1;
          if (!ok) violations.push(`token ${id} (${JSON.stringify(model.tokenizer.decode([id]))}) sampled at ${i} was not allowed`);
        }
      };
      const gen = await model.generate(prompt, {
        ...opts,
        step: (generated) => {
          checkSampled(generated);
          return throughDecision(opts.step(generated), (decide) => {
            const d = decide();
            if (!d.forced?.length) steps++;
            last = { d, mask: d.mask ? d.mask.slice() : null, at: generated.length };
            return d;
          });
        },
      });
      checkSampled(gen.tokens);
      return gen;
    },
  };
  return { model: m, steps: () => steps, violations };
}

test('the table of a pattern: the tokens whose text matches, end and special tokens never; built once per IR and tokenizer', () => {
  const tok = model.tokenizer;
  const biases: SoftBias[] = [{ pattern: '^\\s*return$', weight: 3, constraintId: 'c', why: 't' }, { pattern: '^\\s*return$', weight: 20, constraintId: 'd', why: 'clamped' }, { pattern: '<\\|', weight: 5, constraintId: 'e', why: 'special texts' }];
  const ir = { ...irWith([]), softBiases: biases };
  const built = softBiasCacheStats.built;
  const t = softBiasTable(ir, tok)!;
  assert.equal(softBiasCacheStats.built, built + 1);
  assert.equal(softBiasTable(ir, tok), t, 'the same IR again: the cached table');
  assert.equal(softBiasTable({ ...ir }, tok), t, 'an equal IR: the cached table');
  assert.equal(softBiasCacheStats.built, built + 1);
  const ret = tok.encode(' return');
  assert.equal(ret.length, 1);
  assert.equal(t.weight[ret[0]!], MAX_SOFT_BIAS, 'weights add up, clamped');
  for (const id of tok.eosTokens) assert.equal(t.weight[id], 0, `end token ${id} is never biased`);
  for (let id = 0; id < tok.vocabSize; id++) if (tok.isSpecial[id] === 1) assert.equal(t.weight[id], 0, `special token ${id}`);
  assert.equal(t.matched[0]!.tokens, t.matched[1]!.tokens);
  assert.ok(t.matched[0]!.tokens >= 2, 'return, " return", …');
  assert.equal(softBiasTable(irWith([]), tok), null, 'no biases: no table');
  assert.throws(() => softBiasTable([{ pattern: '(', weight: 1, constraintId: 'bad', why: '' }], tok), /bad: "\(" is not a regular expression/);
});

test('a pattern runs as an automaton: agrees with RegExp.test, refuses lookarounds, and a backtracking bomb costs one pass', () => {
  const tok = model.tokenizer;
  const pattern = '^\\s*(?:eval|exec)(?:[^\\w$][\\s\\S]*)?$';
  const t = softBiasTable([{ pattern, weight: -4, constraintId: 'avoid', why: 't' }], tok)!;
  const re = new RegExp(pattern);
  const d = new TextDecoder();
  for (let id = 0; id < tok.vocabSize; id++) {
    if (tok.isSpecial[id] === 1 || tok.eosTokens.includes(id)) continue;
    const bytes = tok.tokenBytes(id);
    const text = d.decode(bytes);
    if (text.includes('\ufffd')) continue; // a partial UTF-8 sequence: no text for RegExp to read
    assert.equal(t.weight[id] !== 0, re.test(text), `token ${id} ${JSON.stringify(text)}`);
  }
  assert.throws(() => softBiasTable([{ pattern: 'eval(?![\\w$])', weight: 1, constraintId: 'look', why: '' }], tok), /look: .* is not a regular expression: .*lookahead/);
  // Backtracking regex engines take exponential time on runs of '=' here; an automaton reads each token once.
  const t0 = performance.now();
  softBiasTable([{ pattern: '^(=+)+x$', weight: 1, constraintId: 'bomb', why: '' }], tok);
  assert.ok(performance.now() - t0 < 20_000, 'bounded');
});

test('a strong positive bias changes the chosen tokens with the same seed; every sampled token was allowed', async () => {
  const rules = [constraint('no-eval', { type: 'forbidden_calls', calls: ['eval'] })];
  const pattern = '^\\s*(?:return|const|let|if)$';
  const re = new RegExp(pattern);
  const plain = irWith(rules);
  const biased = irWith(rules, [{ pattern, weight: MAX_SOFT_BIAS, constraintId: 'pref', why: 'test' }]);
  const count = (text: string): number => model.tokenizer.encode(text).filter((id) => re.test(model.tokenizer.decode([id]))).length;
  let differ = 0;
  let plainHits = 0;
  let biasedHits = 0;
  for (const seed of [1, 2, 3]) {
    const w = watched();
    const a = await maze.generate(w.model, { ir: plain, prompt: 'Sum the values.\n', maxTokens: 30, seed, temperature: 0.8, steer: false });
    const b = await maze.generate(w.model, { ir: biased, prompt: 'Sum the values.\n', maxTokens: 30, seed, temperature: 0.8, steer: false });
    assert.deepEqual(w.violations, [], `seed ${seed}`);
    assert.ok(w.steps() > 0);
    if (a.text !== b.text) differ++;
    plainHits += count(a.text);
    biasedHits += count(b.text);
    assert.doesNotMatch(b.text, /\beval\b/);
  }
  assert.ok(differ >= 2, `the bias changed the text for ${differ} of 3 seeds`);
  assert.ok(biasedHits > plainHits, `biased tokens chosen: ${biasedHits} with the bias, ${plainHits} without`);
});

test('a bias toward forbidden or disallowed tokens never lets them through (every step checked)', async () => {
  const rules = [constraint('no-eval', { type: 'forbidden_calls', calls: ['eval'] })];
  // Toward eval (forbidden by the grammar), toward everything (the "few disallowed" side of most masks),
  // and toward the end-of-text spelling.
  const ir = irWith(rules, [
    { pattern: '^\\s*eval', weight: MAX_SOFT_BIAS, constraintId: 'toward-eval', why: 'test' },
    { pattern: '[\\s\\S]', weight: 2, constraintId: 'everything', why: 'test' },
    { pattern: '^[;}]$', weight: -MAX_SOFT_BIAS, constraintId: 'away', why: 'test' },
  ]);
  for (const seed of [5, 6, 7]) {
    const w = watched();
    const r = await maze.generate(w.model, { ir, prompt: 'Call eval.\n', maxTokens: 40, seed, temperature: 1 });
    assert.deepEqual(w.violations, [], `seed ${seed}`);
    assert.doesNotMatch(r.text, /\beval\b/, `seed ${seed}: ${r.text}`);
    if (!r.grammarAccepted) assert.equal(r.stop, 'max_tokens', `seed ${seed}: ended (${r.stop}) where the grammar does not accept`);
  }
});

test('Braid\'s soft biases reach the model: a soft forbidden call is biased, and the bias is reported with its weight', async () => {
  const soft = constraint('warn-eval', { type: 'forbidden_calls', calls: ['eval'] }, 'warning', 0.9);
  const ir = irWith([soft]);
  const e = ir.enforcement.find((x) => x.id === 'warn-eval')!;
  assert.equal(e.mode, 'advisory');
  assert.match(e.reason, /^biased \(weight -3\.6\)/);
  assert.deepEqual(ir.softBiases.map((b) => b.weight), [-3.6]);
  const t = softBiasTable(ir, model.tokenizer)!;
  const evalId = model.tokenizer.encode(' eval');
  assert.equal(evalId.length, 1);
  assert.ok(Math.abs(t.weight[evalId[0]!]! + 3.6) < 1e-6);
  const w = watched();
  const r = await maze.generate(w.model, { ir, prompt: 'x\n', maxTokens: 20, seed: 3 });
  assert.deepEqual(w.violations, []);
  assert.ok(r.stats.tokens > 0);
});

test('a report says a bias is advice only where no per-token bias reaches the model (a server given a grammar)', () => {
  const e = { reason: 'biased (weight 2.4): toward try; soft: severity warning', bias: { weight: 2.4 } };
  assert.equal(biasReason(e, true), e.reason);
  assert.match(biasReason(e, false), /^advisory only: this server takes no per-token bias .*so not biased \(weight 2\.4\)/);
  assert.equal(biasReason({ reason: 'soft: severity info' }, false), 'soft: severity info');
});
