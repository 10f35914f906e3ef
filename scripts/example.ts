/**
 * `npm run example`: Ananke's whole pipeline on the TypeScript example codebase (examples/ts-inventory),
 * through the built `ananke` command as a user runs it: extract its conventions (Clew), compile them
 * for one function body (Braid), generate that body with the test model under every hard constraint
 * (Maze), then validate code after the fact — the generated file and a hand-written file that breaks
 * the conventions. Each stage prints its command and what it did. Exit 0 when every stage behaved
 * as it must; 1 (saying which) otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTarget } from '../src/braid/index.ts';
import { candidateSource, resolveTarget } from '../src/eval/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/ananke.js');
const CODEBASE = 'examples/ts-inventory';
const FILE = `${CODEBASE}/src/stock/warehouse.ts`;
const TARGET = `body:${FILE}:listLowStock`;
const PROMPT = 'List the items whose available units (on hand less reserved) are at or below their reorder point, sorted by SKU.';
const CANDIDATE = 'examples/candidates/reorder-report.ts';
/** Enough for a short body; the test model's text is meaningless either way. */
const MAX_TOKENS = 48;

interface Run { status: number; stdout: string; stderr: string }

/** Runs `ananke …` from the repository root; output goes to the terminal unless captured. */
function ananke(args: string[], capture = false): Run {
  process.stdout.write(`\n$ ananke ${args.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function stage(n: number, title: string): void {
  process.stdout.write(`\n== ${n}/4 ${title}\n`);
}

function fail(message: string): never {
  process.stderr.write(`\nexample: FAILED: ${message}\n`);
  process.exit(1);
}

interface GenerateJson {
  code: string;
  report: { stop: string; grammarAccepted: boolean; truncated: boolean; constraints: Array<{ id: string; mode: string; checked?: boolean; satisfied?: boolean }> };
  stats: { tokens: number; forced: number; maskUs: { p50: number; p99: number } };
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist/cli/main.js'))) fail('the CLI is not built: run `npm run build` first');
  const t0 = performance.now();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ananke-example-'));
  try {
    stage(1, `extract: the conventions of ${CODEBASE} (Clew reads every file with tree-sitter)`);
    const extract = ananke(['extract', CODEBASE]);
    if (extract.status !== 0) fail(`extract exited ${extract.status}`);

    stage(2, 'compile: those conventions as one grammar for the body of listLowStock (Braid)');
    const ir = path.join(tmp, 'ir.json');
    const compile = ananke(['compile', CODEBASE, '--target', TARGET, '-o', ir]);
    if (compile.status !== 0 || !existsSync(ir)) fail(`compile exited ${compile.status}`);
    const explain = ananke(['explain', ir, 'clew.naming.typescript.variable', 'clew.security.eval']);
    if (explain.status !== 0) fail(`explain exited ${explain.status}`);

    stage(3, 'generate: the body, token by token under that grammar, with the test model (random weights: meaningless text, real tokens)');
    const gen = ananke(['generate', PROMPT, '--context', CODEBASE, '--target', TARGET, '--model', 'test', '--seed', '3', '--max-tokens', String(MAX_TOKENS), '--json'], true);
    // 0: complete and every check passed; 1: cut off by --max-tokens, or a rule checked only after generation failed.
    if (gen.status !== 0 && gen.status !== 1) fail(`generate exited ${gen.status}`);
    const out = JSON.parse(gen.stdout) as GenerateJson;
    const decodeBroken = out.report.constraints.filter((c) => c.mode === 'decode' && c.checked && !c.satisfied);
    if (decodeBroken.length) fail(`a constraint enforced while decoding is broken: ${decodeBroken.map((c) => c.id).join(', ')}`);
    if (!out.report.grammarAccepted && !out.report.truncated) fail('the grammar rejects the generated text');
    const checks = out.report.constraints.filter((c) => c.checked);
    process.stdout.write(`${out.code}\n`);
    process.stdout.write(`-> ${out.stats.tokens} tokens (${out.stats.forced} forced), mask p50 ${out.stats.maskUs.p50.toFixed(1)} µs; `
      + `${out.report.grammarAccepted ? 'a complete body the grammar accepts' : `cut off at ${MAX_TOKENS} tokens: a valid prefix the grammar reads to its end`}; `
      + `${checks.filter((c) => c.satisfied).length} of ${checks.length} post-generation checks passed\n`);

    stage(4, 'validate: code checked after the fact against the codebase\'s constraints');
    // The file with the generated body in place, put together as `generate` checks it.
    const generatedFile = path.join(tmp, 'warehouse.ts');
    const resolved = await resolveTarget(parseTarget(`body:${path.join(ROOT, FILE)}:listLowStock`));
    writeFileSync(generatedFile, candidateSource(resolved, out.code).source);
    const own = ananke(['validate', generatedFile, '--against', CODEBASE]);
    if (own.status !== 0 && !(own.status === 1 && out.report.truncated)) fail(`validate of the generated file exited ${own.status}`);
    if (own.status === 1) process.stdout.write('-> the generated body was cut off, so it does not parse as a whole file (the syntax error above); nothing else\n');
    const bad = ananke(['validate', CANDIDATE, '--against', CODEBASE]);
    if (bad.status !== 1) fail(`validate of ${CANDIDATE} should find its violations (exit 1), exited ${bad.status}`);
    process.stdout.write(`-> ${CANDIDATE} breaks the conventions: each violation above names its line and constraint\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(`\nexample: ok — extract → compile → generate → validate in ${((performance.now() - t0) / 1000).toFixed(1)} s.`
    + ' Next: `npx ananke eval examples/tasks --model test --max-tokens 64` (constrained against unconstrained on 26 tasks; docs/eval.md).\n');
}

await main();
