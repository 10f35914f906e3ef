import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnankeError, ERROR_CODES, EXIT, describeRule, type Constraint, type Rule } from '../../src/core/index.ts';
import { ConflictError, resolveConflicts, type ConflictResolution } from '../../src/braid/conflicts.ts';

let counter = 0;
function c(rule: Rule, o: Partial<Constraint> = {}): Constraint {
  return {
    id: o.id ?? `c${++counter}`, kind: 'syntactic', severity: 'warning', priority: 1, confidence: 0.9, source: 'ast_pattern',
    rule, description: describeRule(rule), ...o,
  };
}

const naming = (identifierKind: 'variable' | 'function' | 'type', style: 'camelCase' | 'snake_case' | 'PascalCase' | 'lowercase', o: Partial<Constraint> = {}, extra: Partial<Extract<Rule, { type: 'naming' }>> = {}) =>
  c({ type: 'naming', identifierKind, style, ...extra }, o);

/** Every input constraint ends in exactly one of kept, dropped, merged. */
function assertPartition(input: Constraint[], r: ConflictResolution): void {
  const seen = new Map<string, string>();
  for (const k of r.kept) seen.set(k.id, 'kept');
  for (const d of r.dropped) {
    assert.ok(!seen.has(d.id), `${d.id} is dropped and ${seen.get(d.id)}`);
    seen.set(d.id, 'dropped');
  }
  for (const m of r.merged) {
    assert.ok(!seen.has(m.id), `${m.id} is merged and ${seen.get(m.id)}`);
    seen.set(m.id, 'merged');
  }
  assert.deepEqual([...seen.keys()].sort(), input.map((x) => x.id).sort());
}

function run(input: Constraint[], opts?: Parameters<typeof resolveConflicts>[1]): ConflictResolution {
  const r = resolveConflicts(input, opts);
  assertPartition(input, r);
  return r;
}

function conflictError(e: unknown): ConflictError {
  assert.ok(e instanceof ConflictError, String(e));
  assert.ok(e instanceof AnankeError);
  assert.equal(e.code, 'CONFLICT');
  assert.equal(e.exitCode, EXIT.INVALID);
  return e;
}

const isConflictError = (e: unknown): boolean => conflictError(e) !== undefined;

test('CONFLICT is an error code with an exit status and a description', () => {
  assert.equal(ERROR_CODES.CONFLICT.exit, EXIT.INVALID);
  assert.ok(ERROR_CODES.CONFLICT.what.length > 0);
});

test('a compatible set has no conflict and keeps every constraint as given', () => {
  const input = [
    naming('variable', 'camelCase'),
    naming('function', 'camelCase'),
    naming('type', 'PascalCase'),
    naming('variable', 'snake_case', {}, { language: 'python' }),
    naming('function', 'PascalCase', {}, { language: 'go', visibility: 'exported' }),
    naming('function', 'camelCase', {}, { language: 'go', visibility: 'unexported' }),
    c({ type: 'signature', name: 'area', params: [{ name: 'r', type: 'number' }], returnType: 'number' }),
    c({ type: 'forbidden_identifiers', names: ['any', 'tmp'] }),
    c({ type: 'forbidden_calls', calls: ['eval'] }),
    c({ type: 'allowed_imports', modules: ['node:fs', 'lodash'] }),
    c({ type: 'forbidden_imports', modules: ['left-pad'] }),
    c({ type: 'length', minChars: 1, maxChars: 200 }),
    c({ type: 'length', maxChars: 100, maxLines: 5 }),
    c({ type: 'regex', pattern: '[a-z ]+' }),
    c({ type: 'regex', pattern: '.*b' }),
    c({ type: 'expected_type', expected: 'number', bindings: [] }),
    c({ type: 'grammar', grammar: 'start: "x"', format: 'lark' }),
  ];
  const r = run(input);
  assert.deepEqual(r.conflicts, []);
  assert.deepEqual(r.dropped, []);
  assert.deepEqual(r.merged, []);
  assert.deepEqual(r.narrowed, []);
  assert.equal(r.kept.length, input.length);
  input.forEach((x, i) => assert.equal(r.kept[i], x));
});

