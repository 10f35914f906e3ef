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
 * - variables whose initialiser is an arrow or function expression (named by the variable);
 * - outside functions and classes, functions assigned to a member path: `exports.f = function …`
 *   (`f`), `module.exports = …` (`default`), `Foo.prototype.m = …` (`Foo.m`), `Foo.helper = …` (`Foo.helper`);
 * - in object literals: methods, get/set accessors, and properties whose value is an arrow or
 *   function expression, named by the key; the object adds the names it is reached by to the
 *   chain: the variable it initialises (`const api = { f() {} }` → `api.f`) and, for an object
 *   that is a property's value, that property's key (`api.a.f`); parentheses, `as`, `satisfies`
 *   and `<T>` assertions are looked through; any other object (an argument, a return value) adds nothing.
 * Overloads: a run of consecutive bodyless declarations of one function (same qualified name, kind,
 * `static`, accessor) counts once: as the implementation that follows it, or as its first
 * declaration when no implementation follows (`declare function`, interfaces, `.d.ts` classes).
 * Not counted: anonymous callbacks, methods of type literals.
 * The qualified name is the dotted chain of enclosing classes, interfaces, namespaces/modules
 * (`declare global` adds nothing) and counted functions. Parameters: names in order, `this` left
 * out, destructuring patterns as their text without whitespace.
 */
import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { extractFile } from '../../src/clew/extract-file.ts';
import { qualifiedName } from '../../src/clew/languages/common.ts';
import { addFile, assertPrecisionRecall, emptyScore, type Score } from '../helpers/precision-recall.ts';

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

/** One counted declaration, in document order, before overloads are grouped. */
interface Declared {
  key: string;
  /** What makes declarations the same function: kind, `static`, accessor and qualified name. */
  slot: string;
  bodyless: boolean;
}

/** The `slot` of a declaration: `fn`, `ctor`, or a member `m` / `get` / `set`, static or not. */
function slotOf(qname: string, fn: ts.SignatureDeclarationBase): string {
  const tag = ts.isConstructorDeclaration(fn) ? 'ctor' : ts.isGetAccessorDeclaration(fn) ? 'get' : ts.isSetAccessorDeclaration(fn) ? 'set'
    : ts.isMethodDeclaration(fn) || ts.isMethodSignature(fn) ? 'm' : 'fn';
  const isStatic = ts.canHaveModifiers(fn) && (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
  return `${tag}|${isStatic}|${qname}`;
}

/** The declarations left once each overload run counts once (see the header). */
function groupOverloads(all: Declared[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < all.length;) {
    const d = all[i]!;
    let j = i + 1;
    if (d.bodyless) while (j < all.length && all[j]!.bodyless && all[j]!.slot === d.slot) j++;
    if (d.bodyless && j < all.length && all[j]!.slot === d.slot) {
      out.push(all[j]!.key);
      i = j + 1;
    } else {
      out.push(d.key);
      i = j;
    }
  }
  return out;
}

/** The names an object literal is reached by (see the header). */
function objectPath(obj: ts.ObjectLiteralExpression, sf: ts.SourceFile): string[] {
  let child: ts.Node = obj;
  let p = obj.parent;
  while (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p) || ts.isTypeAssertionExpression(p)) {
    child = p;
    p = p.parent;
  }
  if (ts.isVariableDeclaration(p)) return ts.isIdentifier(p.name) ? [p.name.text] : [];
  if (ts.isPropertyAssignment(p) && p.initializer === child && ts.isObjectLiteralExpression(p.parent)) {
    return [...objectPath(p.parent, sf), nameText(p.name, sf)!];
  }
  return [];
}

