/**
 * SchemaStore (src/eval/schemastore.ts): its schemas and test documents through `schema check`'s
 * defaults, ajv as the reference. In `npm run bench`, the development slice (schemastore-dev in the
 * data folder): compile coverage, false positives (target 0), false negatives, compile time, and
 * the ratchet against bench/schemastore-baseline.json. The whole SchemaStore runs with
 * `ananke bench schemastore <copy of its src/>` (bench/README.md says how to get it).
 * Run alone: node --import tsx bench/schemastore.ts [--quick] [folder]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dataDir, missingData } from '../src/eval/data.ts';
import { hasYamlDocuments, runSchemastore, schemastoreLayout, schemastoreRegressions, type SchemastoreBaseline } from '../src/eval/schemastore.ts';
import { ajvReference, yamlParser } from '../src/eval/schemastore-ajv.ts';
import { schemaCatalog } from '../src/engine/schema/catalog.ts';
import { summarize } from './lib/stats.ts';
import type { BenchOptions, BenchSuite, Measurement, SuiteResult, TargetCheck } from './lib/types.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SLICE = path.join(dataDir(), 'schemastore-dev');
const BASELINE = path.join(HERE, 'schemastore-baseline.json');
/** Issue 14: at least 75% of SchemaStore's schemas with tests compile in strict mode. */
const COVERAGE_TARGET = 0.75;
/** Schemas in a --quick run (the first ones in name order). */
const QUICK_SCHEMAS = 25;

async function run(folder: string, opts: BenchOptions): Promise<SuiteResult> {
  const measurements: Measurement[] = [];
  const targets: TargetCheck[] = [];
  const missing = missingData(folder);
  if (missing) {
    measurements.push({ name: 'schemastore', unit: 'count', value: 0, note: `${missing}: suite skipped` });
    return { suite: 'schemastore', measurements, targets, ratios: {} };
  }
  const reference = await ajvReference(schemaCatalog([folder]).files);
  const select = opts.quick ? { limit: QUICK_SCHEMAS } : {};
  // A SchemaStore checkout has YAML test documents: read with `yaml` (a development dependency).
  const parseYaml = hasYamlDocuments(folder, select) ? await yamlParser() : undefined;
  const report = runSchemastore(folder, reference, { ...select, parseYaml });
  const c = report.counts;
  const compiled = c.exact + c.postCheck;
  // The baseline file holds one ratchet per data set (bench-schemastore.ts): `schemastore` for a src/ folder, a slice by its folder's name.
  const sets: Record<string, SchemastoreBaseline> = existsSync(BASELINE) ? (JSON.parse(readFileSync(BASELINE, 'utf8')) as Record<string, SchemastoreBaseline>) : {};
  const baseline = sets[schemastoreLayout(folder) === 'schemastore' ? 'schemastore' : path.basename(path.resolve(folder))] ?? {};
  const worse = schemastoreRegressions(report, baseline);
  const note = `${c.schemas} schemas of ${path.basename(folder)}`;
  measurements.push(
    { name: 'schemastore schemas compiled (strict)', unit: 'ratio', value: compiled / Math.max(1, c.schemas), note: `${compiled} of ${note}: ${c.exact} exact, ${c.postCheck} with post-checks` },
    { name: 'schemastore false positives (negative documents accepted)', unit: 'count', value: c.falsePositive, note: `of ${c.negativesChecked} negative documents of compiled schemas` },
    { name: 'schemastore false negatives (documents ajv accepts, rejected)', unit: 'count', value: c.falseNegative, note: `of ${c.positivesChecked}` },
    { name: 'schemastore cases worse than the baseline', unit: 'count', value: worse.length, note: worse.slice(0, 5).map((w) => w.id).join(', ') },
    { name: 'schemastore compile (schema → engine tables)', unit: 'ms', summary: summarize(report.compileMs) },
  );
  targets.push(
    { component: 'JSON Schema', metric: `SchemaStore schemas compiled, strict (${note})`, target: `≥ ${COVERAGE_TARGET * 100}%`, measured: (100 * compiled) / Math.max(1, c.schemas), unit: '%', met: compiled / Math.max(1, c.schemas) >= COVERAGE_TARGET },
    { component: 'JSON Schema', metric: 'SchemaStore negative documents accepted', target: '0', measured: c.falsePositive, unit: 'count', met: c.falsePositive === 0 },
  );
  return { suite: 'schemastore', measurements, targets, ratios: {} };
}

export const suite: BenchSuite = {
  name: 'schemastore',
  run: (opts) => run(SLICE, opts),
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const folder = args.find((a) => !a.startsWith('--')) ?? SLICE;
  const r = await run(folder, { quick: args.includes('--quick'), calibrationUs: 0 });
  for (const m of r.measurements) console.log(`${m.name}: ${m.value ?? `p50 ${m.summary?.p50.toFixed(1)} p99 ${m.summary?.p99.toFixed(1)}`} ${m.unit}${m.note ? ` (${m.note})` : ''}`);
}
