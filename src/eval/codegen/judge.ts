/**
 * One candidate judged the way a reviewer would: does the IR grammar (every hard constraint it
 * carries) read it, does the language's own parser, do the post-generation checks pass on it in its
 * file, how many type errors the program has with it, and does the task's test pass.
 */
import type { CheckResult } from '../../engine/index.ts';
import { candidateSource, postCheckInFile } from '../target-context.ts';
import type { PreparedTask } from './prepare.ts';
import type { Sandbox } from './sandbox.ts';
import type { TestStatus, Toolchain } from './toolchain.ts';

export interface Verdict {
  /** The IR grammar read the whole candidate (`accepted`), all of it without an end (`prefix`: cut off), or stopped in it. */
  grammar: 'accepted' | 'prefix' | 'rejected';
  /** Where the grammar stopped, when it did: "line:column: message" (in the text the grammar reads). */
  grammarError?: string;
  /** The language's own parser reads the file with the candidate in place. */
  parses: boolean;
  /** Hard constraints the post-generation checks found broken. */
  violations: Array<{ constraintId: string; line: number; message: string }>;
  /** Checks that could not be run here (never counted as passed). */
  unverified: number;
  /** Type errors of the program with the candidate; null: no type checker for this language here. */
  typeErrors: number | null;
  tests: TestStatus;
  /** The end of the test's output, when it did not pass. */
  testOutput?: string;
}

export async function judge(p: PreparedTask, box: Sandbox, toolchain: Toolchain, code: string, check: (text: string) => CheckResult, testTimeoutMs: number): Promise<Verdict> {
  // The grammar reads what Maze's matcher reads: the fixed prefix (unless the head is already in the code), the code, the suffix.
  const whole = p.ir.rangeOnly ? code : `${p.prompt.head ? '' : (p.ir.prefix ?? '')}${code}${p.ir.suffix ?? ''}`;
  const g = check(whole);
  const grammar = g.accepted ? 'accepted' : g.incomplete ? 'prefix' : 'rejected';
  const { results } = await postCheckInFile(p.ir, p.resolved, code);
  const violations = results.filter((r) => r.checked && !r.satisfied).flatMap((r) => r.violations.map((v) => ({ constraintId: r.constraintId, line: v.line, message: v.message })));
  const parses = await toolchain.writeCandidate(box, candidateSource(p.resolved, code).source);
  const typeErrors = toolchain.typeErrors(box);
  const test = toolchain.runTest(box, testTimeoutMs);
  return {
    grammar, ...(grammar === 'rejected' ? { grammarError: `${g.line}:${g.column}: ${g.message ?? 'rejected'}` } : {}),
    parses, violations, unverified: results.filter((r) => !r.checked).length, typeErrors,
    tests: test.status, ...(test.status !== 'passed' ? { testOutput: test.output } : {}),
  };
}
