/**
 * Ariadne's soft preferences with weights become Braid's soft biases (src/braid/soft-bias.ts): the
 * weight is the constraint's confidence, scaled into logits; a preference without a token pattern
 * stays advisory and says why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileConstraints } from '../../src/braid/index.ts';
import { BIAS_SCALE } from '../../src/braid/soft-bias.ts';
import { compile } from './helpers.ts';

const SOURCE = `
module prefs
constraint exceptions_please {
  error_handling: { style: .Exceptions, language: .Python }
  weight: 0.8
}
constraint no_async {
  async_style: { style: .Sync, language: .Python }
  weight: 0.5
}
constraint transfer_rules {
  requires: "amount > 0"
  weight: 0.6
}
constraint avoid_print {
  forbid: print
  severity: .Warning
}
`;

test('weighted soft preferences compile to soft biases with their weights; the enforcement says "biased (weight w)"', () => {
  const r = compile(SOURCE);
  assert.equal(r.errors, 0, JSON.stringify(r.diagnostics));
  const { ir } = compileConstraints(r.constraints, { target: { kind: 'module', language: 'python' }, language: 'python' });
  const byId = new Map(ir.enforcement.map((e) => [e.id, e]));
  const ids = r.constraints.map((c) => c.id);
  const [exc, sync, requires, avoid] = ids.map((id) => byId.get(id)!);
  assert.equal(exc!.mode, 'advisory');
  assert.match(exc!.reason, new RegExp(`^biased \\(weight ${+(BIAS_SCALE.preference * 0.8).toFixed(2)}\\): toward try`));
  assert.deepEqual(exc!.bias, { weight: +(BIAS_SCALE.preference * 0.8).toFixed(2), patterns: ['^\\s*(?:try)$'] });
  assert.match(sync!.reason, /^biased \(weight -1\.5\): away from async, await/);
  assert.equal(requires!.bias, undefined);
  assert.match(requires!.reason, /not biased: no token pattern expresses precondition rules/);
  assert.match(avoid!.reason, /^biased \(weight -4\): away from tokens spelling print/);
  assert.deepEqual(ir.softBiases.map((b) => [b.constraintId, b.weight]), [[exc!.id, 2.4], [sync!.id, -1.5], [avoid!.id, -4]]);
  for (const b of ir.softBiases) assert.doesNotThrow(() => new RegExp(b.pattern));
  assert.ok(new RegExp(ir.softBiases[2]!.pattern).test(' print'));
  assert.ok(!new RegExp(ir.softBiases[2]!.pattern).test(' printer'));
});

test('a json target gets no biases: its soft constraints say why', () => {
  const r = compile(SOURCE);
  const { ir } = compileConstraints(r.constraints, { target: { kind: 'json', schemaFile: 's.json' }, language: 'json', schema: { type: 'integer' } });
  assert.deepEqual(ir.softBiases, []);
});
