/** Scopes are completed one way for every language (src/clew/languages/scope-bindings.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BindingFact, ScopeFact } from '../../src/core/index.ts';
import { completeScope, MAX_SCOPE_BINDINGS } from '../../src/clew/languages/scope-bindings.ts';
import { extractFile } from '../../src/clew/extract-file.ts';

const names = (s: ScopeFact): string[] => s.bindings.map((b) => `${b.kind}:${b.name}`);

test('completeScope: own names first, then the outer lists in order, each name once (the innermost wins)', () => {
  const scope: ScopeFact = { function: 'f', line: 1, bindings: [
    { name: 'id', kind: 'parameter' }, { name: 'row', type: 'Row', kind: 'local' }, { name: 'row', type: 'Other', kind: 'local' },
  ] };
  completeScope(scope, [[{ name: 'id', kind: 'field' }, { name: 'cache', kind: 'field' }], undefined, [{ name: 'cache', kind: 'module' }, { name: 'log', kind: 'module' }]]);
  assert.deepEqual(names(scope), ['parameter:id', 'local:row', 'field:cache', 'module:log']);
  assert.equal(scope.bindings[1]!.type, 'Row');
});

test('completeScope: at most MAX_SCOPE_BINDINGS names, duplicates not counted against the cap', () => {
  const many: BindingFact[] = [];
  for (let i = 0; i < MAX_SCOPE_BINDINGS * 2; i++) many.push({ name: `g${i % (MAX_SCOPE_BINDINGS + 10)}`, kind: 'module' });
  const scope: ScopeFact = { function: 'f', line: 1, bindings: [{ name: 'x', kind: 'parameter' }] };
  completeScope(scope, [many]);
  assert.equal(scope.bindings.length, MAX_SCOPE_BINDINGS);
  assert.equal(new Set(scope.bindings.map((b) => b.name)).size, MAX_SCOPE_BINDINGS);
  assert.equal(scope.bindings[0]!.name, 'x');
});

test('a parameter hides the field of the same name in every language that binds fields', async () => {
  const cases: [Parameters<typeof extractFile>[2], string, string, string][] = [
    ['kotlin', 'A.kt', 'class Box(val size: Int) {\n  var label: String = ""\n  fun resize(size: Int) { }\n}\n', 'Box.resize'],
    ['java', 'A.java', 'class Box {\n  int size;\n  String label;\n  void resize(int size) { }\n}\n', 'Box.resize'],
    ['swift', 'A.swift', 'class Box {\n  var size: Int = 0\n  var label: String = ""\n  func resize(size: Int) { }\n}\n', 'Box.resize'],
  ];
  for (const [lang, file, src, fn] of cases) {
    const f = await extractFile(file, src, lang);
    const scope = f.scopes.find((s) => s.function === fn);
    assert.ok(scope, `${lang}: no scope ${fn} in ${f.scopes.map((s) => s.function).join(', ')}`);
    assert.deepEqual(scope.bindings.filter((b) => b.name === 'size').map((b) => b.kind), ['parameter'], lang);
    assert.ok(scope.bindings.some((b) => b.name === 'label' && b.kind === 'field'), `${lang}: ${names(scope).join(' ')}`);
  }
});
