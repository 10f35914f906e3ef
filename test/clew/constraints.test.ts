import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeFacts, Constraint, FileFacts, ImportFact, Language } from '../../src/core/index.ts';
import { deriveConstraints, deriveConstraintsDetailed } from '../../src/clew/constraints/index.ts';
import { classifyImport, moduleOf } from '../../src/clew/constraints/imports.ts';
import { SIGNAL } from '../../src/clew/signals.ts';

function file(path: string, language: Language, extra: Partial<FileFacts> = {}): FileFacts {
  return {
    path, language, lines: 10, bytes: 100, functions: [], types: [], imports: [], exports: [], scopes: [], holes: [],
    identifiers: [], security: [], tests: [], signals: {}, diagnostics: [], ...extra,
  };
}
const imp = (module: string, line = 1): ImportFact => ({ module, names: [], wildcard: false, line });
const facts = (files: FileFacts[]): CodeFacts => ({ root: '/repo', files, skipped: [] });
const byId = (cs: Constraint[], id: string): Constraint | undefined => cs.find((c) => c.id === id);

test('error handling: the dominant style per language, confidence = its share of the signals', () => {
  const cs = deriveConstraints(facts([
    file('a.rs', 'rust', { signals: { [SIGNAL.RESULT_RETURN]: 10, [SIGNAL.QUESTION_OP]: 20, [SIGNAL.UNWRAP]: 4 } }),
    file('b.rs', 'rust', { signals: { [SIGNAL.RESULT_RETURN]: 2, [SIGNAL.TRY]: 0 } }),
    file('c.go', 'go', { signals: { [SIGNAL.ERR_RETURN]: 8, [SIGNAL.ERR_CHECK]: 12 } }),
    file('d.py', 'python', { signals: { [SIGNAL.TRY]: 3, [SIGNAL.THROW]: 5 } }),
    file('e.ts', 'typescript', { signals: { [SIGNAL.TRY]: 1 } }),
  ]));
  const rust = byId(cs, 'clew.error_handling.rust')!;
  assert.deepEqual(rust.rule, { type: 'error_handling', style: 'result_type', language: 'rust' });
  assert.equal(rust.confidence, 1);
  assert.deepEqual(byId(cs, 'clew.error_handling.go')!.rule, { type: 'error_handling', style: 'error_return', language: 'go' });
  assert.deepEqual(byId(cs, 'clew.error_handling.python')!.evidence, { matching: 8, total: 8 });
  // One try block is not a convention (minimum evidence 3).
  assert.equal(byId(cs, 'clew.error_handling.typescript'), undefined);
});

test('Option types count only when no other error style is used', () => {
  const cs = deriveConstraints(facts([file('a.kt', 'kotlin', { signals: { [SIGNAL.OPTION_RETURN]: 6 } })]));
  assert.equal(byId(cs, 'clew.error_handling.kotlin')!.rule.type === 'error_handling' && (byId(cs, 'clew.error_handling.kotlin')!.rule as { style: string }).style, 'option_type');
});

test('async style: async/await vs promise chains vs goroutines', () => {
  const cs = deriveConstraints(facts([
    file('a.ts', 'typescript', { signals: { [SIGNAL.ASYNC_FN]: 6, [SIGNAL.AWAIT]: 12, [SIGNAL.THEN]: 2 } }),
    file('b.js', 'javascript', { signals: { [SIGNAL.THEN]: 9, [SIGNAL.CALLBACK]: 1 } }),
    file('c.go', 'go', { signals: { [SIGNAL.GOROUTINE]: 4 } }),
  ]));
  const ts = byId(cs, 'clew.async_style.typescript')!;
  assert.deepEqual(ts.rule, { type: 'async_style', style: 'async_await', language: 'typescript' });
  assert.equal(ts.confidence, 0.9);
  assert.equal(ts.description, 'typescript async code uses async await');
  assert.equal((byId(cs, 'clew.async_style.javascript')!.rule as { style: string }).style, 'promises');
  assert.equal((byId(cs, 'clew.async_style.go')!.rule as { style: string }).style, 'goroutines');
});

