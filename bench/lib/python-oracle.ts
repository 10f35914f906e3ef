/**
 * CPython's own compiler as the soundness judge for the Python grammar: tree-sitter-python is
 * narrower than Python (it refuses valid code such as `return *a, b`), CPython is the reference.
 * One long-lived `python3` process reads one JSON text per line and answers with its verdict from
 * `compile(text, '<sample>', 'exec')` (syntax only: nothing runs). Python 3.12 is preferred, since
 * the grammar follows 3.12 (PEP 695, PEP 701); the version used is reported.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ParseVerdict } from '../../src/eval/index.ts';

const SCRIPT = `
import json, sys, warnings
warnings.simplefilter('ignore')
for line in sys.stdin:
    text = json.loads(line)
    try:
        compile(text, '<sample>', 'exec', dont_inherit=True)
        out = {'ok': True}
    except SyntaxError as e:
        out = {'ok': False, 'line': e.lineno or 1, 'column': e.offset or 1, 'message': e.msg}
    except (ValueError, MemoryError, RecursionError) as e:
        out = {'ok': False, 'line': 1, 'column': 1, 'message': type(e).__name__ + ': ' + str(e)}
    sys.stdout.write(json.dumps(out) + '\\n')
    sys.stdout.flush()
`;

export interface PythonOracle {
  version: string;
  parse(text: string): Promise<ParseVerdict>;
  close(): void;
}

/** The newest of python3.12 and python3 on the PATH, or undefined when there is none. */
function findPython(): { exe: string; version: string } | undefined {
  for (const exe of ['python3.12', 'python3']) {
    const r = spawnSync(exe, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' });
    if (r.status === 0) return { exe, version: r.stdout.trim() };
  }
  return undefined;
}

export function startPythonOracle(): PythonOracle | undefined {
  const found = findPython();
  if (!found) return undefined;
  const child: ChildProcessWithoutNullStreams = spawn(found.exe, ['-u', '-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<(v: ParseVerdict) => void> = [];
  lines.on('line', (line) => {
    const v = JSON.parse(line) as { ok: boolean; line?: number; column?: number; message?: string };
    waiting.shift()?.(v.ok ? { hasError: false } : { hasError: true, errorAt: { line: v.line ?? 1, column: v.column ?? 1 }, what: v.message });
  });
  return {
    version: found.version,
    parse: (text) => new Promise((resolve) => {
      waiting.push(resolve);
      child.stdin.write(JSON.stringify(text) + '\n');
    }),
    close: () => child.kill(),
  };
}
