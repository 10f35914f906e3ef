/**
 * The doc comment written directly above a declaration, read from the source text instead of the
 * tree. Walking back through siblings costs a WASM call per step and tree-sitter finds a previous
 * sibling by scanning from the first child, so on files with hundreds of top-level items the
 * tree walk grows quadratically; scanning a few source lines backwards does not.
 *
 * Used by the Rust, Go, Java, C, C++ and C# extractors (a candidate for common.ts).
 */
import type { Node } from 'web-tree-sitter';
import { cleanComment } from './common.ts';

/**
 * The source text the tree was parsed from. The extractors read doc comments and modifiers from
 * it by offset; a caller that passes no (or other) text would silently lose them, so when the
 * text cannot be the tree's, it is rebuilt from the tree (offsets kept).
 */
export function treeSource(root: Node, source: string): string {
  if (source.length >= root.endIndex && (root.endIndex === 0 || source.length === root.endIndex || source.startsWith(root.text, root.startIndex))) return source;
  return ' '.repeat(root.startIndex) + root.text;
}

/** Start of the line holding `i` (index just after the previous `\n`). */
function lineStart(source: string, i: number): number {
  return source.lastIndexOf('\n', i - 1) + 1;
}

/**
 * The cleaned run of `//` lines or the one `/* … *\/` block that ends on the line just above the
 * line where `index` starts (only whitespace may precede `index` on its line). Lines matching
 * `skip` directly above the declaration (Rust `#[attr]`) are stepped over.
 */
export function docAbove(source: string, index: number, skip?: RegExp): string | undefined {
  let ls = lineStart(source, index);
  if (source.slice(ls, index).trim() !== '') return undefined;
  const parts: string[] = [];
  let skipping = skip !== undefined;
  // A bounded look-back: doc blocks longer than this many lines are cut to their last lines.
  for (let guard = 0; ls > 0 && guard < 200; guard++) {
    const end = ls - 1;
    const start = lineStart(source, end);
    const line = source.slice(start, end).trim();
    if (line.startsWith('//')) {
      skipping = false;
      parts.push(line);
      ls = start;
      continue;
    }
    if (parts.length === 0 && skipping && skip!.test(line)) {
      ls = start;
      continue;
    }
    if (parts.length === 0 && line.endsWith('*/')) {
      const open = source.lastIndexOf('/*', end);
      if (open >= 0) {
        const openLine = lineStart(source, open);
        if (source.slice(openLine, open).trim() === '') parts.push(source.slice(open, end).trim());
      }
    }
    break;
  }
  if (parts.length === 0) return undefined;
  const doc = parts.reverse().map(cleanComment).join('\n').trim();
  return doc.length > 0 ? doc : undefined;
}

/** Whether the line above `index` could hold an attribute (`#[…]`) for Rust items. */
export function attributeAbove(source: string, index: number): boolean {
  const ls = lineStart(source, index);
  if (ls === 0) return false;
  const prev = source.slice(lineStart(source, ls - 1), ls - 1).trim();
  return prev.endsWith(']') || prev.endsWith(')') || prev.startsWith('#') || prev.startsWith('//');
}
