/**
 * CPython as the soundness judge for the Python grammar (tree-sitter-python is narrower than
 * Python: it refuses valid code such as `return *a, b`). One long-lived interpreter reads one JSON
 * text per line and answers, in the same round trip, with two verdicts (nothing runs):
 *
 * - `parse`, the judge of record: CPython's parser, `ast.parse(text, feature_version=(3, 12))`
 *   (tokenizer, PEG parser, string literal decoding). This is the syntax, what a grammar can hold.
 * - `compile`: `compile(text, '<sample>', 'exec')`, which adds the symbol table and the code
 *   generator. Their refusals are checks of bindings and scopes (`nonlocal x` with no `x` in an
 *   enclosing function, `import *` in a class body, an irrefutable `case x` before other cases, a
 *   lambda in a class's annotation scope): like type errors, a context-free grammar does not carry
 *   them. They are reported beside the parser's count, by category, never hidden.
 *
 * The grammar follows Python 3.12 (PEP 695, PEP 701): a 3.12 interpreter is preferred (python3.12
 * on the PATH, else a 3.12 that pyenv holds, else python3); the version used is reported.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { soundnessExcerpt, type ParseFn, type ParseVerdict, type SoundnessReport } from '../../src/eval/index.ts';

const SCRIPT = `
import ast, json, sys, warnings
warnings.simplefilter('ignore')
def verdict(f):
    try:
        f()
        return {'ok': True}
    except SyntaxError as e:
        return {'ok': False, 'line': e.lineno or 1, 'column': e.offset or 1, 'message': e.msg}
    except (ValueError, MemoryError, RecursionError) as e:
        # ValueError: a NUL character, or an escape in a format spec (UnicodeDecodeError).
        return {'ok': False, 'line': 1, 'column': 1, 'message': type(e).__name__ + ': ' + str(e)}
for line in sys.stdin:
    text = json.loads(line)
    p = verdict(lambda: ast.parse(text, '<sample>', 'exec', feature_version=(3, 12)))
    c = verdict(lambda: compile(text, '<sample>', 'exec', dont_inherit=True)) if p['ok'] else p
    sys.stdout.write(json.dumps({'parse': p, 'compile': c}) + '\\n')
    sys.stdout.flush()
`;

/** A Python interpreter: the command and the environment to run it with. */
export interface PythonExe {
  exe: string;
  env?: Record<string, string>;
  /** `major.minor.micro`. */
  version: string;
}

export interface PythonVerdicts {
  /** CPython's parser (`ast.parse`): the judge of record. */
  parse: ParseVerdict;
  /** `compile()`: the parser, then the symbol table and the code generator. */
  compile: ParseVerdict;
}

export interface PythonOracle {
  version: string;
  python: PythonExe;
  /** Both verdicts on one text, in one round trip. */
  judge(text: string): Promise<PythonVerdicts>;
  /** The parser's verdict alone (a `ParseFn` for `checkGrammarSoundness`). */
  parse: ParseFn;
  close(): void;
}

