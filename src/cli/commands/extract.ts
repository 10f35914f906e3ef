/**
 * `ananke extract <paths…>`: facts and constraints of a code base. A readable summary by default,
 * `--json` for the documented machine format (docs/clew-extract.md), `--format ariadne` for the
 * constraints as an Ariadne file (docs/ariadne.md) that `ananke check` and `compile` read back.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { AnankeError, EXIT, isLanguage, type Constraint, type Language } from '../../core/index.ts';
import { intOption, numberOption } from '../parse-number.ts';
import { parseSize } from '../parse-size.ts';
import { EXTRACT_FORMAT_VERSION, extractRepo, type ExtractResult, type ProgressFn } from '../../clew/index.ts';

/** Below this many files a progress bar is noise. */
const PROGRESS_MIN_FILES = 200;
const DEFAULT_MIN_CONFIDENCE = 0.5;

interface ExtractCliOptions {
  json?: boolean;
  format?: string;
  output?: string;
  lang?: string;
  minConfidence?: string;
  cache: boolean;
  cacheDir?: string;
  jobs?: string;
  maxFiles?: string;
  maxFileSize?: string;
  progress: boolean;
}

const LANG_ALIASES: Readonly<Record<string, Language>> = {
  ts: 'typescript', js: 'javascript', py: 'python', rs: 'rust', golang: 'go', 'c++': 'cpp', 'c#': 'csharp',
  cs: 'csharp', rb: 'ruby', kt: 'kotlin',
};

function parseLangs(s: string): Language[] {
  const out: Language[] = [];
  for (const raw of s.split(',').map((x) => x.trim().toLowerCase()).filter((x) => x.length > 0)) {
    const l = LANG_ALIASES[raw] ?? raw;
    if (!isLanguage(l)) throw new AnankeError('USAGE', `--lang: unknown language '${raw}' (known: typescript, tsx, javascript, python, rust, go, java, c, cpp, csharp, ruby, php, kotlin, swift, zig)`);
    out.push(l);
    if (l === 'typescript') out.push('tsx');
  }
  if (out.length === 0) throw new AnankeError('USAGE', '--lang needs at least one language');
  return out;
}