/** `name(p1,p2)` keys per the rules above, from the compiler's AST. */
function oracle(file: string, source: string, kind: ts.ScriptKind = ts.ScriptKind.TS): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, kind);
  const declared: Declared[] = [];
  const record = (chain: string[], name: string, fn: ts.SignatureDeclarationBase): void => {
    const params = fn.parameters
      .filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'))
      .map((p) => norm(p.name.getText(sf)));
    const qname = [...chain, name].join('.');
    const body = (fn as ts.FunctionLikeDeclarationBase).body;
    declared.push({ key: `${qname}(${params.join(',')})`, slot: slotOf(qname, fn), bodyless: body === undefined });
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
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && inModuleScope(node) &&
      isFunctionValue(node.right) && ts.isPropertyAccessExpression(node.left) && /^[\w$]+(\.[\w$]+)+$/.test(norm(node.left.getText(sf)))) {
      const p = norm(node.left.getText(sf));
      let where: string[];
      let name: string;
      if (p === 'module.exports') {
        where = [];
        name = 'default';
      } else {
        const parts = p.split('.');
        name = parts.pop()!;
        const owner = parts.join('.');
        where = owner === 'exports' || owner === 'module.exports' ? [] : parts[parts.length - 1] === 'prototype' ? parts.slice(0, -1) : parts;
      }
      const whereName = where.length > 0 ? [where.join('.')] : [];
      record(whereName, name, node.right as ts.ArrowFunction);
      ts.forEachChild(node.right, (c) => visit(c, [...whereName, name]));
      return;
    }
    if (ts.isObjectLiteralExpression(node)) {
      const inner = [...chain, ...objectPath(node, sf)];
      for (const p of node.properties) {
        if (ts.isMethodDeclaration(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) {
          const name = nameText(p.name, sf)!;
          record(inner, name, p);
          ts.forEachChild(p, (c) => visit(c, [...inner, name]));
        } else if (ts.isPropertyAssignment(p) && isFunctionValue(p.initializer)) {
          const name = nameText(p.name, sf)!;
          record(inner, name, p.initializer as ts.ArrowFunction);
          ts.forEachChild(p.initializer, (c) => visit(c, [...inner, name]));
        } else {
          ts.forEachChild(p, (c) => visit(c, chain));
        }
      }
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
  return groupOverloads(declared);
}

/** Outside every counted function and class (anonymous callbacks do not count as functions). */
function inModuleScope(node: ts.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p) || ts.isConstructorDeclaration(p) || ts.isGetAccessorDeclaration(p) ||
      ts.isSetAccessorDeclaration(p) || ts.isClassLike(p) || ts.isModuleDeclaration(p)) return false;
    if ((ts.isArrowFunction(p) || ts.isFunctionExpression(p)) && counted(p)) return false;
  }
  return true;
}

/** Whether a function expression is one the oracle counts (named by a variable, property, key, or member path). */
function counted(f: ts.ArrowFunction | ts.FunctionExpression): boolean {
  const p = f.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return true;
  if (ts.isPropertyDeclaration(p)) return true;
  if (ts.isPropertyAssignment(p) && ts.isObjectLiteralExpression(p.parent)) return true;
  return ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === f && inModuleScope(p) &&
    ts.isPropertyAccessExpression(p.left) && /^[\w$]+(\.[\w$]+)+$/.test(p.left.getText().replace(/\s+/g, ''));
}

async function score(files: string[], language: 'typescript' | 'javascript'): Promise<Score> {
  const kind = language === 'javascript' ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const score = emptyScore();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const want = oracle(file, source, kind);
    const facts = await extractFile(file, source, language);
    const got = facts.functions.map((f) => `${qualifiedName(f)}(${f.params.map((p) => norm(p.name)).join(',')})`);
    addFile(score, path.relative(ROOT, file), got, want, 15);
  }
  return score;
}

test('typescript functions and parameters agree with the TypeScript compiler (P, R >= 0.98)', async (t) => {
  const files = [...srcFiles(path.join(ROOT, 'src'), []), ...DTS.map((f) => path.join(ROOT, f))];
  const s = await score(files, 'typescript');
  assertPrecisionRecall(t, s, (precision, recall) =>
    `typescript accuracy on ${files.length} files (${files.length - DTS.length} src, ${DTS.length} .d.ts): ` +
    `${s.theirs} functions (tsc), ${s.ours} (clew), precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}`, 1000);
});

/** CommonJS and ES-module JavaScript shipped in installed packages. */
const JS_DIRS = ['node_modules/commander/lib', 'node_modules/picomatch/lib', 'node_modules/cli-progress/lib', 'node_modules/fast-uri/lib', 'node_modules/ignore'];

test('javascript functions and parameters agree with the TypeScript compiler (P, R >= 0.98)', async (t) => {
  const files: string[] = [];
  for (const d of JS_DIRS) {
    const dir = path.join(ROOT, d);
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.js')) files.push(path.join(dir, f));
  }
  const s = await score(files, 'javascript');
  assertPrecisionRecall(t, s, (precision, recall) =>
    `javascript accuracy on ${files.length} files: ${s.theirs} functions (tsc), ${s.ours} (clew), ` +
    `precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}`, 200);
});