test('naming: two styles for one kind conflict; the explanation says whether they still intersect', () => {
  const a = naming('variable', 'camelCase', { id: 'c3', priority: 5 });
  const b = naming('variable', 'snake_case', { id: 'c7', priority: 2 });
  const r = run([a, b]);
  assert.deepEqual(r.kept.map((x) => x.id), ['c3']);
  assert.deepEqual(r.dropped, [{ id: 'c7', by: 'c3', reason: 'conflict on variable names: camelCase (c3, priority 5) beat snake_case (c7, priority 2)' }]);
  assert.equal(r.conflicts.length, 1);
  const k = r.conflicts[0]!;
  assert.equal(k.domain, 'syntax');
  assert.equal(k.subject, 'variable names');
  assert.deepEqual(k.constraintIds, ['c3', 'c7']);
  assert.equal(k.winner, 'c3');
  assert.equal(k.resolvedBy, 'priority');
  // camelCase ∩ snake_case: the one-word lower-case names.
  assert.match(k.explanation, /still share names such as `a`/);
  assert.match(k.explanation, /`aA` is only camelCase/);
  assert.match(k.explanation, /`a_a` only snake_case/);

  const disjoint = run([naming('type', 'PascalCase', { id: 'p' }), naming('type', 'camelCase', { id: 'q' })]);
  assert.match(disjoint.conflicts[0]!.explanation, /no name is both PascalCase and camelCase/);
  const subset = run([naming('function', 'lowercase', { id: 'l' }), naming('function', 'snake_case', { id: 's' })]);
  assert.match(subset.conflicts[0]!.explanation, /every lowercase name is also snake_case/);
});

test('naming: the subject is kind, language and visibility; different subjects never conflict', () => {
  const r = run([
    naming('function', 'PascalCase', { id: 'exp' }, { language: 'go', visibility: 'exported' }),
    naming('function', 'camelCase', { id: 'unexp' }, { language: 'go', visibility: 'unexported' }),
    naming('function', 'snake_case', { id: 'py' }, { language: 'python' }),
    naming('function', 'camelCase', { id: 'ts' }, { language: 'typescript' }),
    naming('variable', 'snake_case', { id: 'py2' }, { language: 'python' }),
    naming('function', 'PascalCase', { id: 'exp2' }, { language: 'go', visibility: 'exported' }),
    naming('function', 'snake_case', { id: 'exp3' }, { language: 'go', visibility: 'exported' }),
  ]);
  assert.equal(r.conflicts.length, 1);
  assert.equal(r.conflicts[0]!.subject, 'go exported function names');
  assert.deepEqual(r.merged.map((m) => [m.id, m.into]), [['exp2', 'exp']]);
  assert.deepEqual(r.dropped.map((d) => [d.id, d.by]), [['exp3', 'exp']]);
});

