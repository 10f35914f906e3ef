/**
 * `ananke validate <files…> --against <context paths | constraint files>`: code written by anyone,
 * checked after the fact against a code base's constraints: syntax by the language's program
 * grammar, and every hard constraint by the same post-generation checks Braid's IR lists (on
 * tree-sitter trees), with file:line diagnostics. For pre-commit hooks and CI.
 */
import type { Command } from 'commander';
import { AnankeError, EXIT, readTextFile, type Constraint, type Language } from '../../core/index.ts';
import { Braid, type TargetContext } from '../../braid/index.ts';
import { byteTokenizer, compile, isProgramLanguage, loadProgramGrammar, type CompiledGrammar } from '../../engine/index.ts';
import { detectLanguage, extractRepo, runPostChecks } from '../../clew/index.ts';
import { loadConfig } from '../config.ts';
import { intOption, numberOption } from '../parse-number.ts';
import { readConstraintFiles } from '../constraint-files.ts';

interface ValidateOptions {
  against: string[];
  json?: boolean;
  cache: boolean;
  minConfidence?: string;
  minExamples?: string;
}

export interface Diagnostic {
  file: string;
  line: number;
  column?: number;
  severity: 'error' | 'warning';
  message: string;
  constraintId?: string;
}

/** Files above this are not validated (generated or vendored code, not code a person wrote). */
const MAX_VALIDATE_BYTES = 2 * 1024 * 1024;

export function configure(cmd: Command): void {
  cmd
    .argument('<files...>', 'source files to check')
    .requiredOption('--against <paths...>', 'the constraints: context paths (extracted with Clew) and/or .ariadne/.json constraint files')
    .option('--json', 'print {files: [{path, language, diagnostics}], violations} as JSON')
    .option('--min-confidence <0..1>', 'evidence needed for naming and type rules to count as hard (default 0.95)')
    .option('--min-examples <n>', '... and this many examples (default 20)')
    .option('--no-cache', 'do not use the extraction cache')
    .addHelpText('after', `
Examples:
  $ ananke validate src/new-feature.ts --against src
  $ ananke validate app.py --against policy.ariadne src
  $ git diff --cached --name-only --diff-filter=AM -- '*.ts' '*.py' | xargs -r ananke validate --against src
                                                  a pre-commit hook: the staged files against the code base

Exit status: 0 clean, 1 violations (file:line diagnostics), 2 usage, 3 a file not found.`)
    .action(async (files: string[], opts: ValidateOptions) => {
      process.exitCode = await runValidate(files, opts);
    });
}

async function runValidate(files: string[], opts: ValidateOptions): Promise<number> {
  const ruleFiles = opts.against.filter((p) => p.endsWith('.ariadne') || p.endsWith('.json'));
  const context = opts.against.filter((p) => !ruleFiles.includes(p));
  const cfg = loadConfig();
  const cacheDir = process.env['ANANKE_CACHE_DIR'] ? undefined : cfg.cacheDir;
  const constraints: Constraint[] = [...(await readConstraintFiles([...(cfg.constraints ?? []), ...ruleFiles]))];
  if (context.length) constraints.push(...(await extractRepo(context, { cache: opts.cache, minConfidence: 0, ...(cacheDir ? { cacheDir } : {}) })).constraints);
  const minConfidence = numberOption('--min-confidence', opts.minConfidence, 0, 1) ?? cfg.minConfidence;
  const minExamples = intOption('--min-examples', opts.minExamples) ?? cfg.minExamples;
  const braidOpts = {
    ...(minConfidence !== undefined ? { minConfidence } : {}),
    ...(minExamples !== undefined ? { minExamples } : {}),
  };
  const braid = await Braid.create(16);
  const syntax = new Map<string, CompiledGrammar>();
  const reports: Array<{ path: string; language?: Language; diagnostics: Diagnostic[] }> = [];
  for (const file of files) {
    const source = readTextFile(file, 'file', { maxBytes: MAX_VALIDATE_BYTES });
    const detected = detectLanguage(file, source.slice(0, 200));
    const language = detected === 'tsx' ? 'typescript' : detected;
    const diagnostics: Diagnostic[] = [];
    if (!language) {
      reports.push({ path: file, diagnostics: [{ file, line: 1, severity: 'warning', message: 'not a language Ananke reads: skipped' }] });
      continue;
    }
    if (isProgramLanguage(language)) {
      let cg = syntax.get(language);
      if (!cg) syntax.set(language, (cg = compile(loadProgramGrammar(language), byteTokenizer())));
      const r = cg.check(source);
      if (!r.accepted) diagnostics.push({ file, line: r.line ?? 1, column: r.column, severity: 'error', message: `syntax: ${r.message ?? 'rejected'}` });
    }
    if (!isProgramLanguage(language)) {
      reports.push({ path: file, language, diagnostics: [{ file, line: 1, severity: 'warning', message: `${language}: no program grammar, so no constraints are checked (typescript, javascript, python, go, rust are)` }] });
      continue;
    }
    const ctx: TargetContext = { target: { kind: 'module', language }, language };
    const checks = braid.compile(constraints, ctx, braidOpts).ir.postChecks;
    const results = await runPostChecks(checks, constraints, { source, language, start: 0, end: source.length, path: file });
    for (const p of results) {
      for (const v of p.violations) diagnostics.push({ file, line: v.line, column: v.column, severity: 'error', message: v.message, constraintId: p.constraintId });
    }
    diagnostics.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
    reports.push({ path: file, language, diagnostics });
  }
  const violations = reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'error').length, 0);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ files: reports, violations, constraints: constraints.length }, null, 2)}\n`);
  } else {
    let out = '';
    for (const r of reports) for (const d of r.diagnostics) out += `${d.file}:${d.line}${d.column !== undefined ? `:${d.column}` : ''}: ${d.severity}: ${d.message}${d.constraintId ? ` [${d.constraintId}]` : ''}\n`;
    out += `${files.length} file${files.length === 1 ? '' : 's'} checked against ${constraints.length} constraints: ${violations === 0 ? 'clean' : `${violations} violation${violations === 1 ? '' : 's'}`}\n`;
    process.stdout.write(out);
  }
  return violations === 0 ? EXIT.OK : EXIT.NO;
}