test('imports: external packages by root, internal ones left out', () => {
  const cs = deriveConstraints(facts([
    file('src/api/server.ts', 'typescript', { imports: [imp('express'), imp('lodash/fp'), imp('@scope/pkg/deep'), imp('../core/users.ts'), imp('node:fs')] }),
    file('src/core/users.ts', 'typescript', { imports: [imp('node:fs/promises'), imp('./math.ts')] }),
    file('src/core/math.ts', 'typescript'),
    file('tools/migrate.py', 'python', { imports: [imp('os.path'), imp('yaml'), imp('tools.util'), imp('.helpers')] }),
    file('tools/util.py', 'python', { imports: [imp('typing')] }),
  ]));
  assert.deepEqual(byId(cs, 'clew.imports.typescript')!.rule, { type: 'allowed_imports', modules: ['@scope/pkg', 'express', 'lodash', 'node:fs'], language: 'typescript' });
  assert.deepEqual(byId(cs, 'clew.imports.python')!.rule, { type: 'allowed_imports', modules: ['os', 'typing', 'yaml'], language: 'python' });
});

test('module boundaries: which top-level folders import which', () => {
  const cs = deriveConstraints(facts([
    file('src/api/server.ts', 'typescript', { imports: [imp('../core/users.ts')] }),
    file('src/api/routes.ts', 'typescript', { imports: [imp('./server.ts'), imp('../core/math.ts')] }),
    file('src/core/users.ts', 'typescript', { imports: [imp('./math.ts')] }),
    file('src/core/math.ts', 'typescript'),
    file('test/users.test.ts', 'typescript', { imports: [imp('../src/core/users.ts'), imp('../src/api/server.ts')] }),
    file('test/math.test.ts', 'typescript', { imports: [imp('../src/core/math.ts')] }),
  ]));
  assert.deepEqual(byId(cs, 'clew.module_boundary.src/api')!.rule, { type: 'module_boundary', from: 'src/api', mayImport: ['src/core'] });
  assert.deepEqual(byId(cs, 'clew.module_boundary.src/core')!.rule, { type: 'module_boundary', from: 'src/core', mayImport: [] });
  assert.deepEqual(byId(cs, 'clew.module_boundary.test')!.rule, { type: 'module_boundary', from: 'test', mayImport: ['src/api', 'src/core'] });
  assert.equal(byId(cs, 'clew.module_boundary.src/api')!.confidence, 0.667);
});

test('moduleOf and classifyImport across languages', () => {
  assert.equal(moduleOf('src/core/a.ts'), 'src/core');
  assert.equal(moduleOf('src/a.ts'), 'src');
  assert.equal(moduleOf('tools/x/y.py'), 'tools');
  assert.equal(moduleOf('setup.py'), '(root)');
  const shape = { dirs: new Set(['internal/db', 'internal', 'cmd/app', 'cmd']), tops: new Set(['internal', 'cmd']) };
  assert.deepEqual(classifyImport('go', imp('example.com/app/internal/db'), 'cmd/app/main.go', shape), { internal: true, path: 'internal/db' });
  assert.deepEqual(classifyImport('go', imp('net/http'), 'cmd/app/main.go', shape), { internal: false, pkg: 'net/http' });
  assert.deepEqual(classifyImport('rust', imp('crate::parser'), 'src/main.rs', shape), { internal: true, path: 'src/parser' });
  assert.deepEqual(classifyImport('rust', imp('serde::de'), 'src/main.rs', shape), { internal: false, pkg: 'serde' });
  assert.deepEqual(classifyImport('python', imp('..models'), 'app/api/views.py', shape), { internal: true, path: 'app/models' });
});

test('type discipline: no_any, annotate_params and annotate_returns where annotations are optional', () => {
  const cs = deriveConstraints(facts([
    file('a.ts', 'typescript', { signals: { [SIGNAL.PARAM_ANNOTATED]: 40, [SIGNAL.PARAM_UNANNOTATED]: 2, [SIGNAL.RETURN_ANNOTATED]: 20, [SIGNAL.ANY]: 3 } }),
    file('b.py', 'python', { signals: { [SIGNAL.PARAM_ANNOTATED]: 2, [SIGNAL.PARAM_UNANNOTATED]: 30, [SIGNAL.RETURN_ANNOTATED]: 1, [SIGNAL.RETURN_UNANNOTATED]: 9 } }),
    file('c.rs', 'rust', { signals: { [SIGNAL.PARAM_ANNOTATED]: 50, [SIGNAL.RETURN_ANNOTATED]: 10 } }),
  ]));
  const noAny = byId(cs, 'clew.type_discipline.typescript.no_any')!;
  assert.deepEqual(noAny.rule, { type: 'type_discipline', practice: 'no_any', language: 'typescript' });
  assert.deepEqual(noAny.evidence, { matching: 57, total: 60 });
  assert.equal(noAny.confidence, 0.95);
  assert.equal(byId(cs, 'clew.type_discipline.typescript.annotate_params')!.confidence, 0.952);
  // Mostly unannotated Python: no annotate_params convention to follow.
  assert.equal(byId(cs, 'clew.type_discipline.python.annotate_params'), undefined);
  // Rust requires annotations: nothing to infer.
  assert.equal(byId(cs, 'clew.type_discipline.rust.annotate_params'), undefined);
});