test('duplicates merge into the first; the winning style keeps its strongest constraint', () => {
  const r = run([
    naming('variable', 'camelCase', { id: 'a' }),
    naming('variable', 'camelCase', { id: 'b' }),
    naming('variable', 'camelCase', { id: 'c' }),
  ]);
  assert.deepEqual(r.kept.map((x) => x.id), ['a']);
  assert.deepEqual(r.merged.map((m) => [m.id, m.into]), [['b', 'a'], ['c', 'a']]);
  assert.equal(r.merged[0]!.reason, 'same naming style (camelCase) as a for variable names: merged into it');
  assert.deepEqual(r.conflicts, []);

  // A stronger duplicate is not merged into a weaker one (its severity would be lost).
  const s = run([naming('variable', 'camelCase', { id: 'weak' }), naming('variable', 'camelCase', { id: 'strong', severity: 'error' })]);
  assert.deepEqual(s.kept.map((x) => x.id), ['strong']);
  assert.deepEqual(s.merged.map((m) => [m.id, m.into]), [['weak', 'strong']]);

  // Duplicates of a losing style are dropped with it, not merged.
  const t = run([
    naming('variable', 'snake_case', { id: 's1' }),
    naming('variable', 'camelCase', { id: 'k1', priority: 3 }),
    naming('variable', 'snake_case', { id: 's2' }),
    naming('variable', 'camelCase', { id: 'k2' }),
  ]);
  assert.deepEqual(t.kept.map((x) => x.id), ['k1']);
  assert.deepEqual(t.merged.map((m) => [m.id, m.into]), [['k2', 'k1']]);
  assert.deepEqual(t.dropped.map((d) => [d.id, d.by]), [['s1', 'k1'], ['s2', 'k1']]);
  assert.deepEqual(t.conflicts[0]!.constraintIds, ['k1', 's1', 's2']);
});

test('resolution order: severity, then priority, then confidence, then input order', () => {
  const cases: Array<[Partial<Constraint>, Partial<Constraint>, string, string]> = [
    [{ severity: 'warning', priority: 9, confidence: 1 }, { severity: 'error', priority: 0, confidence: 0 }, 'B', 'severity'],
    [{ severity: 'info' }, { severity: 'hint', priority: 9 }, 'A', 'severity'],
    [{ priority: 2, confidence: 0.1 }, { priority: 3, confidence: 0.05 }, 'B', 'priority'],
    [{ priority: 2, confidence: 0.8 }, { priority: 2, confidence: 0.95 }, 'B', 'confidence'],
    [{}, {}, 'A', 'order'],
  ];
  for (const [oa, ob, winner, by] of cases) {
    const r = run([naming('variable', 'camelCase', { id: 'A', ...oa }), naming('variable', 'snake_case', { id: 'B', ...ob })]);
    assert.equal(r.conflicts[0]!.winner, winner, JSON.stringify([oa, ob]));
    assert.equal(r.conflicts[0]!.resolvedBy, by);
    assert.equal(r.dropped[0]!.id, winner === 'A' ? 'B' : 'A');
  }
  const order = run([naming('variable', 'camelCase', { id: 'A' }), naming('variable', 'snake_case', { id: 'B' })]);
  assert.equal(order.dropped[0]!.reason, 'conflict on variable names: camelCase (A, first in input order) beat snake_case (B, a tie on severity, priority and confidence)');
  const sev = run([naming('variable', 'camelCase', { id: 'A' }), naming('variable', 'snake_case', { id: 'B', severity: 'error' })]);
  assert.equal(sev.dropped[0]!.reason, 'conflict on variable names: snake_case (B, error) beat camelCase (A, warning)');
});

