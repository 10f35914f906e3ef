/**
 * A Python function's body sent to a server: the portable expansion counts indentation in fixed
 * units from a fixed base, so the IR says where the function sits (ConstraintIR.indent) and the
 * server's grammar reads the body at that depth, in the file's one unit.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileConstraints } from '../../src/braid/index.ts';
import { byteTokenizer, compile, parseLark, portableGrammar, EngineError } from '../../src/engine/index.ts';
import { serverConstraint } from '../../src/maze/backends/server-grammar.ts';
import { resolveTarget, withCodebaseIndent } from '../../src/eval/target-context.ts';
import { codebaseIndent, indentUnder, indentUnit, sourceIndent } from '../../src/eval/source-indent.ts';
import { extractRepo } from '../../src/clew/index.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-indent-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const METHOD_FILE = 'class Chart:\n    def get(self, code):\n        return self.accounts[code]\n';

test('sourceIndent: the whitespace before the def, and the file\'s step read from its blocks', () => {
  assert.deepEqual(sourceIndent(METHOD_FILE, METHOD_FILE.indexOf('def')), { base: '    ', unit: '    ' });
  const two = 'class A:\n  def f(self):\n    if x:\n      return 1\n';
  assert.deepEqual(sourceIndent(two, two.indexOf('def')), { base: '  ', unit: '  ' });
  const tabs = 'class A:\n\tdef f(self):\n\t\treturn 1\n';
  assert.deepEqual(sourceIndent(tabs, tabs.indexOf('def')), { base: '\t', unit: '\t' });
  assert.deepEqual(sourceIndent('def f():\n  return 1\n', 0), { base: '', unit: '  ' });
  // A new target's signature: its own whitespace, a tab there making the unit a tab.
  assert.deepEqual(indentUnder(METHOD_FILE, '    def has(self):'), { base: '    ', unit: '    ' });
  assert.deepEqual(indentUnder(METHOD_FILE, '\tdef has(self):'), { base: '\t', unit: '\t' });
  // No block to read a step from: PEP 8's four spaces. Continuation lines do not vote.
  assert.equal(indentUnit('x = 1\n'), '    ');
  assert.equal(indentUnit('x = f(1,\n      2)\nif x:\n    y = 1\n'), '    ');
});

test('a Python method target (function, body, new) carries its indentation; a TypeScript one none', async () => {
  const py = path.join(tmp, 'chart.py');
  fs.writeFileSync(py, METHOD_FILE);
  const body = await resolveTarget({ kind: 'body', file: py, name: 'Chart.get' });
  assert.deepEqual(body.ctx.indent, { base: '    ', unit: '    ' });
  const fn = await resolveTarget({ kind: 'function', file: py, name: 'Chart.get' });
  assert.deepEqual(fn.ctx.indent, { base: '    ', unit: '    ' });
  // A new method: where its signature's own whitespace puts it.
  const added = await resolveTarget({ kind: 'new', file: py, line: 3, signature: '    def has(self, code):' });
  assert.deepEqual(added.ctx.indent, { base: '    ', unit: '    ' });
  const ts = path.join(tmp, 'chart.ts');
  fs.writeFileSync(ts, 'export class Chart {\n  get(code: string): number {\n    return 1;\n  }\n}\n');
  assert.equal((await resolveTarget({ kind: 'body', file: ts, name: 'Chart.get' })).ctx.indent, undefined);
});

test('the server grammar of a method body reads it at the method\'s depth, in one unit', () => {
  const target = { kind: 'body' as const, file: 'chart.py', name: 'Chart.get' };
  const fn = { name: 'Chart.get', async: false, kind: 'method' as const };
  const withIndent = compileConstraints([], { target, language: 'python', fn, indent: { base: '    ', unit: '    ' } }).ir;
  assert.deepEqual(withIndent.indent, { base: '    ', unit: '    ' });
  const sent = serverConstraint(withIndent, 'vllm');
  assert.equal(sent.kind, 'grammar');
  const text = (sent as { text: string }).text;
  const cg = compile(parseLark(text), byteTokenizer());
  assert.equal(cg.check('\n        return self.accounts[code]\n').accepted, true, 'the body at the method\'s depth');
  assert.equal(cg.check('\n        if code:\n            return 1\n        return 2\n').accepted, true, 'a nested block, one more unit');
  assert.equal(cg.check('\n    return self.accounts[code]\n').accepted, false, 'a body at the def\'s own column');
  assert.equal(cg.check('\n        if code:\n          return 1\n').accepted, false, 'two spaces in a four-space file');
  // Without it (an IR from before the field): all three units from column 0, three times the rules,
  // and the body at its real depth refused by a longest-match lexer (llguidance's).
  const { indent: _, ...old } = withIndent;
  const oldText = (serverConstraint(old, 'vllm') as { text: string }).text;
  assert.ok(oldText.length > 2 * text.length, `${oldText.length} against ${text.length}`);
  assert.equal(compile(parseLark(oldText), byteTokenizer()).check('\n        return self.accounts[code]\n').accepted, false);
});

test('portableGrammar refuses a baseIndent that is not spaces and tabs', () => {
  const g = parseLark('%llguidance {"indentation": {"newline": "NL", "indent": "INDENT", "dedent": "DEDENT"}}\n%declare INDENT DEDENT\nstart: "a" ":" NL INDENT "b" NL DEDENT\nNL: /\\n[ ]*/\n');
  assert.throws(() => portableGrammar(g, { baseIndent: 'x' }), (e: unknown) => e instanceof EngineError && /baseIndent/.test(e.message));
  const plain = compile(portableGrammar(g, { baseIndent: '  ', indentUnits: ['  '] }), byteTokenizer());
  assert.equal(plain.check('a:\n    b\n').accepted, true);
  assert.equal(plain.check('a:\n  b\n').accepted, false);
});

