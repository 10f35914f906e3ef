import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileAriadneSource, DEFAULT_ARIADNE_LIMITS } from '../../src/ariadne/index.ts';
import { brief, compile, compileFiles, MEM_ROOT } from './helpers.ts';

test('a file over the size limit is one clear error, not read', () => {
  const big = 'constraint c { regex: "a" }\n'.repeat(50);
  const r = compileFiles(['big.ariadne'], { 'big.ariadne': big }, { maxFileBytes: 1000 });
  assert.deepEqual(brief(r.diagnostics), [`1:1 error: is ${(big.length / 1024).toFixed(1)} KiB, over the 1000 bytes limit for an .ariadne file`]);
  assert.equal(r.constraints.length, 0);
  const imported = compileFiles(['main.ariadne'], { 'main.ariadne': 'import big\n', 'big.ariadne': big }, { maxFileBytes: 1000 });
  assert.deepEqual(brief(imported.diagnostics), [`1:8 error: big.ariadne is ${(big.length / 1024).toFixed(1)} KiB, over the 1000 bytes limit for an .ariadne file`]);
  assert.equal(DEFAULT_ARIADNE_LIMITS.maxFileBytes, 1024 * 1024);
});

test('a binary file (NUL bytes) or one that is not UTF-8 is a clear error', () => {
  const r = compileFiles(['bin.ariadne', 'latin.ariadne'], {
    'bin.ariadne': new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]),
    'latin.ariadne': new Uint8Array([...new TextEncoder().encode('constraint caf'), 0xe9, 0x20, 0x7b, 0x7d]),
  });
  assert.deepEqual(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`), [
    'bin.ariadne:1:1 is not a text file (it holds NUL bytes): an .ariadne file is UTF-8 text',
    'latin.ariadne:1:1 is not UTF-8 text: an .ariadne file is UTF-8 text',
  ]);
});

test('diagnostics stop being kept at the limit; the rest are counted', () => {
  const text = Array.from({ length: 30 }, (_, i) => `constraint c${i} { regex: 1 }\n`).join('');
  const r = compile(text, {}, { maxDiagnostics: 10 });
  assert.equal(r.diagnostics.length, 10);
  assert.equal(r.suppressed, 20);
  assert.equal(r.errors, 30);
});

test('values nested past the depth limit are one error, and very deep nesting cannot overflow the stack', () => {
  const r = compile(`constraint c { json_schema: ${'['.repeat(70)}${']'.repeat(70)} }\nconstraint d { regex: "ok" }\n`);
  assert.deepEqual(brief(r.diagnostics), ['1:94 error: values nest deeper than 64 levels']);
  assert.deepEqual(r.constraints.map((c) => c.id), ['d']);
  const deep = compile(`constraint c { v: ${'{a:'.repeat(200_000)} }`);
  assert.ok(deep.errors >= 1);
});

test('the number of files one compilation reads is limited', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 10; i++) files[`m${i}.ariadne`] = `import m${i + 1}\nconstraint c${i} { regex: "${i}" }\n`;
  const r = compileFiles(['m0.ariadne'], files, { maxFiles: 4 });
  assert.deepEqual(r.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`), [
    'm3.ariadne:1 more than 4 files in one compilation (the limit); not reading further imports',
  ]);
  assert.equal(r.constraints.length, 4);
});

const PIECES = [
  'constraint', 'module', 'import', 'pub', 'const', 'fn', 'query', 'async', 'a', 'b.c', ' ', '\n', '{', '}', '[', ']', '(', ')', ':',
  ',', ';', '.', '=', '->', '"s"', '"""', '"', '\\', '1', '-2.5e3', 'true', 'null', '--c\n', '//', '#', '@', '<', '>', '\t', 'é', '\u0000',
  '.Error', 'regex', 'naming', 'forbid', 'json_schema', '"""\n  x\n  """',
];

test('any input terminates with diagnostics instead of throwing or hanging (generated token soup)', () => {
  fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 120 }), (pieces) => {
    const r = compileAriadneSource(pieces.join(''), { cwd: MEM_ROOT, host: { read: () => ({ missing: true }) } });
    for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.column >= 1 && d.length >= 1);
  }), { numRuns: 500 });
});

test('any text terminates too (generated strings)', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (s) => {
    compileAriadneSource(`constraint c {\n  ${s}\n}\n${s}`, { cwd: MEM_ROOT, host: { read: () => ({ missing: true }) } });
  }), { numRuns: 300 });
});
