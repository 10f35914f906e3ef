/**
 * What judges a candidate in its language: the language's own parser, its type checker, and a way
 * to run the task's test. Tools that are missing are named in `info.notes`, and what they would
 * have measured is reported as not measured (null), never as a pass.
 */
import type { Language } from '../../core/index.ts';
import { parseSource } from '../../clew/index.ts';
import type { Sandbox } from './sandbox.ts';

export interface ToolInfo {
  /** What reads candidates for `parses`. */
  parser: string;
  /** What counts type errors; null: none here. */
  typeChecker: string | null;
  /** What runs the tests; null: nothing can, so tests are not run. */
  testRunner: string | null;
  /** Why a tool is missing, and how to get it. */
  notes: string[];
}

export type TestStatus = 'passed' | 'failed' | 'timeout' | 'not_run';

export interface TestOutcome {
  status: TestStatus;
  /** The end of what the test printed. */
  output: string;
}

export interface Toolchain {
  readonly language: EvalLanguage;
  readonly info: ToolInfo;
  /** Once per sandbox, before its candidates (e.g. compile the codebase's other files and the test). */
  prepare(box: Sandbox): void;
  /** Writes the target file with this source in place; whether the language's parser reads it. */
  writeCandidate(box: Sandbox, source: string): Promise<boolean>;
  /** Type errors of the program the target file belongs to; null when no checker is available. */
  typeErrors(box: Sandbox): number | null;
  runTest(box: Sandbox, timeoutMs: number): TestOutcome;
}

export const EVAL_LANGUAGES = ['typescript', 'python'] as const;
export type EvalLanguage = (typeof EVAL_LANGUAGES)[number];

/** The fallback parser: tree-sitter (Clew's), which reads what it can and marks the rest as errors. */
export async function treeSitterParses(language: Language, source: string): Promise<boolean> {
  const tree = await parseSource(language, source);
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

/** The environment for a spawned test: the parent's, without a test runner's context of its own. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // Under `node --test`, NODE_TEST_CONTEXT would make a child `node --test` report to the parent
  // runner instead of exiting with its own status.
  const { NODE_TEST_CONTEXT: _ctx, ...env } = process.env;
  return { ...env, ...extra };
}
