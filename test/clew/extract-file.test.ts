import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AnankeError, LANGUAGES } from '../../src/core/index.ts';
import { extractFile, extractFileSync, prepareLanguage } from '../../src/clew/extract-file.ts';
import type { Node } from 'web-tree-sitter';
import {
  cleanComment, docBefore, nameText, OrderedScan, qualifiedName, signatureText,
} from '../../src/clew/languages/common.ts';
import { MAX_SCOPE_BINDINGS } from '../../src/clew/languages/scope-bindings.ts';
import { parse } from '../../src/clew/parser.ts';
import { extractorFor } from '../../src/clew/languages/registry.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/clew/', import.meta.url));

test('a TypeScript file with syntax errors yields what can be recovered, with diagnostics', async () => {
  const f = await extractFile('broken.ts', readFileSync(FIXTURES + 'typescript/broken.ts', 'utf8'), 'typescript');
  assert.ok(f.diagnostics.length >= 1);
  assert.ok(f.diagnostics.some((d) => d.line === 7 && /missing|syntax error/.test(d.message)), JSON.stringify(f.diagnostics));
  for (const d of f.diagnostics) {
    assert.ok(d.line >= 1 && d.column >= 1);
    assert.ok(d.message.length > 0);
  }
  // Everything around the error is still there.
  assert.deepEqual(f.functions.map(qualifiedName), ['ok', 'broken', 'Later.run']);
  assert.deepEqual(f.functions[0]!.params, [{ name: 'a', type: 'number' }]);
  assert.deepEqual(f.imports.map((i) => i.module), ['./helper.ts']);
  assert.deepEqual(f.types.map((t) => t.name), ['Later']);
  // The TODO inside the broken function is still a hole, attached to it.
  assert.equal(f.holes.length, 1);
  assert.equal(f.holes[0]!.kind, 'todo');
  assert.equal(f.holes[0]!.enclosing?.name, 'broken');
});

test('a Python file with syntax errors yields what can be recovered, with diagnostics', async () => {
  const f = await extractFile('broken.py', readFileSync(FIXTURES + 'python/broken.py', 'utf8'), 'python');
  assert.ok(f.diagnostics.length >= 1);
  assert.equal(f.diagnostics[0]!.line, 9);
  assert.match(f.diagnostics[0]!.message, /syntax error/);
  assert.deepEqual(f.functions.map(qualifiedName), ['fine', 'broken', 'Survivor.method']);
  assert.deepEqual(f.holes.map((h) => `${h.kind}:${h.enclosing?.name}`), ['todo:broken']);
});

test('diagnostics report missing tokens by name', async () => {
  const f = await extractFile('m.ts', 'function f(a: number {\n  return a;\n}\n', 'typescript');
  assert.ok(f.diagnostics.some((d) => d.message === 'missing ")"' && d.line === 1), JSON.stringify(f.diagnostics));
  assert.deepEqual(f.functions.map((x) => x.name), ['f']);
});

test('comment holes: TODO/FIXME/XXX/HACK in line and block comments, with position and enclosing signature', async () => {
  const src = [
    'export function load(path: string): string {', // 1
    '  /* first line', // 2
    '     XXX: this reads the whole file */', // 3
    '  return path; // HACK: stub', // 4
    '}', // 5
    '// TODO(ana): cache results', // 6
    'export function save(data: string, path: string): void {}', // 7
    '// todo in lower case is prose, not a marker', // 8
    'const s = "TODO: in a string is not a comment";', // 9
  ].join('\n');
  const f = await extractFile('h.ts', src, 'typescript');
  assert.deepEqual(f.holes.map((h) => [h.kind, h.line, h.column, h.text]), [
    ['fixme', 3, 6, 'XXX: this reads the whole file'],
    ['fixme', 4, 19, 'HACK: stub'],
    ['todo', 6, 4, 'TODO(ana): cache results'],
  ]);
  assert.equal(f.holes[0]!.enclosing?.signature, 'load(path: string): string');
  // A marker on the line just above a function is about that function.
  assert.equal(f.holes[2]!.enclosing?.name, 'save');
});

test('comment holes are found for languages whatever their extractor (Go, Ruby)', async () => {
  const go = await extractFile('main.go', 'package main\n\nfunc Run() error {\n\t// FIXME: retry on failure\n\treturn nil\n}\n', 'go');
  assert.deepEqual(go.holes.map((h) => [h.kind, h.line, h.text]), [['fixme', 4, 'FIXME: retry on failure']]);
  const rb = await extractFile('a.rb', "# TODO: remove after v2\nputs 'hi'\n", 'ruby');
  assert.deepEqual(rb.holes.map((h) => [h.kind, h.line, h.column, h.text]), [['todo', 1, 3, 'TODO: remove after v2']]);
});

test('line and byte counts, path and language', async () => {
  const src = 'const π = 3.14;\nconst s = "é";\n';
  const f = await extractFile('src/u.js', src, 'javascript');
  assert.equal(f.path, 'src/u.js');
  assert.equal(f.language, 'javascript');
  assert.equal(f.lines, 2);
  assert.equal(f.bytes, Buffer.byteLength(src));
  assert.equal(f.bytes, src.length + 2); // π and é take two bytes each in UTF-8
});

