import type { Command } from 'commander';

/**
 * Every command: its name, its one-line summary, and the module that configures it. A module is
 * loaded only when its command runs (or its help is asked for), so `ananke --help` and a command
 * that needs only the engine never load tree-sitter, Clew or the benchmark runners.
 * Add a command: one row here, one file exporting `configure(cmd)`.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<{ configure: (cmd: Command) => void }>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'extract',
    summary: 'Extract facts and constraints (naming, error handling, async style, imports, module boundaries, type discipline, security, test expectations) from source files.',
    load: () => import('./extract.ts'),
  },
  {
    name: 'generate',
    summary: 'Generate code under every hard constraint of the context, with a local model or an inference server (extract → compile → generate → check again).',
    load: () => import('./generate.ts'),
  },
  {
    name: 'serve',
    summary: 'Serve the local model over HTTP: OpenAI-compatible completions and chat (with streaming), the constraint fields of vLLM, SGLang, llama.cpp and OpenAI, and the upstream Ananke /generate.',
    load: () => import('./serve.ts'),
  },
  {
    name: 'eval',
    summary: 'Constrained against unconstrained generation on a folder of tasks (same model, prompt and seeds): parses, violations, type errors, tests, pass@1 and pass@k.',
    load: () => import('./eval.ts'),
  },
  {
    name: 'compile',
    summary: 'Compile constraints (extracted from context paths, or from .ariadne/.json files) for a generation target into a ConstraintIR or its grammar; check a candidate against it.',
    load: () => import('./compile.ts'),
  },
  {
    name: 'check',
    summary: 'Check Ariadne constraint files (.ariadne): every problem with file:line:col and a caret, and what they compile to.',
    load: () => import('./check.ts'),
  },
  {
    name: 'validate',
    summary: 'Check code written by anyone against a code base\'s constraints (context paths or constraint files): file:line diagnostics.',
    load: () => import('./validate.ts'),
  },
  {
    name: 'explain',
    summary: 'Explain a ConstraintIR: how each constraint is enforced (grammar rules, post-generation checks), and why any was dropped or merged.',
    load: () => import('./explain.ts'),
  },
  {
    name: 'grammar',
    summary: 'Work with grammars (Lark dialect, GBNF, regex): compile, check text against them.',
    load: () => import('./grammar.ts'),
  },
  {
    name: 'schema',
    summary: 'Compile JSON Schemas to grammars and validate instances with them.',
    load: () => import('./schema.ts'),
  },
  {
    name: 'model',
    summary: 'Local GGUF models: write Ananke\'s random-weight test model (real Qwen3 tokens), show what a model file is.',
    load: () => import('./model.ts'),
  },
  {
    name: 'init',
    summary: 'Write a commented ananke.toml (model, generation defaults, hardness thresholds, constraint files, cache folder).',
    load: () => import('./init.ts'),
  },
  {
    name: 'bench',
    summary: 'Run engine benchmarks: the JSON Schema Test Suite and MaskBench.',
    load: () => import('./bench.ts'),
  },
];

/**
 * Adds every command to `program`: fully configured when it is the one `argv` runs (or asks help
 * for), otherwise as a name and summary only, which is all the top-level help lists.
 */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const first = argv.findIndex((a) => !a.startsWith('-'));
  let wanted = first >= 0 ? argv[first] : undefined;
  if (wanted === 'help') wanted = argv[first + 1];
  for (const entry of COMMANDS) {
    const cmd = program.command(entry.name).description(entry.summary);
    if (entry.name === wanted) (await entry.load()).configure(cmd);
  }
}