test('hard constraints that tie fail with CONFLICT naming them and the subject', () => {
  const input = [
    naming('variable', 'camelCase', { id: 'c3', severity: 'error', priority: 5 }),
    naming('variable', 'snake_case', { id: 'c7', severity: 'error', priority: 5 }),
    naming('function', 'camelCase', { id: 'f1' }),
  ];
  assert.throws(() => resolveConflicts(input), (e: unknown) => {
    const err = conflictError(e);
    assert.match(err.message, /c3/);
    assert.match(err.message, /c7/);
    assert.match(err.message, /variable names/);
    assert.match(err.message, /tie on severity \(error\), priority \(5\) and confidence \(0\.9\)/);
    assert.equal(err.conflicts.length, 1);
    assert.deepEqual(err.conflicts[0]!.constraintIds, ['c3', 'c7']);
    assert.equal(err.conflicts[0]!.winner, undefined);
    return true;
  });
  // One hard and one soft at the same severity, priority and confidence: the policy decides.
  const warn = [naming('variable', 'camelCase', { id: 'h' }), naming('variable', 'snake_case', { id: 's' })];
  assert.equal(run(warn).conflicts[0]!.resolvedBy, 'order');
  assert.equal(run(warn, { isHard: (x) => x.id === 'h' }).conflicts[0]!.winner, 'h');
  assert.throws(() => resolveConflicts(warn, { isHard: () => true }), isConflictError);
  // Severity error but soft by policy: a tie keeps the first.
  assert.equal(run(input, { isHard: () => false }).conflicts[0]!.winner, 'c3');
  // Every unresolved conflict is named, not only the first.
  assert.throws(() => resolveConflicts([
    ...input,
    c({ type: 'length', minChars: 10, maxChars: 5 }, { id: 'len', severity: 'error' }),
  ]), (e: unknown) => {
    const err = conflictError(e);
    assert.equal(err.conflicts.length, 2);
    assert.match(err.message, /2 conflicts/);
    assert.match(err.message, /len asks for at least 10 and at most 5 characters, and it is hard/);
    return true;
  });
});

test('a name both required by a signature and forbidden', () => {
  const sig = c({ type: 'signature', name: 'eval', params: [{ name: 'x' }, { name: 'y' }] }, { id: 'sig', severity: 'error' });
  const ids = c({ type: 'forbidden_identifiers', names: ['eval', 'x', 'tmp'] }, { id: 'ids' });
  const calls = c({ type: 'forbidden_calls', calls: ['eval'] }, { id: 'calls' });
  const paramCall = c({ type: 'forbidden_calls', calls: ['y'] }, { id: 'pcall' });
  const r = run([sig, ids, calls, paramCall]);
  // The signature wins by severity: the forbidden list loses eval and x, keeps tmp.
  assert.deepEqual(r.kept.map((x) => x.id), ['sig', 'ids', 'pcall']);
  const narrowedIds = r.kept[1]!;
  assert.deepEqual(narrowedIds.rule, { type: 'forbidden_identifiers', names: ['tmp'] });
  assert.equal(narrowedIds.description, 'do not use identifiers tmp');
  assert.equal(ids.rule.type === 'forbidden_identifiers' && ids.rule.names.length, 3, 'the input is not modified');
  assert.deepEqual(r.narrowed.map((n) => [n.id, n.by, n.removed]), [['ids', 'sig', ['eval']], ['ids', 'sig', ['x']]]);
  assert.equal(r.narrowed[0]!.reason, 'conflict on the name eval: requiring the function eval (sig, error) beat forbidding the identifier eval (ids, warning)');
  // A forbidden call of the function's own name: its only entry, so the rule is dropped.
  assert.deepEqual(r.dropped.map((d) => [d.id, d.by]), [['calls', 'sig']]);
  assert.match(r.dropped[0]!.reason, /last entry of its list/);
  // Forbidden calls are compared with the function's name, not its parameters.
  assert.deepEqual(r.conflicts.map((k) => k.subject), ['the name eval', 'the name x', 'calls of eval']);
  assert.equal(r.conflicts[0]!.explanation, 'eval is required by sig and forbidden by ids; eval is taken out of the list of ids');

  // The forbidding side wins: the signature is dropped.
  const f = run([c({ type: 'signature', name: 'exec', params: [] }, { id: 's' }), c({ type: 'forbidden_calls', calls: ['exec', 'system'], finding: 'shell_injection' }, { id: 'f', severity: 'error' })]);
  assert.deepEqual(f.kept.map((x) => x.id), ['f']);
  assert.deepEqual(f.dropped, [{ id: 's', by: 'f', reason: 'conflict on calls of exec: forbidding calls of exec (f, error) beat requiring the function exec (s, warning)' }]);
  assert.deepEqual(f.kept[0]!.rule, { type: 'forbidden_calls', calls: ['exec', 'system'], finding: 'shell_injection' });
});