function versionOf(exe: string, env?: Record<string, string>): string | undefined {
  const r = spawnSync(exe, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], {
    encoding: 'utf8', env: env ? { ...process.env, ...env } : process.env, timeout: 20_000,
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * The interpreter to judge with: python3.12 on the PATH, else a 3.12 that pyenv holds (its
 * shims answer `python3.12` only for the versions selected), else python3; undefined without any.
 */
export function findPython(): PythonExe | undefined {
  const direct = versionOf('python3.12');
  if (direct?.startsWith('3.12.')) return { exe: 'python3.12', version: direct };
  const pyenv = spawnSync('pyenv', ['versions', '--bare'], { encoding: 'utf8', timeout: 20_000 });
  if (pyenv.status === 0) {
    for (const v of pyenv.stdout.split('\n').map((s) => s.trim()).filter((s) => /^3\.12\.\d+$/.test(s)).reverse()) {
      const env = { PYENV_VERSION: v };
      const got = versionOf('python3.12', env);
      if (got?.startsWith('3.12.')) return { exe: 'python3.12', env, version: got };
    }
  }
  const fallback = versionOf('python3');
  return fallback ? { exe: 'python3', version: fallback } : undefined;
}

function toVerdict(v: { ok: boolean; line?: number; column?: number; message?: string }): ParseVerdict {
  return v.ok ? { hasError: false } : { hasError: true, errorAt: { line: v.line ?? 1, column: v.column ?? 1 }, what: v.message };
}

export function startPythonOracle(python: PythonExe | undefined = findPython()): PythonOracle | undefined {
  if (!python) return undefined;
  const child: ChildProcessWithoutNullStreams = spawn(python.exe, ['-u', '-c', SCRIPT], {
    stdio: ['pipe', 'pipe', 'pipe'], env: python.env ? { ...process.env, ...python.env } : process.env,
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<(v: PythonVerdicts) => void> = [];
  lines.on('line', (line) => {
    const v = JSON.parse(line) as { parse: Parameters<typeof toVerdict>[0]; compile: Parameters<typeof toVerdict>[0] };
    waiting.shift()?.({ parse: toVerdict(v.parse), compile: toVerdict(v.compile) });
  });
  const judge = (text: string): Promise<PythonVerdicts> => new Promise((resolve) => {
    waiting.push(resolve);
    child.stdin.write(JSON.stringify(text) + '\n');
  });
  return {
    version: python.version,
    python,
    judge,
    parse: async (text) => (await judge(text)).parse,
    close: () => child.kill(),
  };
}

/** What compile() refused of the texts the parser accepted, beside the parser's count. */
export interface CompileReport {
  judge: string;
  /** Texts the parser accepted (compile() judged these). */
  judged: number;
  accepted: number;
  refused: number;
  /** Refusals per category: compile()'s message with quoted names replaced by '…'. */
  categories: Record<string, number>;
  /** The first refusals, with the seed that reproduces each. */
  examples: Array<{ seed: number; what?: string; excerpt: string }>;
}

/** A category of a compile() message: the message with quoted names as '…'. */
export function compileCategory(what: string | undefined): string {
  return (what ?? 'unknown').replace(/'[^']*'/g, "'…'");
}

/**
 * The parser as `checkGrammarSoundness`'s judge (`parse`), keeping compile()'s verdict on every
 * text the parser accepts; after the run, `report(sound, seed)` gives the compile() figures, each
 * refusal with its seed (the k-th judged text is the k-th seed that was sampled).
 */
export function pythonSoundnessJudge(oracle: PythonOracle, maxExamples = 20): { parse: ParseFn; report(sound: SoundnessReport, seed0: number): CompileReport } {
  const judged: Array<{ text: string; parsed: boolean; compile: ParseVerdict }> = [];
  return {
    parse: async (text) => {
      const v = await oracle.judge(text);
      judged.push({ text, parsed: !v.parse.hasError, compile: v.compile });
      return v.parse;
    },
    report(sound, seed0) {
      const unsampled = new Set(sound.unsampled.map((u) => u.seed));
      const seeds: number[] = [];
      for (let s = seed0; seeds.length < judged.length; s++) if (!unsampled.has(s)) seeds.push(s);
      const out: CompileReport = { judge: `CPython ${oracle.version} compile()`, judged: 0, accepted: 0, refused: 0, categories: {}, examples: [] };
      judged.forEach((j, k) => {
        if (!j.parsed) return;
        out.judged++;
        if (!j.compile.hasError) {
          out.accepted++;
          return;
        }
        out.refused++;
        const c = compileCategory(j.compile.what);
        out.categories[c] = (out.categories[c] ?? 0) + 1;
        if (out.examples.length < maxExamples) out.examples.push({ seed: seeds[k]!, what: j.compile.what, excerpt: soundnessExcerpt(j.text, j.compile.errorAt) });
      });
      return out;
    },
  };
}
