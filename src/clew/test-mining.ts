import type { Node } from 'web-tree-sitter';
import type { Language, TestFact } from '../core/index.ts';

/** Assertions in test files (Jest/Vitest/Mocha expect, pytest assert, Go testing, …). */
export function mineTests(root: Node, language: Language, source: string, path: string): TestFact[] {
  void root; void language; void source; void path;
  return [];
}