test('security: one forbidding constraint per family for the languages present, findings as examples', () => {
  const cs = deriveConstraints(facts([
    file('a.py', 'python', { security: [{ finding: 'eval', detail: 'eval(x)', line: 3, column: 5 }] }),
    file('b.py', 'python'),
    file('c.ts', 'typescript'),
  ]));
  const ev = byId(cs, 'clew.security.eval')!;
  assert.equal(ev.kind, 'security');
  assert.equal(ev.severity, 'error');
  // Structured patterns for the languages present, not sentences: what a checker evaluates.
  assert.deepEqual(ev.rule, {
    type: 'forbidden_pattern', finding: 'eval', patterns: [
      { languages: ['typescript', 'python'], pattern: { match: 'call', callee: '((window|globalThis|global|self|Kernel)\\.)?eval' } },
      { languages: ['python'], pattern: { match: 'call', callee: 'exec' } },
    ],
  });
  assert.equal(ev.description, 'no eval: a call of /((window|globalThis|global|self|Kernel)\\.)?eval/ (typescript, python), a call of /exec/ (python)');
  assert.deepEqual(ev.evidence, { matching: 2, total: 3, examples: [{ file: 'a.py', line: 3, column: 5 }] });
  assert.deepEqual(ev.provenance, { file: 'a.py', line: 3, column: 5 });
  assert.deepEqual(byId(cs, 'clew.security.inner_html')!.rule, {
    type: 'forbidden_pattern', finding: 'inner_html', patterns: [
      { languages: ['typescript'], pattern: { match: 'property_assignment', property: 'innerHTML|outerHTML' } },
      { languages: ['typescript'], pattern: { match: 'identifier', name: 'dangerouslySetInnerHTML' } },
    ],
  });
  assert.deepEqual((byId(cs, 'clew.security.dynamic_function')!.evidence), { matching: 1, total: 1, examples: [] });
});

test('test expectations resolve their subject to a project function; limit and confidence filter apply', () => {
  const fn = (name: string, container?: string) => ({
    name, kind: 'function' as const, params: [], async: false, generator: false, exported: true, decorators: [], line: 1, column: 1, ...(container ? { container } : {}),
  });
  const files = [
    file('src/calc.ts', 'typescript', { functions: [fn('add', 'Calculator'), fn('mul', 'Calculator'), fn('mul', 'Matrix')] }),
    file('test/calc.test.ts', 'typescript', {
      tests: [
        { framework: 'vitest', assertion: 'expect(calc.add(1, 2)).toBe(3)', subject: 'calc.add', test: 'adds', line: 4 },
        { framework: 'vitest', assertion: 'expect(calc.mul(2, 3)).toBe(6)', subject: 'calc.mul', test: 'muls', line: 5 },
        { framework: 'vitest', assertion: 'expect(unknownThing()).toBe(1)', subject: 'unknownThing', line: 6 },
        { framework: 'vitest', assertion: 'expect(x).toBe(1)', test: 'x', line: 7 },
      ],
    }),
  ];
  const cs = deriveConstraints(facts(files), { minConfidence: 0 }).filter((c) => c.source === 'test_mining');
  assert.deepEqual(cs.map((c) => [c.rule.type === 'test_expectation' && c.rule.subject, c.confidence]), [
    ['Calculator.add', 1], ['Calculator.mul', 1], ['unknownThing', 0.7], ['x', 0.4],
  ]);
  assert.deepEqual(cs[0]!.provenance, { file: 'test/calc.test.ts', line: 4, column: 1 });
  assert.equal(cs[0]!.description, 'Calculator.add: expect(calc.add(1, 2)).toBe(3) (vitest)');
  const limited = deriveConstraintsDetailed(facts(files), { maxTestExpectations: 2 });
  assert.equal(limited.constraints.filter((c) => c.source === 'test_mining').length, 2);
  assert.equal(limited.droppedTestExpectations, 2);
  assert.ok(deriveConstraints(facts(files), { minConfidence: 0.8 }).every((c) => c.confidence >= 0.8));
});

test('an empty file set derives no conventions and never throws', () => {
  assert.deepEqual(deriveConstraints(facts([])), []);
});
