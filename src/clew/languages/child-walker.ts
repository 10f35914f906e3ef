import type { Node } from 'web-tree-sitter';

/**
 * Nesting depth past which a walk stops descending. Real code stays far below it; generated code
 * (a 20,000-term `1 + 1 + …` is a 20,000-deep tree) would otherwise overflow the JS stack.
 */
export const MAX_DEPTH = 1000;

/** A recursive walk over named children, bounded in depth (the Ruby, PHP, Kotlin, Swift, Zig extractors). */
export abstract class ChildWalker {
  private depth = 0;

  abstract visit(node: Node): unknown;

  /**
   * Walks the named children by index (cheaper than materializing `namedChildren` arrays). Below
   * MAX_DEPTH levels the subtree is skipped, so a pathological tree cannot overflow the stack.
   */
  protected visitChildren(node: Node): void {
    if (this.depth >= MAX_DEPTH) return;
    this.depth++;
    const n = node.namedChildCount;
    for (let i = 0; i < n; i++) {
      const c = node.namedChild(i);
      if (c) this.visit(c);
    }
    this.depth--;
  }
}