test('a module both allowed and forbidden', () => {
  const allowed = c({ type: 'allowed_imports', modules: ['lodash', 'node:fs'] }, { id: 'al' });
  const forbidden = c({ type: 'forbidden_imports', modules: ['lodash'] }, { id: 'fb', priority: 3 });
  const r = run([allowed, forbidden]);
  assert.deepEqual(r.kept.map((x) => [x.id, x.rule]), [['al', { type: 'allowed_imports', modules: ['node:fs'] }], ['fb', forbidden.rule]]);
  assert.equal(r.conflicts.length, 1);
  assert.equal(r.conflicts[0]!.domain, 'imports');
  assert.equal(r.conflicts[0]!.subject, 'the import of lodash');
  assert.equal(r.conflicts[0]!.winner, 'fb');
  assert.equal(r.narrowed[0]!.reason, 'conflict on the import of lodash: forbidding lodash (fb, priority 3) beat allowing lodash (al, priority 1)');

  // Allowed wins: the forbidden list loses the module.
  const w = run([c({ type: 'allowed_imports', modules: ['a'] }, { id: 'al', priority: 9 }), c({ type: 'forbidden_imports', modules: ['a', 'b'] }, { id: 'fb' })]);
  assert.deepEqual(w.kept.map((x) => x.rule), [{ type: 'allowed_imports', modules: ['a'] }, { type: 'forbidden_imports', modules: ['b'] }]);
  // An allowed list left with nothing is dropped (it is not turned into "no imports at all").
  const e = run([c({ type: 'allowed_imports', modules: ['a'] }, { id: 'al' }), c({ type: 'forbidden_imports', modules: ['a'] }, { id: 'fb', severity: 'error' })]);
  assert.deepEqual(e.kept.map((x) => x.id), ['fb']);
  assert.deepEqual(e.dropped.map((d) => [d.id, d.by]), [['al', 'fb']]);
  assert.deepEqual(e.narrowed, []);
});

test('length limits: a minimum above a maximum', () => {
  const r = run([
    c({ type: 'length', minChars: 10 }, { id: 'min10' }),
    c({ type: 'length', maxChars: 100 }, { id: 'max100' }),
    c({ type: 'length', maxChars: 5 }, { id: 'max5', priority: 4 }),
    c({ type: 'length', maxLines: 3 }, { id: 'lines' }),
  ]);
  assert.deepEqual(r.kept.map((x) => x.id), ['max100', 'max5', 'lines']);
  assert.deepEqual(r.dropped, [{ id: 'min10', by: 'max5', reason: 'conflict on length: at most 5 characters (max5, priority 4) beat at least 10 characters (min10, priority 1)' }]);
  assert.equal(r.conflicts.length, 1);
  assert.equal(r.conflicts[0]!.subject, 'length');

  // A strong minimum beats every maximum below it, one after another.
  const chain = run([
    c({ type: 'length', maxChars: 3 }, { id: 'a' }),
    c({ type: 'length', maxChars: 8 }, { id: 'b' }),
    c({ type: 'length', maxChars: 50 }, { id: 'c' }),
    c({ type: 'length', minChars: 10, maxChars: 40 }, { id: 'd', priority: 7 }),
  ]);
  assert.deepEqual(chain.kept.map((x) => x.id), ['c', 'd']);
  assert.deepEqual(chain.dropped.map((x) => [x.id, x.by]), [['a', 'd'], ['b', 'd']]);
  assert.equal(chain.conflicts.length, 2);

  // A maximum below a kept minimum.
  const lo = run([c({ type: 'length', minChars: 20 }, { id: 'm', priority: 2 }), c({ type: 'length', maxChars: 10 }, { id: 'x' })]);
  assert.deepEqual(lo.dropped.map((x) => [x.id, x.by]), [['x', 'm']]);
  assert.match(lo.dropped[0]!.reason, /at least 20 characters \(m, priority 2\) beat at most 10 characters \(x, priority 1\)/);

  // A soft limit that contradicts itself is dropped; a hard one fails.
  const self = run([c({ type: 'length', minChars: 10, maxChars: 5 }, { id: 's' })]);
  assert.deepEqual(self.dropped, [{ id: 's', by: 's', reason: 's asks for at least 10 and at most 5 characters: nothing satisfies it, and it is soft' }]);
  assert.throws(() => resolveConflicts([c({ type: 'length', minChars: 10, maxChars: 5 }, { id: 's', severity: 'error' })]), isConflictError);
});

