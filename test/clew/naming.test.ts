import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FileFacts, FunctionFact } from '../../src/core/index.ts';
import { dominantStyle, styleBits, styleCore, stylesOf } from '../../src/clew/constraints/naming-style.ts';
import { deriveConstraints } from '../../src/clew/constraints/index.ts';
import { extractFile } from '../../src/clew/extract-file.ts';

test('stylesOf: every style a name fits', () => {
  assert.deepEqual(stylesOf('getUser'), ['camelCase']);
  assert.deepEqual(stylesOf('parseHTML'), ['camelCase']);
  assert.deepEqual(stylesOf('get_user'), ['snake_case']);
  assert.deepEqual(stylesOf('UserStore'), ['PascalCase']);
  assert.deepEqual(stylesOf('MAX_SIZE'), ['SCREAMING_SNAKE_CASE']);
  assert.deepEqual(stylesOf('user-service'), ['kebab-case']);
  assert.deepEqual(stylesOf('add'), ['camelCase', 'snake_case', 'kebab-case', 'lowercase']);
  assert.deepEqual(stylesOf('URL'), ['PascalCase', 'SCREAMING_SNAKE_CASE']);
  assert.deepEqual(stylesOf('Get_user'), []);
});

test('styleCore drops sigils, privacy underscores and Ruby suffixes; dunders have no style', () => {
  assert.equal(styleCore('_privateThing'), 'privateThing');
  assert.equal(styleCore('$scope'), 'scope');
  assert.equal(styleCore('#count'), 'count');
  assert.equal(styleCore('valid?'), 'valid');
  assert.equal(styleCore('__init__'), '');
  assert.equal(styleBits('__init__'), 0);
  assert.deepEqual(stylesOf('_load_user'), ['snake_case']);
});

test('dominantStyle: one-word names count for every style they fit; only distinctive names decide', () => {
  const v = dominantStyle(['getUser', 'add', 'parseFile', 'get_user'].map(styleBits))!;
  assert.equal(v.style, 'camelCase');
  assert.equal(v.matching, 3);
  assert.equal(v.total, 4);
  assert.equal(v.distinctive, 2);
  assert.equal(dominantStyle(['add', 'run', 'go'].map(styleBits)), undefined);
  assert.equal(dominantStyle(['add', 'load_user', 'run'].map(styleBits))!.style, 'snake_case');
  // Twelve one-word names and one PascalCase name: the majority is ambiguous, so no convention
  // (not "PascalCase, 1 of 13").
  assert.equal(dominantStyle([...Array(12).fill('err'), 'Config'].map(styleBits)), undefined);
});

function fn(name: string, line: number, kind: FunctionFact['kind'] = 'function'): FunctionFact {
  return { name, kind, params: [], async: false, generator: false, exported: true, decorators: [], line, column: 1 };
}

function file(path: string, language: FileFacts['language'], functions: FunctionFact[]): FileFacts {
  return {
    path, language, lines: 10, bytes: 100, functions, types: [], imports: [], exports: [], scopes: [], holes: [],
    identifiers: [], security: [], tests: [], signals: {}, diagnostics: [],
  };
}

test('naming constraints per language and kind, with the counts as evidence', () => {
  const names = ['getUser', 'saveUser', 'parseFile', 'load', 'run', 'Handler'];
  const facts = {
    root: '/r',
    files: [
      file('src/user-store.ts', 'typescript', names.map((n, i) => fn(n, i + 1))),
      file('src/api-client.ts', 'typescript', [fn('fetchAll', 1), fn('retryLater', 2, 'method')]),
      file('lib/load_user.py', 'python', [fn('load_user', 1), fn('save_user', 2), fn('parse', 3)]),
    ],
    skipped: [],
  };
  const cs = deriveConstraints(facts);
  const ts = cs.find((c) => c.id === 'clew.naming.typescript.function')!;
  assert.deepEqual(ts.rule, { type: 'naming', identifierKind: 'function', style: 'camelCase', language: 'typescript' });
  assert.deepEqual([ts.evidence!.matching, ts.evidence!.total], [6, 7]);
  assert.equal(ts.confidence, 0.857);
  assert.equal(ts.description, 'typescript function names are camelCase');
  assert.equal(ts.evidence!.examples![0]!.file, 'src/user-store.ts');
  const py = cs.find((c) => c.id === 'clew.naming.python.function')!;
  assert.equal(py.rule.type === 'naming' && py.rule.style, 'snake_case');
  // Two kebab-case file names are below the default minimum evidence of 3.
  assert.equal(cs.find((c) => c.id === 'clew.naming.typescript.file'), undefined);
  assert.ok(deriveConstraints(facts, { minConfidence: 0.9 }).every((c) => c.confidence >= 0.9));
});