/** A progress bar on stderr, only for an interactive terminal and a run long enough to need one. */
function progressBar(enabled: boolean): { onProgress: ProgressFn | undefined; stop: () => void } {
  if (!enabled || !process.stderr.isTTY || process.env.CI) return { onProgress: undefined, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  return {
    onProgress: (done, total) => {
      if (total < PROGRESS_MIN_FILES) return;
      if (!bar) {
        bar = new cliProgress.SingleBar({
          stream: process.stderr, format: 'extracting [{bar}] {value}/{total} files {percentage}% eta {eta}s',
          hideCursor: true, clearOnComplete: true, fps: 10,
        }, cliProgress.Presets.shades_classic);
        bar.start(total, 0);
      }
      bar.update(done);
    },
    stop: () => bar?.stop(),
  };
}

export function configure(cmd: Command): void {
  cmd
    .argument('<paths...>', 'files, folders or globs (quote globs: "src/**/*.ts")')
    .option('--json', 'print the full JSON report (format documented in docs/clew-extract.md)')
    .option('--format <format>', 'text (the summary, default), json (same as --json) or ariadne (the constraints as an .ariadne file)')
    .option('-o, --output <file>', 'write the report to this file instead of standard output')
    .option('--lang <list>', 'only these languages, comma-separated (e.g. typescript,python)')
    .option('--min-confidence <0..1>', `only constraints at least this confident (default: ${DEFAULT_MIN_CONFIDENCE})`)
    .option('--no-cache', 'do not read or write the extraction cache')
    .option('--cache-dir <dir>', 'where the extraction cache lives (default: $ANANKE_CACHE_DIR, else .ananke/cache in the current folder)')
    .option('--jobs <n>', 'worker threads for extraction; 0 extracts in the main thread only (default: CPUs - 1)')
    .option('--max-files <n>', 'stop after this many files (default: 100000)')
    .option('--max-file-size <size>', 'skip files bigger than this, e.g. 1m or 500k (default: 1m)')
    .option('--no-progress', 'never show the progress bar')
    .addHelpText('after', `
Examples:
  $ ananke extract src                              conventions of a code base, with their evidence
  $ ananke extract . --json -o facts.json           every fact and constraint, as JSON
  $ ananke extract "lib/**/*.py" --lang python --min-confidence 0.9
  $ ananke extract src --format ariadne -o project.ariadne   constraints to edit, then: ananke check project.ariadne

Exit status: 0 done, 1 no supported source file found, 2 usage, 3 a path does not exist or -o cannot be written.`)
    .action(async (paths: string[], opts: ExtractCliOptions) => {
      process.exitCode = await runExtract(paths, opts);
    });
}

const FORMATS = ['text', 'json', 'ariadne'] as const;
type OutputFormat = (typeof FORMATS)[number];

function outputFormat(opts: ExtractCliOptions): OutputFormat {
  if (opts.format === undefined) return opts.json ? 'json' : 'text';
  const f = opts.format.trim().toLowerCase();
  if (!(FORMATS as readonly string[]).includes(f)) throw new AnankeError('USAGE', `--format must be text, json or ariadne, not '${opts.format}'`);
  if (opts.json && f !== 'json') throw new AnankeError('USAGE', `--json and --format ${f} ask for two formats: give one`);
  return f as OutputFormat;
}

/** The constraints as an Ariadne file, with a header saying where they came from. */
async function ariadneText(r: ExtractResult): Promise<string> {
  const { printAriadne } = await import('../../ariadne/index.ts');
  const header = `Constraints extracted by \`ananke extract\` from ${r.facts.root} (${r.stats.files} files).\n` +
    'Edit freely; check with `ananke check <this file>`. The language: docs/ariadne.md.';
  return printAriadne(r.constraints, { header });
}

async function runExtract(paths: string[], opts: ExtractCliOptions): Promise<number> {
  const format = outputFormat(opts);
  const minConfidence = numberOption('--min-confidence', opts.minConfidence, 0, 1) ?? DEFAULT_MIN_CONFIDENCE;
  const bar = progressBar(opts.progress);
  let result: ExtractResult;
  try {
    result = await extractRepo(paths, {
      languages: opts.lang !== undefined ? parseLangs(opts.lang) : undefined,
      minConfidence,
      cache: opts.cache,
      cacheDir: opts.cacheDir !== undefined ? path.resolve(opts.cacheDir) : undefined,
      jobs: intOption('--jobs', opts.jobs),
      maxFiles: intOption('--max-files', opts.maxFiles, 1),
      maxFileBytes: opts.maxFileSize !== undefined ? parseSize('--max-file-size', opts.maxFileSize) : undefined,
    }, bar.onProgress);
  } finally {
    bar.stop();
  }
  const text = format === 'json' ? `${JSON.stringify(toJson(result), null, 2)}\n`
    : format === 'ariadne' ? await ariadneText(result) : summary(result, minConfidence);
  if (opts.output !== undefined) {
    try {
      fs.writeFileSync(opts.output, text);
    } catch (e) {
      throw new AnankeError('IO', `cannot write ${opts.output}: ${(e as Error).message}`, { file: opts.output });
    }
    process.stderr.write(`ananke: wrote ${opts.output} (${result.stats.files} files, ${result.constraints.length} constraints)\n`);
  } else {
    process.stdout.write(text);
  }
  if (result.stats.files === 0) {
    process.stderr.write('ananke: no supported source files found (see "skipped" and --lang)\n');
    return EXIT.NO;
  }
  return EXIT.OK;
}

/** The `--json` document. Keys and their meaning are stable within a `version`. */
export function toJson(r: ExtractResult): Record<string, unknown> {
  return {
    version: EXTRACT_FORMAT_VERSION,
    root: r.facts.root,
    files: r.facts.files,
    constraints: r.constraints,
    skipped: r.facts.skipped,
    warnings: r.warnings,
    stats: r.stats,
  };
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const pct = (x: number): string => `${(x * 100).toFixed(x === 1 ? 0 : 1)}%`;
const MAX_LISTED = 20;

function evidenceText(c: Constraint): string {
  if (!c.evidence) return '';
  if (c.rule.type === 'module_boundary') return c.evidence.total > 0 ? ` (${c.evidence.total} imports)` : '';
  if (c.rule.type === 'allowed_imports') return ` (${c.evidence.total} import statements)`;
  if (c.kind === 'security') return ` (${c.evidence.matching} of ${c.evidence.total} files clean)`;
  return ` (${fmt(c.evidence.matching)} of ${fmt(c.evidence.total)})`;
}

/** The human-readable report. */
export function summary(r: ExtractResult, minConfidence: number): string {
  const s = r.stats;
  const out: string[] = [];
  out.push(`Extracted ${fmt(s.files)} files (${fmt(s.lines)} lines) in ${(s.timingsMs.total / 1000).toFixed(2)} s` +
    ` — cache ${fmt(s.cacheHits)} hits, ${fmt(s.cacheMisses)} misses; ${s.workers} worker${s.workers === 1 ? '' : 's'}`);
  out.push(`Root: ${r.facts.root}`);
  const langs = Object.entries(s.languages).sort((a, b) => b[1].files - a[1].files);
  for (const [l, v] of langs) out.push(`  ${l.padEnd(11)} ${fmt(v.files).padStart(7)} files ${fmt(v.lines).padStart(10)} lines`);
  const skippedTotal = r.facts.skipped.length;
  if (skippedTotal > 0 || s.unknownLanguage > 0 || s.filtered > 0) {
    const parts = Object.entries(s.skipped).map(([k, v]) => `${k} ${v}`);
    if (s.unknownLanguage > 0) parts.push(`other file types ${s.unknownLanguage}`);
    if (s.filtered > 0) parts.push(`excluded by --lang ${s.filtered}`);
    out.push('', `Skipped: ${parts.join(', ')}`);
    for (const k of r.facts.skipped.slice(0, MAX_LISTED)) out.push(`  ${k.path}  ${k.reason}${k.detail ? ` (${k.detail})` : ''}`);
    if (skippedTotal > MAX_LISTED) out.push(`  … ${skippedTotal - MAX_LISTED} more (see --json)`);
  }

  const conventions = r.constraints.filter((c) => c.kind !== 'security' && c.source !== 'test_mining' && c.kind !== 'architectural');
  out.push('', `Conventions (confidence ≥ ${minConfidence}):`);
  if (conventions.length === 0) out.push('  none found');
  for (const c of conventions) out.push(`  ${pct(c.confidence).padStart(6)}  ${c.description}${evidenceText(c)}`);

  const arch = r.constraints.filter((c) => c.kind === 'architectural');
  if (arch.length > 0) {
    out.push('', 'Imports and module boundaries:');
    for (const c of arch) {
      // describeRule reads "may import only" even for an empty list; say it plainly here.
      const text = c.rule.type === 'module_boundary' && c.rule.mayImport.length === 0 ? `${c.rule.from} imports no other module` : c.description;
      out.push(`  ${pct(c.confidence).padStart(6)}  ${text}${evidenceText(c)}`);
    }
  }

  const findings: string[] = [];
  for (const f of r.facts.files) for (const x of f.security) findings.push(`  ${f.path}:${x.line}  ${x.finding}  ${x.detail}`);
  out.push('', `Security findings: ${findings.length}`);
  out.push(...findings.slice(0, 100));
  if (findings.length > 100) out.push(`  … ${findings.length - 100} more (see --json)`);

  const tests = r.constraints.filter((c) => c.source === 'test_mining');
  if (s.testExpectations > 0) {
    const linked = tests.filter((c) => c.confidence === 1).length;
    out.push('', `Test expectations: ${fmt(s.testExpectations)} assertions; ${fmt(tests.length)} constraints, ${fmt(linked)} linked to a project function`);
    for (const c of tests.slice(0, 10)) out.push(`  ${c.provenance ? `${c.provenance.file}:${c.provenance.line}  ` : ''}${c.description}`);
    if (tests.length > 10) out.push(`  … ${tests.length - 10} more (see --json)`);
  }

  if (r.warnings.length > 0) {
    out.push('', `Warnings: ${r.warnings.length}`);
    for (const w of r.warnings.slice(0, MAX_LISTED)) out.push(`  ${w.path ? `${w.path}${w.line ? `:${w.line}` : ''}  ` : ''}${w.message}`);
    if (r.warnings.length > MAX_LISTED) out.push(`  … ${r.warnings.length - MAX_LISTED} more (see --json)`);
  }
  return `${out.join('\n')}\n`;
}