test('expected types: different types conflict, equal ones merge', () => {
  const r = run([
    c({ type: 'expected_type', expected: 'Map<string, number>', bindings: [] }, { id: 't1' }),
    c({ type: 'expected_type', expected: 'Map<string,  number>', bindings: [] }, { id: 't2' }),
    c({ type: 'expected_type', expected: 'string', bindings: [] }, { id: 't3', severity: 'error' }),
  ]);
  assert.deepEqual(r.kept.map((x) => x.id), ['t3']);
  assert.deepEqual(r.dropped.map((x) => [x.id, x.by]), [['t1', 't3'], ['t2', 't3']]);
  assert.equal(r.conflicts.length, 1);
  assert.equal(r.conflicts[0]!.domain, 'types');
  assert.deepEqual(r.conflicts[0]!.constraintIds, ['t3', 't1', 't2']);
  const m = run([
    c({ type: 'expected_type', expected: 'number', bindings: [] }, { id: 't1' }),
    c({ type: 'expected_type', expected: ' number ', bindings: [] }, { id: 't2' }),
  ]);
  assert.deepEqual(m.merged.map((x) => [x.id, x.into]), [['t2', 't1']]);
});

test('regexes: an empty intersection is a conflict naming the smallest set found', () => {
  const r = run([
    c({ type: 'regex', pattern: '[a-z]+' }, { id: 'letters', priority: 2 }),
    c({ type: 'regex', pattern: '.{2,}' }, { id: 'long' }),
    c({ type: 'regex', pattern: '[0-9]+' }, { id: 'digits' }),
  ]);
  assert.deepEqual(r.kept.map((x) => x.id), ['letters', 'long']);
  assert.equal(r.conflicts.length, 1);
  assert.deepEqual(r.conflicts[0]!.constraintIds, ['letters', 'digits']);
  assert.equal(r.conflicts[0]!.explanation, 'no text matches both /[a-z]+/ (letters) and /[0-9]+/ (digits)');
  assert.deepEqual(r.dropped, [{ id: 'digits', by: 'letters', reason: 'conflict on the output: /[a-z]+/ (letters, priority 2) beat /[0-9]+/ (digits, priority 1)' }]);

  // The new regex wins against an earlier one, and is then kept.
  const w = run([
    c({ type: 'regex', pattern: '[a-z]+' }, { id: 'a' }),
    c({ type: 'regex', pattern: '[0-9]+' }, { id: 'b', severity: 'error' }),
    c({ type: 'regex', pattern: '1.*' }, { id: 'c' }),
  ]);
  assert.deepEqual(w.kept.map((x) => x.id), ['b', 'c']);
  assert.deepEqual(w.dropped.map((x) => [x.id, x.by]), [['a', 'b']]);
});

test('regexes: three that share a string pairwise but not all together', () => {
  const r = run([
    c({ type: 'regex', pattern: 'ab|cd' }, { id: 'r1', priority: 3 }),
    c({ type: 'regex', pattern: 'ab|ce' }, { id: 'r2' }),
    c({ type: 'regex', pattern: 'cd|ce|xx' }, { id: 'r3', priority: 2 }),
  ]);
  assert.equal(r.conflicts.length, 1);
  assert.deepEqual(r.conflicts[0]!.constraintIds, ['r1', 'r2', 'r3']);
  assert.match(r.conflicts[0]!.explanation, /no text matches all of/);
  // The weakest of the three is dropped.
  assert.deepEqual(r.dropped.map((x) => x.id), ['r2']);
  assert.deepEqual(r.kept.map((x) => x.id), ['r1', 'r3']);
});

