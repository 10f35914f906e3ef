import type { Node } from 'web-tree-sitter';
import type { FunctionFact, ScopeFact, TypeFact } from '../../core/index.ts';

/** A declaration that is open while the walk is inside it (a class, impl, namespace, function). */
export interface OpenFrame {
  /** Byte offset where the declaration ends: the frame is popped once the walk passes it. */
  end: number;
  /** Contributes to `container` (classes, modules, namespaces, impls). */
  name?: string;
  fn?: FunctionFact;
}

/** A frame of a language with classes and interfaces (Java, C#): the type whose members are read. */
export interface TypeFrame extends OpenFrame {
  type?: TypeFact;
  interface?: boolean;
  scope?: ScopeFact;
}

/**
 * Visits the nodes of the interesting types in document order (one descendantsOfType call per
 * file), keeping the stack of enclosing declarations, so each node knows its container and its
 * enclosing function without walking up the tree.
 */
export abstract class FrameWalker<F extends OpenFrame> {
  protected readonly stack: F[] = [];

  protected abstract visit(node: Node): void;
  protected abstract finish(): void;

  protected walk(root: Node, types: string[]): void {
    for (const node of root.descendantsOfType(types)) {
      if (!node) continue;
      const start = node.startIndex;
      while (this.stack.length > 0 && start >= this.stack[this.stack.length - 1]!.end) this.stack.pop();
      this.visit(node);
    }
    this.finish();
  }

  /** The dotted names of the enclosing named frames (`Outer.Inner`). */
  protected container(): string | undefined {
    let c: string | undefined;
    for (const f of this.stack) if (f.name !== undefined) c = c === undefined ? f.name : `${c}.${f.name}`;
    return c;
  }

  /** The innermost open frame: what an item directly inside belongs to. */
  protected top(): F | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** The innermost enclosing function. */
  protected innerFn(): F | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i]!.fn) return this.stack[i];
    return undefined;
  }
}
