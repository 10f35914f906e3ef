/**
 * Rewrites for tree-sitter-typescript 0.23, which is narrower than TypeScript, used as `adjust` when
 * the soundness check samples grammars/typescript.lark (bench/grammars.ts, test/grammars/
 * typescript.test.ts). It needs TypeScript's own parser (a development dependency), so it lives
 * with the benchmarks rather than in src/eval/soundness-adjustments.ts.
 */
import ts from 'typescript';
import type { TextAdjustment } from '../../src/eval/index.ts';

// A run of white space and comments (between the tokens of a rewrite).
const GAP = String.raw`(?:\s|\/\*[^]*?\*\/|\/\/[^\n]*\n)*`;
const STRING_LITERAL = String.raw`(?:"(?:[^"\\\n]|\\(?:\r\n|[^]))*"|'(?:[^'\\\n]|\\(?:\r\n|[^]))*')`;
const IMPORT_TYPE = new RegExp(String.raw`(?<![\w$.])import${GAP}\(${GAP}${STRING_LITERAL}${GAP}\)`, 'g');
const KEYOF_READONLY = new RegExp(String.raw`(?<![\w$.])keyof(${GAP})readonly(?![\w$])`, 'g');
// `in`/`out` before a type parameter's name, after the `<` or `,` of its list (and a `const`): no
// expression or type puts either keyword there. `out` followed by `extends` is the parameter's name.
const IDENT_START = String.raw`(?=[\p{ID_Start}$_\\])`;
const VARIANCE = new RegExp(String.raw`([<,]${GAP}(?:const(?![\w$])${GAP})?)(?:in(?![\w$])(${GAP})${IDENT_START})?(?:out(?![\w$])(${GAP})${IDENT_START}(?!extends(?![\w$])))?`, 'gu');
const BARE_JUMP_BEFORE_BRACE = new RegExp(String.raw`(?<![\w$.])(return|break|continue|debugger)(${GAP}\})`, 'g');

/**
 * Rewrites a TypeScript text into one that means the same to TypeScript's parser (up to the
 * rewritten construct) and that tree-sitter-typescript 0.23 can parse. Each rewrite is for valid
 * TypeScript that real code uses and tree-sitter-typescript cannot read (docs/grammars.md,
 * "TypeScript / JavaScript", lists them with counts):
 *
 * - `import type` → `import("m")` of an import type becomes the name `$I` (`import("m").T<U>`,
 *   `import("m")[]`, `keyof import("m")`: tree-sitter reads `import("m")` as a type only alone or
 *   with a `.T` qualifier; @types/node writes `import("stream/web").ReadableStream<R>`).
 * - `global block` → `global { … }` inside `declare module "m" { … }` gets a `declare` (tree-sitter
 *   reads only `declare global`; @types/node writes `global {` inside its modules).
 * - `keyof readonly` → the `readonly` goes (TypeScript's lib.es2015 writes `keyof readonly any[]`).
 * - `new without arguments before <` → `new X < y` becomes `new X() < y` (the same program):
 *   tree-sitter-typescript reads the `<` as the start of type arguments and does not come back.
 * - `bare jump before }` → a `;` after a `return`, `break`, `continue` or `debugger` with nothing
 *   after it but the `}` of its block (the same program): tree-sitter-typescript misses the
 *   automatic semicolon there when the block is a function body inside `? :`
 *   (`c ? () => { return } : d`, as minified code writes it).
 * - `variance annotation` → the `in` and `out` of a type parameter go (`type A<in out T>`, TypeScript
 *   4.7; the same type up to variance, which tree-sitter-typescript does not read).
 * - `generic call signature after a line break` → a `;` ends the member before a generic call
 *   signature when only a line break did (`x: X` newline `<T>(a: T): T` in an interface or object
 *   type; the same type): tree-sitter-typescript reads the `<` as type arguments of the member
 *   before. Code without semicolons writes it; with them (this repository, node_modules) the `;`
 *   is there.
 *
 * Import types are found with TypeScript's parser (where it reports a syntax error, by a scan of
 * the text); expressions (`import("m")` calls) are left alone.
 */
export function adjustTypeScriptForTreeSitter(src: string): TextAdjustment {
  const sf = ts.createSourceFile('sample.ts', src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const clean = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.length === 0;
  const edits: Array<{ at: number; end: number; by: string; name: string }> = [];
  const visit = (n: ts.Node): void => {
    if (clean && ts.isImportTypeNode(n)) {
      const at = src.indexOf('import', n.getStart(sf));
      const close = src.indexOf(')', n.argument.end);
      edits.push({ at, end: close + 1, by: '$I ', name: 'import type' });
    }
    if (clean && ts.isNewExpression(n) && n.arguments === undefined && ts.isBinaryExpression(n.parent) && n.parent.left === n && (n.parent.operatorToken.kind === ts.SyntaxKind.LessThanToken || n.parent.operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken || n.parent.operatorToken.kind === ts.SyntaxKind.LessThanLessThanToken || n.parent.operatorToken.kind === ts.SyntaxKind.LessThanLessThanEqualsToken)) {
      edits.push({ at: n.end, end: n.end, by: '()', name: 'new without arguments before <' });
    }
    if (clean && (ts.isInterfaceDeclaration(n) || ts.isTypeLiteralNode(n))) {
      n.members.forEach((m, i) => {
        if (i === 0 || !ts.isCallSignatureDeclaration(m) || !m.typeParameters) return;
        const before = n.members[i - 1]!;
        if (!/[;,]$/.test(src.slice(before.pos, before.end).trimEnd())) edits.push({ at: before.end, end: before.end, by: ';', name: 'generic call signature after a line break' });
      });
    }
    if (ts.isModuleDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === 'global' && ts.isModuleBlock(n.parent) && !(ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) {
      edits.push({ at: n.getStart(sf), end: n.getStart(sf), by: 'declare ', name: 'global block' });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const applied = new Set<string>();
  let text = src;
  for (const e of edits.sort((a, b) => b.at - a.at)) {
    text = text.slice(0, e.at) + e.by + text.slice(e.end);
    applied.add(e.name);
  }
  if (!clean) {
    const scanned = text.replace(IMPORT_TYPE, '$$I ');
    if (scanned !== text) applied.add('import type');
    text = scanned;
  }
  const unread = text.replace(KEYOF_READONLY, 'keyof$1');
  if (unread !== text) applied.add('keyof readonly');
  const jumps = unread.replace(BARE_JUMP_BEFORE_BRACE, '$1;$2');
  if (jumps !== unread) applied.add('bare jump before }');
  const invariant = jumps.replace(VARIANCE, (all: string, head: string, a?: string, b?: string) => (a === undefined && b === undefined ? all : head + (a ?? '') + (b ?? '')));
  if (invariant !== jumps) applied.add('variance annotation');
  return { text: invariant, applied: [...applied] };
}