test('regexes: duplicates merge, length limits take part, a regex with no match is unsatisfiable', () => {
  const r = run([
    c({ type: 'regex', pattern: '[a-z]{7}' }, { id: 'seven' }),
    c({ type: 'regex', pattern: '[a-z]{7}' }, { id: 'again' }),
    c({ type: 'length', maxChars: 5 }, { id: 'max5', priority: 4 }),
  ]);
  assert.deepEqual(r.merged.map((x) => [x.id, x.into]), [['again', 'seven']]);
  assert.deepEqual(r.dropped.map((x) => [x.id, x.by]), [['seven', 'max5']]);
  assert.match(r.conflicts[0]!.explanation, /no text matches both \/\[a-z\]\{7\}\/ \(seven\) and length: at most 5 chars \(max5\)/);
  // Lines count too: at most 2 lines against three mandatory line breaks.
  const lines = run([c({ type: 'regex', pattern: '(a\\n){3}' }, { id: 're', priority: 2 }), c({ type: 'length', maxLines: 2 }, { id: 'ml' })]);
  assert.deepEqual(lines.dropped.map((x) => [x.id, x.by]), [['ml', 're']]);

  const soft = run([c({ type: 'regex', pattern: 'a[^\\s\\S]' }, { id: 'none' })]);
  assert.deepEqual(soft.dropped.map((x) => [x.id, x.by]), [['none', 'none']]);
  assert.match(soft.dropped[0]!.reason, /matches no text at all/);
  assert.throws(() => resolveConflicts([c({ type: 'regex', pattern: 'a[^\\s\\S]' }, { severity: 'error' })]), isConflictError);
});

test('regexes: an invalid pattern is a REGEX error naming the constraint; an undecided check keeps both', () => {
  assert.throws(() => resolveConflicts([c({ type: 'regex', pattern: '(a' }, { id: 'bad' })]), (e: unknown) => {
    assert.ok(e instanceof AnankeError);
    assert.equal(e.code, 'REGEX');
    assert.match(e.message, /constraint bad/);
    return true;
  });
  const r = run([
    c({ type: 'regex', pattern: '(a|b)*a(a|b){20}' }, { id: 'x' }),
    c({ type: 'regex', pattern: '(a|b)*b(a|b){20}' }, { id: 'y' }),
    c({ type: 'length', maxChars: 30 }, { id: 'len' }),
  ], { witnessLimits: { maxStates: 2_000 } });
  assert.deepEqual(r.kept.map((x) => x.id), ['x', 'y', 'len']);
  assert.deepEqual(r.conflicts, []);
  assert.ok(r.undecided.length >= 1);
  assert.match(r.undecided[0]!.reason, /was not decided within the limits/);
});

test('grammars: identical ones merge, different ones are kept with an undecided note', () => {
  const g1 = c({ type: 'grammar', grammar: 'start: "a"', format: 'lark' }, { id: 'g1' });
  const g2 = c({ type: 'grammar', grammar: 'start: "a"', format: 'lark' }, { id: 'g2' });
  const g3 = c({ type: 'grammar', grammar: 'root ::= "b"', format: 'gbnf' }, { id: 'g3', priority: 5 });
  const r = run([g1, g2, g3, c({ type: 'regex', pattern: 'a' }, { id: 're' })]);
  assert.deepEqual(r.merged.map((x) => [x.id, x.into]), [['g2', 'g1']]);
  assert.deepEqual(r.kept.map((x) => x.id), ['g1', 'g3', 're']);
  assert.deepEqual(r.conflicts, []);
  assert.deepEqual(r.undecided.map((u) => u.constraintIds), [['g1', 'g3'], ['g1', 'g3', 're']]);
  assert.match(r.undecided[0]!.reason, /the strongest, g3, is the one to enforce while decoding/);
});

