import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AnankeError, EXIT } from '../../core/index.ts';
import { baselineOf, regressions, runJsts, type JstsBaseline, type JstsCounts } from '../../eval/index.ts';
import { registerMaskbench } from './bench-maskbench.ts';
import { registerSchemastore } from './bench-schemastore.ts';

/** The package root: this file is src/cli/commands/bench.ts in a checkout, dist/cli/commands/bench.js when built. */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The committed outcome of every JSON-Schema-Test-Suite case (a ratchet: may only improve), and
 * whether this is a checkout that may rewrite it: a bench/ folder beside the package root, and
 * the root not inside node_modules (an installed package is never written into).
 */
export function jstsBaselineLocation(root: string = PACKAGE_ROOT): { file: string; checkout: boolean } {
  const inNodeModules = path.resolve(root).split(path.sep).includes('node_modules');
  return { file: path.join(root, 'bench', 'jsts-baseline.json'), checkout: !inNodeModules && existsSync(path.join(root, 'bench')) };
}

/** The baseline file to compare with and, with --update-baseline, to write; USAGE when that would write into an installed package. */
export function jstsBaselineFile(flags: { baseline?: string; updateBaseline?: boolean }, root: string = PACKAGE_ROOT): string {
  if (flags.baseline !== undefined) return path.resolve(flags.baseline);
  const { file, checkout } = jstsBaselineLocation(root);
  if (flags.updateBaseline && !checkout) {
    throw new AnankeError('USAGE', `--update-baseline rewrites the committed baseline of a checkout of Ananke, and ${root} is an installed package: pass --baseline FILE to say which file to write`);
  }
  return file;
}

interface JstsFlags {
  json?: boolean;
  updateBaseline?: boolean;
  whitespace?: string;
  propertyOrder?: string;
  baseline?: string;
}

/**
 * `ananke bench …`: conformance and speed benchmarks. Each subcommand is one small register
 * function below; add another (e.g. maskbench) the same way.
 */
export function configure(bench: Command): void {
  registerJsts(bench);
  registerMaskbench(bench);
  registerSchemastore(bench);
}

function line(name: string, c: JstsCounts): string {
  return `${name.padEnd(40)} ${String(c.cases).padStart(5)} cases  pass ${String(c.pass).padStart(5)}  FP ${String(c.falsePositive).padStart(3)}  FN ${String(c.falseNegative).padStart(4)}  compile error ${c.compileError} (valid ${c.compileErrorValid}, invalid-only ${c.compileErrorInvalid})`;
}

function registerJsts(bench: Command): void {
  bench
    .command('jsts')
    .description('Run the JSON Schema Test Suite (a draft2020-12 folder) through the engine; reports pass / false positive / false negative / compile error and cases that got worse than the baseline.')
    .argument('<folder>', 'tests/draft2020-12 folder of the JSON-Schema-Test-Suite')
    .option('--json', 'print the full JSON report')
    .option('--update-baseline', 'write the outcomes to the baseline when nothing got worse (an installed package needs --baseline FILE)')
    .option('--whitespace <mode>', 'flexible (instances as Python json.dumps) or compact (no spaces)', 'flexible')
    .option('--property-order <order>', 'schema or any', 'schema')
    .option('--baseline <file>', 'baseline file to compare with (default: bench/jsts-baseline.json of a checkout, which holds default options)')
    .addHelpText('after', `
Example:
  $ ananke bench jsts JSON-Schema-Test-Suite/tests/draft2020-12 --json > jsts.json

Exit status: 0 no false positive and nothing worse than the baseline, 1 otherwise, 2 usage, 3 folder not found.`)
    .action((folder: string, flags: JstsFlags) => {
      process.exitCode = runJstsCommand(folder, flags);
    });
}

function runJstsCommand(folder: string, flags: JstsFlags): number {
  if (!existsSync(folder)) throw new AnankeError('NOT_FOUND', `folder not found: ${folder}`);
  if (flags.whitespace !== 'flexible' && flags.whitespace !== 'compact') {
    throw new AnankeError('USAGE', `--whitespace must be flexible or compact, not '${flags.whitespace}'`);
  }
  if (flags.propertyOrder !== 'schema' && flags.propertyOrder !== 'any') {
    throw new AnankeError('USAGE', `--property-order must be schema or any, not '${flags.propertyOrder}'`);
  }
  // Decided before the run, so a refused --update-baseline costs nothing.
  const baselineFile = jstsBaselineFile(flags);
  const report = runJsts(folder, { schema: { whitespace: flags.whitespace, propertyOrder: flags.propertyOrder } });
  const baseline: JstsBaseline = existsSync(baselineFile) ? (JSON.parse(readFileSync(baselineFile, 'utf8')) as JstsBaseline) : {};
  const worse = regressions(report, baseline);
  if (flags.updateBaseline && worse.length === 0) writeFileSync(baselineFile, JSON.stringify(baselineOf(report), null, 0).replace(/,"/g, ',\n"') + '\n');
  if (flags.json) {
    const { cases, ...rest } = report;
    process.stdout.write(JSON.stringify({ ...rest, pass: report.required.pass, falsePositive: report.required.falsePositive, falseNegative: report.required.falseNegative, compileError: report.required.compileError, regressions: worse, falsePositives: cases.filter((c) => c.outcome === 'false-positive'), cases }, null, 2) + '\n');
  } else {
    for (const [file, c] of Object.entries(report.files)) process.stdout.write(line(file, c) + '\n');
    process.stdout.write('\n' + line('TOTAL (required)', report.required) + '\n' + line('TOTAL (optional/)', report.optional) + '\n');
    for (const c of report.cases) if (c.outcome === 'false-positive') process.stdout.write(`false positive: ${c.id} ${c.description}\n`);
    for (const w of worse) process.stdout.write(`worse than baseline: ${w.id}: ${w.was} → ${w.now}\n`);
    if (flags.updateBaseline) process.stdout.write(worse.length === 0 ? `baseline written: ${baselineFile}\n` : 'baseline NOT written: some cases got worse\n');
  }
  return worse.length > 0 || report.required.falsePositive + report.optional.falsePositive > 0 ? EXIT.NO : EXIT.OK;
}
