import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AnankeError, EXIT } from '../../core/index.ts';
import {
  AJV_NOTE, ajvReference, hasYamlDocuments, runSchemastore, yamlParser, schemastoreBaselineOf, schemastoreLayout, schemastoreRegressions,
  type SchemastoreBaseline, type SchemastoreReport,
} from '../../eval/index.ts';
import { schemaCatalog } from '../../engine/index.ts';

/** The package root: this file is src/cli/commands/… in a checkout, dist/cli/commands/… when built. */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Flags {
  json?: boolean;
  updateBaseline?: boolean;
  baseline?: string;
  baselineSet?: string;
  filter?: string;
  limit?: string;
  schemaDir?: string[];
  verbose?: boolean;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** `ananke bench schemastore <folder>`: SchemaStore's schemas and test documents, ajv as the reference. */
export function registerSchemastore(bench: Command): void {
  bench
    .command('schemastore')
    .description("Run SchemaStore's schemas and their test documents through `schema check` (strict, any property order, post-checks), ajv as the reference: compile coverage, false positives, false negatives, and cases worse than the baseline.")
    .argument('<folder>', "a copy of SchemaStore's src/ folder, or a slice such as schemastore-dev (<name>/schema.json, pos/, neg/)")
    .option('--json', 'print the full JSON report')
    .option('--filter <substring>', 'only schemas whose name contains this')
    .option('--limit <n>', 'only the first N schemas, in name order')
    .option('--schema-dir <dir>', 'more schemas for remote $refs (the folder\'s own are always used; repeatable)', collect)
    .option('--baseline <file>', 'baseline to compare with (default: bench/schemastore-baseline.json of a checkout)')
    .option('--baseline-set <name>', 'which ratchet of the baseline file: "schemastore" for a src/ folder, the folder\'s name for a slice (default)')
    .option('--update-baseline', 'write the outcomes to the baseline when nothing got worse and no document is a false positive')
    .option('--verbose', 'list every refused schema and false negative')
    .addHelpText('after', `
Examples:
  $ ananke bench schemastore ../shared/data/schemastore-dev
  $ ananke bench schemastore schemastore/src --json > schemastore.json

Test documents may be JSON, YAML (.yaml, .yml) or TOML (.toml), as in SchemaStore's src/test and
src/negative_test; YAML and TOML ones are checked as the pretty JSON of their value. ajv and
ajv-formats (the reference) and yaml (YAML documents) are development dependencies of Ananke,
installed by npm ci in a checkout; elsewhere: npm install ajv@8 ajv-formats@3 yaml@2.9.1.

Exit status: 0 no false positive and nothing worse than the baseline, 1 otherwise, 2 usage, 3 folder not found.`)
    .action(async (folder: string, flags: Flags) => {
      process.exitCode = await run(folder, flags);
    });
}

function baselineFile(flags: Flags): string {
  if (flags.baseline !== undefined) return path.resolve(flags.baseline);
  const inNodeModules = PACKAGE_ROOT.split(path.sep).includes('node_modules');
  if (flags.updateBaseline && (inNodeModules || !existsSync(path.join(PACKAGE_ROOT, 'bench')))) {
    throw new AnankeError('USAGE', `--update-baseline rewrites the committed baseline of a checkout of Ananke, and ${PACKAGE_ROOT} is an installed package: pass --baseline FILE`);
  }
  return path.join(PACKAGE_ROOT, 'bench', 'schemastore-baseline.json');
}

async function run(folder: string, flags: Flags): Promise<number> {
  if (!existsSync(folder)) throw new AnankeError('NOT_FOUND', `folder not found: ${folder}`);
  const layout = schemastoreLayout(folder);
  if (layout !== 'schemastore' && layout !== 'slice') throw new AnankeError('USAGE', layout);
  let limit: number | undefined;
  if (flags.limit !== undefined) {
    limit = Number(flags.limit);
    if (!Number.isInteger(limit) || limit <= 0) throw new AnankeError('USAGE', `--limit must be a positive integer, not '${flags.limit}'`);
  }
  for (const d of flags.schemaDir ?? []) if (!existsSync(d)) throw new AnankeError('NOT_FOUND', `schema folder not found: ${d}`);
  const file = baselineFile(flags);
  const ownDir = layout === 'schemastore' ? path.join(folder, 'schemas', 'json') : folder;
  const reference = await ajvReference(schemaCatalog([ownDir, ...(flags.schemaDir ?? [])]).files);
  // YAML documents are read with the `yaml` package (a development dependency, as ajv is),
  // loaded only when the folder has some: a usage error says how to install it, nothing is skipped.
  const parseYaml = hasYamlDocuments(folder, { filter: flags.filter, limit }) ? await yamlParser() : undefined;
  const report = runSchemastore(folder, reference, { filter: flags.filter, limit, schemaDirs: flags.schemaDir, parseYaml });
  // One ratchet per data set: what compiles depends on the registry a set brings (a slice lacks
  // the shared schemas its members $ref), so the whole SchemaStore and a slice are kept apart.
  const set = flags.baselineSet ?? (layout === 'schemastore' ? 'schemastore' : path.basename(path.resolve(folder)));
  const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, SchemastoreBaseline>) : {};
  const baseline = all[set] ?? {};
  const worse = schemastoreRegressions(report, baseline);
  const fp = report.counts.falsePositive;
  if (flags.updateBaseline && worse.length === 0 && fp === 0) {
    // Merged: a run on part of a set (--filter, --limit) keeps what the baseline holds for the rest.
    const merged = { ...baseline, ...schemastoreBaselineOf(report) };
    all[set] = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const sets = Object.keys(all).sort();
    writeFileSync(file, `{\n${sets.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(all[k]).replace(/,"/g, ',\n"')}`).join(',\n')}\n}\n`);
  }
  if (flags.json) {
    process.stdout.write(JSON.stringify({ ...report, reference: AJV_NOTE, regressions: worse }, null, 2) + '\n');
  } else {
    process.stdout.write(formatReport(report, flags.verbose === true));
    for (const w of worse) process.stdout.write(`worse than baseline: ${w.id}: ${w.was} → ${w.now}\n`);
    if (flags.updateBaseline) process.stdout.write(worse.length === 0 && fp === 0 ? `baseline written: ${file} (set ${set})\n` : 'baseline NOT written: some cases got worse or a negative document was accepted\n');
  }
  return worse.length > 0 || fp > 0 ? EXIT.NO : EXIT.OK;
}

function pct(n: number, d: number): string {
  return d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`;
}

