/**
 * Accuracy oracle: Clew's TypeScript functions (qualified name + parameter names) against the
 * TypeScript compiler's own AST, on this project's src/**\/*.ts and a fixed set of installed .d.ts files.
 *
 * What counts as a function, on both sides:
 * - function declarations, including overload signatures and `declare function` (`default` when unnamed);
 * - in classes (declarations and named class expressions): methods, overload and abstract method
 *   signatures, constructors, get/set accessors, and properties initialised with an arrow or
 *   function expression;
 * - in interfaces: method signatures and get/set accessors (call, construct and index signatures are not);
 * - variables whose initialiser is an arrow or function expression (named by the variable).
 * Not counted: anonymous callbacks, object-literal methods, methods of type literals.
 * The qualified name is the dotted chain of enclosing classes, interfaces, namespaces/modules
 * (`declare global` adds nothing) and counted functions. Parameters: names in order, `this` left
 * out, destructuring patterns as their text without whitespace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { extractFile } from '../../src/clew/extract-file.ts';
import { qualifiedName } from '../../src/clew/languages/common.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const DTS = [
  'node_modules/typescript/lib/lib.es5.d.ts',
  'node_modules/commander/typings/index.d.ts',
  ...['fs', 'http', 'events', 'stream', 'path', 'url', 'child_process', 'buffer', 'util', 'net', 'os',
    'process', 'worker_threads', 'readline', 'assert', 'timers', 'zlib', 'dns', 'test', 'module']
    .map((m) => `node_modules/@types/node/${m}.d.ts`),
];

function srcFiles(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) srcFiles(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const norm = (s: string): string => s.replace(/\s+/g, '');

function nameText(n: ts.Node | undefined, sf: ts.SourceFile): string | undefined {
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  return n.getText(sf);
}

function isFunctionValue(e: ts.Expression | undefined): boolean {
  return e !== undefined && (ts.isArrowFunction(e) || ts.isFunctionExpression(e));
}

/** `name(p1,p2)` keys per the rules above, from the compiler's AST. */
function oracle(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const record = (chain: string[], name: string, fn: ts.SignatureDeclarationBase): void => {
    const params = fn.parameters
      .filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'))
      .map((p) => norm(p.name.getText(sf)));
    out.push(`${[...chain, name].join('.')}(${params.join(',')})`);
  };
  const visit = (node: ts.Node, chain: string[]): void => {
    if (ts.isFunctionDeclaration(node)) {
      const name = node.name?.text ?? 'default';
      record(chain, name, node);
      ts.forEachChild(node, (c) => visit(c, [...chain, name]));
      return;
    }
    if ((ts.isClassDeclaration(node) || ts.isClassExpression(node)) && (node.name || ts.isClassDeclaration(node))) {
      const name = node.name?.text ?? 'default';
      const inner = [...chain, name];
      for (const m of node.members) {
        if (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) {
          const mname = nameText(m.name, sf)!;
          record(inner, mname, m);
          ts.forEachChild(m, (c) => visit(c, [...inner, mname]));
        } else if (ts.isConstructorDeclaration(m)) {
          record(inner, 'constructor', m);
          ts.forEachChild(m, (c) => visit(c, [...inner, 'constructor']));
        } else if (ts.isPropertyDeclaration(m) && isFunctionValue(m.initializer)) {
          const mname = nameText(m.name, sf)!;
          record(inner, mname, m.initializer as ts.ArrowFunction);
          ts.forEachChild(m.initializer!, (c) => visit(c, [...inner, mname]));
        } else {
          ts.forEachChild(m, (c) => visit(c, inner));
        }
      }
      return;
    }
    if (ts.isInterfaceDeclaration(node)) {
      const inner = [...chain, node.name.text];
      for (const m of node.members) {
        if (ts.isMethodSignature(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) {
          record(inner, nameText(m.name, sf)!, m);
        }
      }
      return;
    }
    if (ts.isModuleDeclaration(node)) {
      const global = (node.flags & ts.NodeFlags.GlobalAugmentation) !== 0;
      const inner = global ? chain : [...chain, nameText(node.name, sf)!];
      if (node.body) visit(node.body, inner);
      return;
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && isFunctionValue(node.initializer)) {
      const name = node.name.text;
      record(chain, name, node.initializer as ts.ArrowFunction);
      ts.forEachChild(node.initializer!, (c) => visit(c, [...chain, name]));
      return;
    }
    ts.forEachChild(node, (c) => visit(c, chain));
  };
  visit(sf, []);
  return out;
}

function matched(a: string[], b: string[]): number {
  const counts = new Map<string, number>();
  for (const k of b) counts.set(k, (counts.get(k) ?? 0) + 1);
  let n = 0;
  for (const k of a) {
    const c = counts.get(k) ?? 0;
    if (c > 0) {
      n++;
      counts.set(k, c - 1);
    }
  }
  return n;
}

test('typescript functions and parameters agree with the TypeScript compiler (P, R >= 0.98)', async (t) => {
  const files = [...srcFiles(path.join(ROOT, 'src'), []), ...DTS.map((f) => path.join(ROOT, f))];
  let ours = 0;
  let theirs = 0;
  let hits = 0;
  const misses: string[] = [];
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const want = oracle(file, source);
    const facts = await extractFile(file, source, 'typescript');
    const got = facts.functions.map((f) => `${qualifiedName(f)}(${f.params.map((p) => norm(p.name)).join(',')})`);
    ours += got.length;
    theirs += want.length;
    const m = matched(got, want);
    hits += m;
    if (m < Math.max(got.length, want.length) && misses.length < 15) {
      const wantSet = new Set(want);
      const gotSet = new Set(got);
      misses.push(`${path.relative(ROOT, file)}: extra ${got.filter((k) => !wantSet.has(k)).slice(0, 3).join(' ')} | missing ${want.filter((k) => !gotSet.has(k)).slice(0, 3).join(' ')}`);
    }
  }
  const precision = hits / ours;
  const recall = hits / theirs;
  const summary = `typescript accuracy on ${files.length} files (${files.length - DTS.length} src, ${DTS.length} .d.ts): ` +
    `${theirs} functions (tsc), ${ours} (clew), precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}`;
  t.diagnostic(summary);
  console.log(summary);
  for (const m of misses) t.diagnostic(m);
  assert.ok(theirs > 1000, `too few functions to measure (${theirs})`);
  assert.ok(precision >= 0.98, `precision ${precision} < 0.98\n${misses.join('\n')}`);
  assert.ok(recall >= 0.98, `recall ${recall} < 0.98\n${misses.join('\n')}`);
});
