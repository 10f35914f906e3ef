/**
 * Imports restricted in the grammar for Python, Go and Rust (src/braid/emit.ts, restrictImports):
 * an allowed-imports or forbidden-imports constraint makes the module of every import statement
 * one the constraint allows; real files of this repository (examples/py-ledger, the Go and Rust
 * fixtures) read whole under the modules they import, and not when one of them is left out; the
 * grammars still print with `--portable`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileConstraints } from '../../src/braid/index.ts';
import { describeRule, type Constraint, type Language, type Rule } from '../../src/core/index.ts';
import { byteTokenizer, compile, parseLark, printGbnf, printLark, type CompiledGrammar } from '../../src/engine/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function constraint(id: string, rule: Rule): Constraint {
  return { id, kind: 'architectural', severity: 'error', priority: 10, confidence: 1, source: 'user_defined', rule, description: describeRule(rule) };
}

function moduleGrammar(language: Language, rules: Rule[]): { cg: CompiledGrammar; ir: ReturnType<typeof compileConstraints>['ir']; grammar: ReturnType<typeof compileConstraints>['grammar'] } {
  const { ir, grammar } = compileConstraints(rules.map((r, i) => constraint(`imp${i}`, r)), { target: { kind: 'module', language }, language });
  return { cg: compile(parseLark(ir.grammar), byteTokenizer()), ir, grammar };
}

function accepts(cg: CompiledGrammar, text: string): boolean {
  return cg.check(text).accepted;
}

const CASES: Array<{ language: Language; rule: Rule; accept: string[]; reject: string[] }> = [
  {
    language: 'python', rule: { type: 'allowed_imports', modules: ['os', 'numpy.linalg'] },
    accept: ['import os\n', 'import os.path\n', 'import os as o, numpy.linalg\n', 'from os import path\n', 'from os.path import join as j\n', 'from . import x\n', 'from .mod import y\n', 'from numpy.linalg import norm\n', 'def f():\n    import os\n    return os\n'],
    // `from osimport x` must not read as `from os import x`: the keyword after the module needs a space.
    reject: ['import sys\n', 'from sys import argv\n', 'import numpy\n', 'from osimport x\n', 'import osas o\n', 'import os, sys\n', 'from numpy import linalg\n', 'def f():\n    import sys\n'],
  },
  {
    language: 'python', rule: { type: 'forbidden_imports', modules: ['subprocess'] },
    accept: ['import os\n', 'from os import path\n', 'import subprocessx\n'],
    reject: ['import subprocess\n', 'from subprocess import run\n', 'import subprocess.x\n'],
  },
  {
    language: 'go', rule: { type: 'allowed_imports', modules: ['fmt', 'github.com/a/b'] },
    accept: ['package main\n\nimport "fmt"\n', 'package main\n\nimport (\n\t"fmt"\n\tb "github.com/a/b/c"\n)\n', 'package main\n\nimport `fmt`\n'],
    reject: ['package main\n\nimport "os"\n', 'package main\n\nimport (\n\t"fmt"\n\t"os/exec"\n)\n', 'package main\n\nimport "fmtx"\n'],
  },
  {
    language: 'rust', rule: { type: 'allowed_imports', modules: ['std', 'serde'] },
    accept: ['use std::io;\n', 'use std::collections::{HashMap, HashSet};\n', 'use serde::Deserialize;\n', 'use crate::x::y;\n', 'use super::z;\n', 'use self::a as b;\n', 'use std as s;\n', 'use ::std::fmt;\n', 'extern crate serde;\n', 'extern crate serde as s;\n', 'fn f() {\n    use std::io;\n}\n', 'use std::io::{self, Read};\n'],
    reject: ['use tokio::io;\n', 'use stdx::io;\n', 'extern crate tokio;\n', 'use stdas s;\n', 'fn f() {\n    use rand::Rng;\n}\n', 'use ::tokio::x;\n'],
  },
  {
    language: 'rust', rule: { type: 'forbidden_imports', modules: ['rand'] },
    accept: ['use std::io;\n', 'use randx::y;\n', 'extern crate serde as rand2;\n'],
    reject: ['use rand::Rng;\n', 'extern crate rand;\n', 'use ::rand::x;\n'],
  },
];

for (const c of CASES) {
  test(`${c.language}: ${c.rule.type} ${JSON.stringify((c.rule as { modules: string[] }).modules)} in the grammar; accepts the allowed, rejects the rest; prints --portable`, () => {
    const { cg, ir, grammar } = moduleGrammar(c.language, [c.rule]);
    const e = ir.enforcement[0]!;
    assert.equal(e.mode, 'decode', e.reason);
    assert.deepEqual(e.grammarSymbols, ['IMPORT_MODULE']);
    for (const t of c.accept) assert.ok(accepts(cg, t), `accepts ${JSON.stringify(t)}: ${cg.check(t).message}`);
    for (const t of c.reject) assert.ok(!accepts(cg, t), `rejects ${JSON.stringify(t)}`);
    // --portable: the grammar prints without Ananke's extensions, and what it prints still rejects.
    const portable = printLark(grammar, { portable: true });
    assert.match(portable, /IMPORT_MODULE/);
    const pg = compile(parseLark(portable), byteTokenizer());
    assert.ok(accepts(pg, c.accept[0]!));
    assert.ok(!accepts(pg, c.reject[0]!));
    assert.ok(printGbnf(grammar).length > 0);
  });
}

test('rust: a module below a crate (std::fs) restricts the crate in the grammar and is checked after generation', () => {
  const { ir, cg } = moduleGrammar('rust', [{ type: 'forbidden_imports', modules: ['std::fs', 'rand'] }]);
  assert.equal(ir.enforcement[0]!.mode, 'check');
  assert.match(ir.enforcement[0]!.reason, /std::fs is a path below a crate/);
  assert.ok(accepts(cg, 'use std::fs;\n'), 'the grammar does not forbid the crate std');
  assert.ok(!accepts(cg, 'use rand::Rng;\n'));
  const { ir: allowed, cg: cg2 } = moduleGrammar('rust', [{ type: 'allowed_imports', modules: ['std::collections'] }]);
  assert.equal(allowed.enforcement[0]!.mode, 'check');
  assert.ok(accepts(cg2, 'use std::collections::HashMap;\n'));
  assert.ok(!accepts(cg2, 'use serde::Serialize;\n'));
});

test('python and rust function bodies can import: a body target restricts them too; go and typescript bodies cannot', () => {
  for (const [language, allowed] of [['python', 'decode'], ['rust', 'decode'], ['go', 'check'], ['typescript', 'check']] as const) {
    const { ir } = compileConstraints([constraint('imp', { type: 'allowed_imports', modules: ['os'] })], { target: { kind: 'body', file: 'x', name: 'f' }, language, fn: { name: 'f', async: false, kind: 'function' } });
    assert.equal(ir.enforcement[0]!.mode, allowed, `${language}: ${ir.enforcement[0]!.reason}`);
  }
});

/** The top-level modules a file imports, read plainly. */
function importsOf(language: Language, text: string): string[] {
  const out = new Set<string>();
  if (language === 'python') {
    for (const m of text.matchAll(/^(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))/gm)) out.add((m[1] ?? m[2])!.split('.')[0]!);
  } else if (language === 'go') {
    const block = /^import\s*\(([\s\S]*?)\)/m.exec(text)?.[1] ?? '';
    for (const m of block.matchAll(/"([^"]+)"/g)) out.add(m[1]!);
    for (const m of text.matchAll(/^import\s+(?:\w+\s+)?"([^"]+)"/gm)) out.add(m[1]!);
  } else {
    for (const m of text.matchAll(/^use\s+(?:::)?(\w+)/gm)) if (!['crate', 'self', 'super'].includes(m[1]!)) out.add(m[1]!);
  }
  return [...out].sort();
}

