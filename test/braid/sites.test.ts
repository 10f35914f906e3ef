/**
 * The declaration sites of each program grammar (src/braid/sites.ts): every rule and terminal the
 * tables name exists in the shipped grammar, each kind finds its sites, and a naming rule written
 * onto the grammar accepts conforming declarations and rejects the others, while references to
 * existing names stay free. Snippets written for this test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emitProgramGrammar, namingRegex, SITES, type EmitRequest } from '../../src/braid/index.ts';
import { byteTokenizer, compile, loadProgramGrammar, PROGRAM_LANGUAGES, type ProgramLanguage } from '../../src/engine/index.ts';
import type { IdentifierKind, NamingStyle } from '../../src/core/index.ts';

function naming(entries: Array<[IdentifierKind, NamingStyle]>): EmitRequest['naming'] {
  return new Map(entries.map(([k, s]) => [k, { regex: namingRegex(s), label: s, ids: [`${k}-rule`] }]));
}

function checker(req: EmitRequest): (t: string) => boolean {
  const cg = compile(emitProgramGrammar(req).grammar, byteTokenizer());
  return (t) => cg.check(t).accepted;
}

test('every rule and terminal named by the site tables exists in its grammar', () => {
  for (const lang of PROGRAM_LANGUAGES) {
    const g = loadProgramGrammar(lang);
    const rules = new Set(g.rules.map((r) => r.name));
    const lexemes = new Set(g.lexemes.map((l) => l.name));
    const t = SITES[lang];
    assert.ok(lexemes.has(t.identifier), `${lang}: ${t.identifier}`);
    assert.ok(rules.has(t.body({ async: false, kind: 'function' })), `${lang}: body rule`);
    for (const s of t.sites) {
      if (s.type === 'clone') {
        assert.ok(rules.has(s.child), `${lang}: ${s.child}`);
        for (const f of s.family) assert.ok(rules.has(f), `${lang}: ${f}`);
      }
      if ('lexeme' in s && s.lexeme) assert.ok(lexemes.has(s.lexeme), `${lang}: ${s.lexeme}`);
      const re = s.type === 'clone' ? s.parents : s.rules;
      if (re) assert.ok([...rules].some((r) => re.test(r)), `${lang}: a rule matching ${re}`);
    }
  }
});

test('each language finds sites for its main kinds', () => {
  const expect: Record<ProgramLanguage, IdentifierKind[]> = {
    typescript: ['function', 'type', 'variable', 'parameter', 'method', 'field'],
    javascript: ['function', 'type', 'variable', 'parameter', 'method', 'field'],
    python: ['type', 'variable', 'parameter'],
    go: ['type', 'variable', 'constant', 'parameter', 'field'],
    rust: ['type', 'field', 'constant', 'variable', 'parameter'],
  };
  for (const lang of PROGRAM_LANGUAGES) {
    const kinds: IdentifierKind[] = ['function', 'method', 'type', 'variable', 'constant', 'parameter', 'field'];
    const r = emitProgramGrammar({ language: lang, naming: naming(kinds.map((k) => [k, 'camelCase'])), forbiddenNames: new Map(), start: { kind: 'module' } });
    for (const k of expect[lang]) assert.ok((r.sites[k] ?? 0) > 0, `${lang}: ${k} has ${r.sites[k]} sites`);
  }
});

test('TypeScript: declarations follow the styles; references and member names stay free', () => {
  // At module level a `const` may declare a constant (Clew: a module-level const with a literal), so its style counts too.
  const ok = checker({ language: 'typescript', naming: naming([['variable', 'camelCase'], ['constant', 'SCREAMING_SNAKE_CASE'], ['parameter', 'camelCase'], ['type', 'PascalCase'], ['function', 'camelCase']]), forbiddenNames: new Map(), start: { kind: 'module' } });
  assert.ok(ok('const totalCount = other_module.some_value;\n'));
  assert.ok(ok('function addAll(firstItem: number) { return snake_ref(firstItem); }\n'));
  assert.ok(ok('class UserStore {}\ninterface ReadOnly {}\n'));
  assert.equal(ok('const total_count = 1;\n'), false);
  assert.ok(ok('const TOTAL_COUNT = 1;\n'));
  assert.equal(ok('function add_all() {}\n'), false);
  assert.equal(ok('function addAll(first_item: number) {}\n'), false);
  assert.equal(ok('class userStore {}\n'), false);
  assert.equal(ok('let { a_b } = obj;\n'), false, 'destructuring declares a_b');
  assert.ok(ok('const f = (itemCount: number) => itemCount;\n'));
  assert.equal(ok('const f = (item_count: number) => item_count;\n'), false);
});

test('TypeScript: a forbidden name cannot be written as an identifier or a member', () => {
  const ok = checker({ language: 'typescript', naming: new Map(), forbiddenNames: new Map([['eval', ['sec']]]), start: { kind: 'module' } });
  assert.ok(ok('const evaluate = 1;\nretrieval();\n'));
  assert.equal(ok('eval("1");\n'), false);
  assert.equal(ok('globalThis.eval("1");\n'), false);
});

test('TypeScript: imports limited to the allowed modules, their subpaths and relative paths', () => {
  const ok = checker({ language: 'typescript', naming: new Map(), forbiddenNames: new Map(), allowedModules: { modules: ['node:fs', '@scope/pkg'], ids: ['imp'] }, start: { kind: 'module' } });
  assert.ok(ok('import fs from "node:fs";\nimport { x } from "@scope/pkg/sub";\nimport { y } from \'./local.ts\';\n'));
  assert.equal(ok('import _ from "lodash";\n'), false);
  assert.equal(ok('export { a } from "lodash";\n'), false);
  assert.ok(ok('export * from "../up.ts";\n'));
});

test('Python: def, class, assignment targets and parameters', () => {
  const ok = checker({ language: 'python', naming: naming([['function', 'snake_case'], ['method', 'snake_case'], ['type', 'PascalCase'], ['variable', 'snake_case'], ['constant', 'SCREAMING_SNAKE_CASE'], ['parameter', 'snake_case']]), forbiddenNames: new Map(), start: { kind: 'module' } });
  assert.ok(ok('class UserStore:\n    def load_all(self, file_path):\n        item_count = 0\n        MAX_ITEMS = 3\n        self.someAttr = 1\n        return item_count\n'));
  assert.equal(ok('class user_store:\n    pass\n'), false);
  assert.equal(ok('def loadAll():\n    pass\n'), false);
  assert.equal(ok('itemCount = 0\n'), false);
  assert.equal(ok('def f(filePath):\n    pass\n'), false);
});

test('body and declaration targets: the head is forced, the body follows the rules', () => {
  const req = (start: EmitRequest['start']): EmitRequest => ({ language: 'python', naming: naming([['variable', 'snake_case'], ['constant', 'SCREAMING_SNAKE_CASE']]), forbiddenNames: new Map(), start });
  const decl = checker(req({ kind: 'declaration', head: 'def total(items: list) -> int:', fn: { async: false, kind: 'function' } }));
  assert.ok(decl('def total(items: list) -> int:\n    item_sum = 0\n    return item_sum\n'));
  assert.equal(decl('def total(items: list) -> int:\n    itemSum = 0\n    return itemSum\n'), false);
  assert.equal(decl('def total(xs: list) -> int:\n    return 0\n'), false);
  const body = checker(req({ kind: 'body', fn: { async: true, kind: 'function' } }));
  assert.ok(body('\n    result = await fetch()\n    return result\n'));
  const go = checker({ language: 'go', naming: naming([['type', 'PascalCase']]), forbiddenNames: new Map([['panic', ['p']]]), start: { kind: 'declaration', head: 'func Sum(xs []int) int ', fn: { async: false, kind: 'function' } } });
  assert.ok(go('func Sum(xs []int) int {\n\ttotal := 0\n\tfor _, x := range xs {\n\t\ttotal += x\n\t}\n\treturn total\n}'));
  assert.equal(go('func Sum(xs []int) int {\n\tpanic("no")\n}'), false);
  const goNames = checker({ language: 'go', naming: naming([['variable', 'camelCase'], ['parameter', 'camelCase']]), forbiddenNames: new Map(), start: { kind: 'module' } });
  assert.ok(goNames('package p\n\nfunc f(itemCount int) {\n\ttotalSum := itemCount\n\tvar runningMax int\n\t_ = runningMax + total_ref\n}\n'));
  assert.equal(goNames('package p\n\nfunc f(item_count int) {}\n'), false);
  assert.equal(goNames('package p\n\nfunc f() {\n\ttotal_sum := 1\n\t_ = total_sum\n}\n'), false);
  const rust = checker({ language: 'rust', naming: naming([['type', 'PascalCase']]), forbiddenNames: new Map(), start: { kind: 'body', fn: { async: false, kind: 'function' } } });
  assert.ok(rust('{\n    struct Point { x: i32 }\n    let p = Point { x: 1 };\n    p.x\n}'));
  assert.equal(rust('{\n    struct point { x: i32 }\n    0\n}'), false);
});
