/**
 * Python candidates: parsed by CPython's own parser (`ast.parse` in python3), tests run with
 * python3 as scripts (exit 0 is a pass) with the codebase's copy on PYTHONPATH. No type checker is
 * run: none ships with Python.
 */
import path from 'node:path';
import { runProcess } from './run-process.ts';
import { testEnv, treeSitterParses, type TestOutcome, type Toolchain } from './toolchain.ts';
import type { Sandbox } from './sandbox.ts';

const PYTHON = 'python3';
/** Reads a file with CPython's parser; exit 0 when it parses. */
const AST_PARSE = 'import ast, sys\nwith open(sys.argv[1], encoding="utf-8") as f:\n    ast.parse(f.read(), sys.argv[1])';
/** Parsing a file is quick; this only guards against a wedged interpreter. */
const PARSE_TIMEOUT_MS = 20_000;

export function pythonToolchain(): Toolchain {
  const probe = runProcess(PYTHON, ['--version'], { cwd: process.cwd(), timeoutMs: PARSE_TIMEOUT_MS });
  const present = probe.status === 0;
  const version = present ? probe.output.trim() : '';
  return {
    language: 'python',
    info: {
      parser: present ? `${version} ast.parse` : 'tree-sitter-python',
      typeChecker: null,
      testRunner: present ? `${version}` : null,
      notes: [
        ...(present ? [] : [`${PYTHON} not found: Python tests are not run and parsing falls back to tree-sitter (install Python 3)`]),
        'Python: no type checker is run',
      ],
    },
    prepare(): void {},
    async writeCandidate(box: Sandbox, source: string): Promise<boolean> {
      box.write(source);
      if (!present) return treeSitterParses('python', source);
      return runProcess(PYTHON, ['-c', AST_PARSE, box.targetFile], { cwd: box.codebase, timeoutMs: PARSE_TIMEOUT_MS }).status === 0;
    },
    typeErrors(): null {
      return null;
    },
    runTest(box: Sandbox, timeoutMs: number): TestOutcome {
      if (!present) return { status: 'not_run', output: `${PYTHON} not found` };
      const pythonPath = [box.codebase, process.env['PYTHONPATH']].filter(Boolean).join(path.delimiter);
      // No bytecode cache: candidates replace one another within the same second, and a stale .pyc could run instead.
      const r = runProcess(PYTHON, [box.test], { cwd: path.dirname(box.test), timeoutMs, env: testEnv({ PYTHONPATH: pythonPath, PYTHONDONTWRITEBYTECODE: '1' }) });
      return { status: r.timedOut ? 'timeout' : r.status === 0 ? 'passed' : 'failed', output: r.output };
    },
  };
}