test('real files: each reads whole under the modules it imports, and is rejected when one is left out', () => {
  const files: Array<[Language, string]> = [
    ...fs.readdirSync(path.join(ROOT, 'examples/py-ledger/ledger')).filter((f) => f.endsWith('.py')).map((f): [Language, string] => ['python', `examples/py-ledger/ledger/${f}`]),
    ['go', 'test/fixtures/clew/go/server.go'],
    ['rust', 'test/fixtures/clew/rust/inventory.rs'],
    ['rust', 'test/fixtures/repos/mixed/rust/src/lib.rs'],
  ];
  let checked = 0;
  for (const [language, file] of files) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const modules = importsOf(language, text);
    if (modules.length === 0) continue;
    const plain = moduleGrammar(language, []).cg;
    if (!accepts(plain, text)) continue; // only files the program grammar reads
    const { cg } = moduleGrammar(language, [{ type: 'allowed_imports', modules }]);
    assert.ok(accepts(cg, text), `${file} under ${modules.join(', ')}: ${cg.check(text).message}`);
    const without = moduleGrammar(language, [{ type: 'allowed_imports', modules: modules.slice(1) }]).cg;
    assert.ok(!accepts(without, text), `${file} without ${modules[0]} is rejected`);
    const forbidden = moduleGrammar(language, [{ type: 'forbidden_imports', modules: [modules[0]!] }]).cg;
    assert.ok(!accepts(forbidden, text), `${file} with ${modules[0]} forbidden is rejected`);
    checked++;
  }
  assert.ok(checked >= 8, `${checked} files checked`);
});