export function formatReport(r: SchemastoreReport, verbose: boolean): string {
  const c = r.counts;
  const compiled = c.exact + c.postCheck;
  const ms = [...r.compileMs].sort((a, b) => a - b);
  const q = (p: number) => (ms.length === 0 ? 0 : ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!);
  const lines = [
    `SchemaStore (${r.layout === 'schemastore' ? 'src/ folder' : 'slice'}: ${r.folder}), as \`schema check\` runs it (strict, any property order, post-checks); ${AJV_NOTE}`,
    '',
    `schemas             ${c.schemas}`,
    `compile             ${compiled} (${pct(compiled, c.schemas)}): exact ${c.exact}, with post-checks ${c.postCheck}`,
    `refused             ${c.refused}${Object.keys(r.refusals).length > 0 ? ` (${Object.entries(r.refusals).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}; limits ${c.limit}; crashes ${c.crash}`,
    `negative documents  ${c.negatives}, of compiled schemas ${c.negativesChecked}: false positives ${c.falsePositive}`,
    `positive documents  ${c.positives}, of compiled schemas and valid for the reference ${c.positivesChecked}: false negatives ${c.falseNegative} (${pct(c.falseNegative, c.positivesChecked)}); not counted (the reference rejects or cannot compile) ${c.noReference}`,
    `compile time        p50 ${q(0.5).toFixed(1)} ms, p90 ${q(0.9).toFixed(1)} ms, max ${q(1).toFixed(1)} ms`,
  ];
  if (r.skipped.length > 0) {
    const why = new Map<string, number>();
    for (const s of r.skipped) why.set(s.why.split(':')[0]!, (why.get(s.why.split(':')[0]!) ?? 0) + 1);
    lines.push(`skipped documents   ${r.skipped.length} (${[...why].map(([w, n]) => `${w}: ${n}`).join('; ')})`);
  }
  for (const k of r.cases) {
    if (k.outcome === 'false-positive') lines.push(`false positive: ${k.file}`);
    else if (verbose && (k.outcome === 'false-negative' || k.outcome === 'refused' || k.outcome === 'limit' || k.outcome === 'crash')) lines.push(`${k.outcome}: ${k.file}: ${(k.detail ?? '').split('\n')[0]}`);
  }
  return lines.join('\n') + '\n';
}