test('columns count UTF-16 code units (JavaScript string indices), 1-based', async () => {
  const src = 'const é = "😀"; function f(a: number) {}\n';
  const f = await extractFile('c.ts', src, 'typescript');
  assert.equal(f.functions[0]!.column, src.indexOf('function') + 1);
  assert.equal(f.functions[0]!.column, 17);
});

test('an empty file has no facts and no diagnostics', async () => {
  const f = await extractFile('e.py', '', 'python');
  assert.equal(f.lines, 0);
  assert.equal(f.bytes, 0);
  assert.deepEqual([f.functions, f.types, f.imports, f.holes, f.diagnostics], [[], [], [], [], []]);
});

test('extractFileSync works after prepareLanguage and says what to do before it', async () => {
  await prepareLanguage('python');
  const f = extractFileSync('s.py', 'def f(x):\n    return x\n', 'python');
  assert.deepEqual(f.functions.map((x) => x.name), ['f']);
  assert.throws(() => extractFileSync('x.c', 'int main(void) { return 0; }', 'c'), (e: unknown) =>
    e instanceof AnankeError && /prepareLanguage\('c'\)/.test(e.message));
});

test('the registry maps every language to an extractor', () => {
  for (const l of LANGUAGES) assert.equal(typeof extractorFor(l), 'function', `no extractor for ${l}`);
  assert.equal(extractorFor('tsx'), extractorFor('typescript'));
  assert.equal(extractorFor('javascript'), extractorFor('typescript'));
});

test('bad input gets a clear error: an unknown language, absurdly deep nesting', async () => {
  await assert.rejects(extractFile('a.cob', 'DISPLAY "HI".', 'cobol' as never), (e: unknown) =>
    e instanceof AnankeError && e.code === 'UNSUPPORTED' && /unknown language "cobol"/.test(e.message));
  const depth = 5000;
  const src = Array.from({ length: depth }, (_, i) => `const f${i} = () => {\n`).join('') + '};\n'.repeat(depth);
  await assert.rejects(extractFile('deep.ts', src, 'typescript'), (e: unknown) =>
    e instanceof AnankeError && e.code === 'LIMIT' && /nested too deeply/.test(e.message));
  // The parser is still usable afterwards.
  const f = await extractFile('ok.ts', 'function ok() {}', 'typescript');
  assert.deepEqual(f.functions.map((x) => x.name), ['ok']);
});

test('python scopes include with/except targets and walrus names', async () => {
  const src = 'def f(p):\n    with open(p) as fh:\n        pass\n    try:\n        pass\n    except OSError as err:\n        pass\n    if (n := len(p)) > 1:\n        pass\n';
  const f = await extractFile('w.py', src, 'python');
  const names = f.scopes[0]!.bindings.map((b) => `${b.kind}:${b.name}`);
  assert.deepEqual(names, ['parameter:p', 'local:fh', 'local:err', 'local:n', 'module:f']);
});

test('scopes are capped, keeping the function\'s own names first', async () => {
  const names = Array.from({ length: 400 }, (_, i) => `CONST_${i} = ${i}`).join('\n');
  const f = await extractFile('many.py', `${names}\ndef f(a: int, b):\n    c: str = ""\n    return a\n`, 'python');
  const scope = f.scopes[0]!;
  assert.equal(scope.bindings.length, MAX_SCOPE_BINDINGS);
  assert.deepEqual(scope.bindings.slice(0, 3), [
    { name: 'a', type: 'int', kind: 'parameter' }, { name: 'b', kind: 'parameter' }, { name: 'c', type: 'str', kind: 'local' },
  ]);
  assert.deepEqual(scope.bindings[3], { name: 'CONST_0', kind: 'module' });
});

test('common helpers: OrderedScan order, nameText, docBefore, signatureText', async () => {
  const src = '/** Adds. */\nexport function add(a: number, b = 2): number { const f = () => a; return f() + b; }\nclass K { m() { return (x) => x; } }\n';
  const tree = await parse('typescript', src);
  try {
    const root = tree.rootNode;
    const scan = new OrderedScan(root, ['function_declaration', 'arrow_function', 'class_declaration']);
    const seen: string[] = [];
    const visit = (e: Node, type: string): void => {
      seen.push(`${type}@${e.startPosition.row + 1}`);
      scan.scan(e, visit); // nested entries come from scanning inside the entry
    };
    scan.scan(root, visit);
    assert.deepEqual(seen, ['function_declaration@2', 'arrow_function@2', 'class_declaration@3', 'arrow_function@3']);

    const fnNode = root.descendantsOfType('function_declaration')[0]!;
    assert.equal(nameText(fnNode.childForFieldName('name')!, src), 'add');
    assert.equal(docBefore(fnNode.parent!, true), 'Adds.');
  } finally {
    tree.delete();
  }
  assert.equal(signatureText({
    name: 'get', kind: 'method', container: 'Cache', params: [{ name: 'key', type: 'K' }, { name: 'fallback', type: 'V', optional: true }, { name: 'rest', variadic: true }],
    returnType: 'V | undefined', async: true, generator: false, exported: true, decorators: [], typeParams: ['K', 'V'], line: 1, column: 1,
  }), 'async Cache.get<K, V>(key: K, fallback?: V, ...rest): V | undefined');
  assert.equal(cleanComment('/**\n * One.\n * Two.\n */'), 'One.\nTwo.');
  assert.equal(cleanComment('/// Rust doc'), 'Rust doc');
  assert.equal(cleanComment('# python comment'), 'python comment');
});