test('naming from real extraction: Python snake_case functions, PascalCase classes', async () => {
  const src = 'class UserStore:\n    def load_user(self, user_id):\n        pass\n\n    def save_user(self, user):\n        pass\n\n    def delete_user(self, user):\n        pass\n\n\nclass OrderBook:\n    pass\n\n\nclass Ledger:\n    pass\n\n\ndef parse_config(path):\n    return path\n\n\ndef main():\n    pass\n';
  const f = await extractFile('app/user_store.py', src, 'python');
  const cs = deriveConstraints({ root: '/r', files: [f], skipped: [] });
  const methods = cs.find((c) => c.id === 'clew.naming.python.method');
  assert.ok(methods, JSON.stringify(cs.map((c) => c.id)));
  assert.equal(methods.rule.type === 'naming' && methods.rule.style, 'snake_case');
  const types = cs.find((c) => c.id === 'clew.naming.python.type')!;
  assert.equal(types.rule.type === 'naming' && types.rule.style, 'PascalCase');
  assert.equal(types.evidence!.total, 3);
});

test('go: exported and unexported names are two conventions, each with its own style', async () => {
  const src = readFileSync(fileURLToPath(new URL('../fixtures/clew/go/visibility.go', import.meta.url)), 'utf8');
  const f = await extractFile('cache/visibility.go', src, 'go');
  const cs = deriveConstraints({ root: '/r', files: [f], skipped: [] });
  const naming = (id: string): string => {
    const c = cs.find((x) => x.id === id);
    assert.ok(c, `no ${id} in ${cs.map((x) => x.id).join(', ')}`);
    assert.equal(c.rule.type, 'naming');
    return `${c.description} (${c.evidence!.matching} of ${c.evidence!.total})`;
  };
  assert.equal(naming('clew.naming.go.function.exported'), 'go exported function names are PascalCase (3 of 3)');
  assert.equal(naming('clew.naming.go.function.unexported'), 'go unexported function names are camelCase (3 of 3)');
  assert.equal(naming('clew.naming.go.method.exported'), 'go exported method names are PascalCase (4 of 4)');
  assert.equal(naming('clew.naming.go.method.unexported'), 'go unexported method names are camelCase (3 of 3)');
  assert.equal(naming('clew.naming.go.type.exported'), 'go exported type names are PascalCase (3 of 3)');
  assert.equal(naming('clew.naming.go.type.unexported'), 'go unexported type names are camelCase (3 of 3)');
  assert.equal(naming('clew.naming.go.field.exported'), 'go exported field names are PascalCase (3 of 3)');
  assert.equal(naming('clew.naming.go.field.unexported'), 'go unexported field names are camelCase (5 of 5)');
  // The rule carries the visibility, so a consumer applies it only to those declarations.
  const rule = cs.find((x) => x.id === 'clew.naming.go.type.unexported')!.rule;
  assert.deepEqual(rule, { type: 'naming', identifierKind: 'type', style: 'camelCase', language: 'go', visibility: 'unexported' });
  // No convention for a kind as a whole: neither style is true of all Go functions.
  assert.equal(cs.find((x) => x.id === 'clew.naming.go.function'), undefined);
  // Parameters cannot be exported: one convention, as before.
  assert.equal(naming('clew.naming.go.parameter'), 'go parameter names are camelCase (13 of 13)');
});