test('10,000 constraints: grouped by subject, with the expected number of conflicts', () => {
  const kinds = ['function', 'method', 'variable', 'constant', 'type', 'parameter', 'field', 'file'] as const;
  const languages = ['typescript', 'python', 'go', 'rust', 'java'] as const;
  const input: Constraint[] = [];
  let id = 0;
  const add = (rule: Rule, o: Partial<Constraint> = {}) => input.push(c(rule, { id: `g${id++}`, ...o }));
  // 4,000 naming rules: 40 subjects × 100, alternating two styles (the first style leads by priority).
  for (const kind of kinds) {
    for (const language of languages) {
      for (let i = 0; i < 100; i++) {
        add({ type: 'naming', identifierKind: kind, language, style: i % 2 === 0 ? 'camelCase' : 'snake_case' }, { priority: i % 2 === 0 ? 2 : 1 });
      }
    }
  }
  // 100 signatures; 2,000 forbidden-identifier rules, 50 of which name a signature.
  for (let j = 0; j < 100; j++) add({ type: 'signature', name: `fn${j}`, params: [{ name: `arg${j}` }] }, { severity: 'error' });
  for (let i = 0; i < 2000; i++) add({ type: 'forbidden_identifiers', names: [`bad${i}`, i < 50 ? `fn${i}` : `other${i}`] });
  // 1,000 allowed and 1,000 forbidden imports; forbidden m(2i) is allowed for i < 500.
  for (let i = 0; i < 1000; i++) add({ type: 'allowed_imports', modules: [`m${i}`] });
  for (let i = 0; i < 1000; i++) add({ type: 'forbidden_imports', modules: [`m${2 * i}`] }, { priority: 2 });
  // 1,000 compatible length limits and 5 that contradict them.
  for (let i = 0; i < 1000; i++) add({ type: 'length', minChars: i % 10, maxChars: 1000 + i });
  for (let i = 0; i < 5; i++) add({ type: 'length', maxChars: 3 }, { priority: 0 });
  // 895 regexes of 5 compatible patterns and one incompatible one.
  const patterns = ['[a-z0-9 \\n]*', '.*', '[^#]*', '(?s:.){0,2000}', '[a-z][a-z0-9 \\n]*'];
  for (let i = 0; i < 894; i++) add({ type: 'regex', pattern: patterns[i % patterns.length]! });
  add({ type: 'regex', pattern: '#+' }, { priority: 0 });
  assert.equal(input.length, 10_000);

  const r = run(input);
  const by = (subject: RegExp) => r.conflicts.filter((k) => subject.test(k.subject)).length;
  assert.equal(by(/ names$/), 40);
  assert.equal(by(/^the name /), 50);
  assert.equal(by(/^the import of /), 500);
  // Each short maximum is checked against the binding minimum (9, from the first kept limits).
  assert.equal(by(/^length$/), 5);
  assert.equal(by(/^the output$/), 1);
  assert.equal(r.conflicts.length, 40 + 50 + 500 + 5 + 1);
  // Naming: 50 losers per subject dropped, 49 duplicates of the winner merged.
  assert.equal(r.dropped.filter((d) => /names:/.test(d.reason)).length, 40 * 50);
  assert.equal(r.merged.filter((m) => /naming style/.test(m.reason)).length, 40 * 49);
  assert.equal(r.merged.filter((m) => /same regex/.test(m.reason)).length, 894 - 5);
  assert.equal(r.narrowed.length, 50);
  // Allowed imports lose their only module: dropped.
  assert.equal(r.dropped.filter((d) => /import of/.test(d.reason)).length, 500);
});