test('a Python module target with a context takes the codebase\'s step; without one, or in TypeScript, none', async () => {
  // The extractor counts each Python file's steps as signals (indent.spaces2, indent.tab, …).
  const two = path.join(tmp, 'two');
  fs.mkdirSync(two);
  fs.writeFileSync(path.join(two, 'a.py'), 'def f(x):\n  if x:\n    return 1\n  return 2\n');
  fs.writeFileSync(path.join(two, 'b.py'), 'class B:\n  def g(self):\n    pass\n');
  fs.writeFileSync(path.join(two, 'c.py'), 'def h():\n\treturn 0\n');
  const r = await extractRepo([two], { cache: false });
  const a = r.facts.files.find((f) => f.path.endsWith('a.py'))!;
  assert.deepEqual([a.signals['indent.spaces2'], a.signals['indent.tab']], [2, undefined]);
  assert.equal(r.facts.files.find((f) => f.path.endsWith('c.py'))!.signals['indent.tab'], 1);
  assert.deepEqual(codebaseIndent(r.facts.files), { base: '', unit: '  ' }, 'four blocks open by two spaces, one by a tab');
  const module = await resolveTarget({ kind: 'module', language: 'python' });
  assert.equal(module.ctx.indent, undefined);
  assert.deepEqual(withCodebaseIndent(module, r.facts.files).ctx.indent, { base: '', unit: '  ' });
  assert.equal(withCodebaseIndent(module, []).ctx.indent, undefined, 'no Python file: every unit');
  const ts = await resolveTarget({ kind: 'module', language: 'typescript' });
  assert.equal(withCodebaseIndent(ts, r.facts.files).ctx.indent, undefined);
  // A function target keeps its own file's indentation.
  const method = path.join(tmp, 'method4.py');
  fs.writeFileSync(method, METHOD_FILE);
  const body = await resolveTarget({ kind: 'body', file: method, name: 'Chart.get' });
  assert.deepEqual(withCodebaseIndent(body, r.facts.files).ctx.indent, { base: '    ', unit: '    ' });
  // The IR carries it, and the server's grammar reads two-space modules only.
  const ir = compileConstraints([], withCodebaseIndent(module, r.facts.files).ctx).ir;
  assert.deepEqual(ir.indent, { base: '', unit: '  ' });
  const sent = serverConstraint(ir, 'vllm');
  assert.equal(sent.kind, 'grammar');
  const cg = compile(parseLark((sent as { text: string }).text), byteTokenizer());
  assert.equal(cg.matches('def f(x):\n  if x:\n    return 1\n  return 2\n'), true);
  assert.equal(cg.matches('def f(x):\n    return 1\n'), false, 'four spaces are not this codebase\'s step');
});
