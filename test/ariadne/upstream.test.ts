/**
 * Files in the upstream Ariadne's documented core form (module, import, constraint blocks of
 * key: value properties, pub const, pub fn) parse, and compile to real constraints where a field
 * maps; every field that cannot is a warning saying so, never dropped silently.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { compileAriadne } from '../../src/ariadne/index.ts';
import { ROOT } from '../helpers/cli.ts';
import { brief, compile, shown } from './helpers.ts';

const DIR = path.join(ROOT, 'test/fixtures/ariadne/upstream');

test('an upstream-style file parses without errors and maps what maps', () => {
  const r = compileAriadne(['web_policy.ariadne'], { cwd: DIR });
  assert.equal(r.errors, 0, shown(r));
  assert.deepEqual(r.constraints, [{
    id: 'web-001', kind: 'security', severity: 'error', priority: 50, confidence: 1, source: 'user_defined',
    rule: { type: 'forbidden_calls', calls: ['eval', 'Function', 'setImmediate'] },
    description: 'do not call eval, Function, setImmediate',
    provenance: { file: 'web_policy.ariadne', line: 9, column: 1 },
  }]);
});

test('every upstream field that has no effect is a warning at the field, with the reason', () => {
  const r = compileAriadne(['web_policy.ariadne'], { cwd: DIR });
  assert.deepEqual(brief(r.diagnostics).map((d) => d.split(':').slice(0, 3).join(':')), [
    '6:8 warning: import std has no effect',
    '21:19 warning: field enforcement.language has no effect',
    '27:26 warning: field provenance.origin_artifact has no effect',
    '34:15 warning: field metadata has no effect',
    '41:12 warning: constraint typed_handlers compiles to nothing',
    '45:18 warning: field enforcement has no effect',
    '59:19 warning: field failure_mode has no effect',
    '64:13 warning: field repair has no effect',
    '74:12 warning: constraint audit_log compiles to nothing',
    '76:18 warning: field enforcement has no effect',
    '82:29 warning: field failure_mode .SoftWarn(…) has no effect',
    '95:1 warning: pub fn compile has no effect',
  ]);
  // `repair: null` and `depends_on: []` carry nothing and are not reported.
  assert.ok(!r.diagnostics.some((d) => d.line === 32 || d.line === 87));
});

test('the tutorial form compiles: requires → precondition, forbid → forbidden_calls; unknown fields are warnings', () => {
  const r = compileAriadne(['tutorial.ariadne'], { cwd: DIR });
  assert.equal(r.errors, 0, shown(r));
  assert.deepEqual(r.constraints.map((c) => [c.id, c.description, c.severity]), [
    ['secure_handlers.precondition', 'requires authentication && input_validation', 'warning'],
    ['secure_handlers.forbidden_calls', 'do not call eval, exec', 'error'],
    ['input_checks', 'do not call unsafe_eval, dynamic_sql', 'error'],
  ]);
  assert.deepEqual(brief(r.diagnostics).map((d) => d.split(':').slice(0, 3).join(':')), ['12:5 warning: field on_violation has no effect']);
});

test('upstream mappings: failure modes set severity, provenance sets source and confidence, conflicts are errors', () => {
  const r = compile(`
constraint a { forbid: [eval], failure_mode: .HardBlock, provenance: { source: .ClewMined, confidence_score: 0.9 } }
constraint b { ensures: "ok", failure_mode: .SoftWarn, provenance: { source: .LLMGenerated } }
constraint c { forbid: [x], failure_mode: .HardBlock, severity: .Warning }
constraint d { forbid: [x], source: .Documentation, provenance: { source: .ManualPolicy } }
constraint e { forbid: [x], provenance: { source: .TelemetryInferred } }
constraint f { name: "other", forbid: [y] }
`);
  assert.deepEqual(r.constraints.map((c) => [c.id, c.severity, c.source, c.confidence]), [
    ['a', 'error', 'ast_pattern', 0.9], ['b', 'warning', 'llm_analysis', 1], ['e', 'error', 'user_defined', 1], ['f', 'error', 'user_defined', 1],
  ]);
  assert.deepEqual(brief(r.diagnostics).map((d) => d.split(' (')[0]!.split(';')[0]), [
    '4:29 error: failure_mode says error but severity says warning',
    '5:53 error: provenance.source says user_defined but source says documentation',
    '6:51 warning: field provenance.source has no effect: .TelemetryInferred has no counterpart among the sources here',
    '7:22 warning: field name has no effect: a constraint is named by its block',
  ]);
});

test('queries that forbid calls by name map to forbidden_calls (in […], ==, #eq?, #any-of?); others do not', () => {
  const q = (body: string, action = '.Forbid') => compile(`constraint c { enforcement: .Structural({ pattern: query(python) {${body}}, action: ${action} }) }`);
  assert.deepEqual(q('(call function: (identifier) @f (#any-of? @f "eval" "exec"))').constraints[0]!.rule, { type: 'forbidden_calls', calls: ['eval', 'exec'] });
  assert.deepEqual(q('(call function: (identifier) @f) where @f == "compile"').constraints[0]!.rule, { type: 'forbidden_calls', calls: ['compile'] });
  const other = q('(string) @s');
  assert.equal(other.constraints.length, 0);
  assert.deepEqual(other.diagnostics.map((d) => d.message.split(':')[0]), ['constraint c compiles to nothing', 'field enforcement has no effect']);
  assert.match(other.diagnostics[1]!.message, /of the \.Structural form only a query that forbids calls by name/);
  assert.equal(q('(call function: (identifier) @f (#eq? @f "eval"))', '.Require').constraints.length, 0);
  const warn = q('(call function: (identifier) @f (#eq? @f "print"))', '.Warn').constraints[0]!;
  assert.deepEqual([warn.rule, warn.severity], [{ type: 'forbidden_calls', calls: ['print'] }, 'warning']);
});

test('upstream provenance: other sources and keys are warnings; a near miss of one of ours is an error', () => {
  const r = compile(`constraint a {
  forbid: [x]
  provenance: { source: .BestPractice, confidence_score: 0.8, rationale: "because", created_by: "team" }
}
constraint b { forbid: [y], provenance: { source: .AstPatern, colum: 3 } }
`);
  assert.deepEqual(brief(r.diagnostics).map((d) => d.split(' (')[0]!.split(';')[0]), [
    '3:25 warning: field provenance.source has no effect: .BestPractice has no counterpart among the sources here',
    '3:74 warning: field provenance.rationale has no effect: a constraint\'s provenance is a file, line and column',
    '3:97 warning: field provenance.created_by has no effect: a constraint\'s provenance is a file, line and column',
    '5:51 error: source: unknown constraint source .AstPatern',
    '5:63 error: provenance has no field \'colum\'',
  ]);
  assert.deepEqual(r.constraints.map((c) => [c.id, c.source, c.confidence]), [['a', 'user_defined', 0.8]]);
});
