/**
 * `npm run bench`: runs every benchmark suite, writes JSON to bench/results/, and prints the
 * system's performance targets with the measured value next to each.
 * `npm run bench:check`: also compares the same-run ratios against bench/baseline.json and exits 1
 * on a regression of more than 10%.
 *
 * Flags: --quick (fewer samples), --only a,b (suite names), --check, --update-baseline,
 *        --out FILE (JSON path; default bench/results/bench-<time>.json), --tolerance 0.10
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { calibrate } from './lib/calibrate.ts';
import { compareToBaseline, type Baseline } from './lib/baseline.ts';
import { SYSTEM_TARGETS, mergeTargets, formatTargetTable } from './lib/targets.ts';
import type { BenchSuite, SuiteResult } from './lib/types.ts';
import { followParent, relaunchWithPool } from '../src/cli/v8-pool.ts';
import { startedPoolSize } from '../src/core/index.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Suites in the order they run; a file that does not exist yet is skipped with a note. */
const SUITE_FILES = ['cli.ts', 'tokenizer.ts', 'clew.ts', 'engine.ts', 'jsonschema.ts', 'schemastore.ts', 'grammars.ts', 'braid.ts', 'serve.ts', 'maze.ts'];

interface Args {
  quick: boolean;
  only?: string[];
  check: boolean;
  updateBaseline: boolean;
  out?: string;
  tolerance: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, check: false, updateBaseline: false, tolerance: 0.1 };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (x === '--quick') a.quick = true;
    else if (x === '--check') a.check = true;
    else if (x === '--update-baseline') a.updateBaseline = true;
    else if (x === '--only') a.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (x === '--out') a.out = argv[++i];
    else if (x === '--tolerance') a.tolerance = Number(argv[++i]);
    else if (x === '--help' || x === '-h') {
      console.log('usage: npm run bench -- [--quick] [--only SUITE,…] [--check] [--update-baseline] [--out FILE] [--tolerance 0.10]');
      process.exit(0);
    } else {
      console.error(`bench: unknown flag ${x} (try --help)`);
      process.exit(2);
    }
  }
  if (!(a.tolerance > 0)) {
    console.error('bench: --tolerance must be a positive number');
    process.exit(2);
  }
  return a;
}

async function loadSuites(only?: string[]): Promise<BenchSuite[]> {
  const suites: BenchSuite[] = [];
  for (const file of SUITE_FILES) {
    const full = path.join(HERE, file);
    if (!existsSync(full)) continue;
    const mod = (await import(pathToFileURL(full).href)) as { suite?: BenchSuite };
    if (!mod.suite) throw new Error(`${file} does not export \`suite\``);
    if (!only || only.includes(mod.suite.name)) suites.push(mod.suite);
  }
  return suites;
}

function fmt(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '-';
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function printSuite(r: SuiteResult): void {
  console.log(`\n## ${r.suite}`);
  console.log('| measurement | unit | p50 | p90 | p99 | max | value | n |');
  console.log('|---|---|--:|--:|--:|--:|--:|--:|');
  for (const m of r.measurements) {
    const s = m.summary;
    console.log(`| ${m.name} | ${m.unit} | ${fmt(s?.p50)} | ${fmt(s?.p90)} | ${fmt(s?.p99)} | ${fmt(s?.max)} | ${fmt(m.value)} | ${s?.n ?? ''} |${m.note ? ` ${m.note}` : ''}`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // As `ananke bench` does: V8's helper pool sized for the machine (src/cli/v8-pool.ts).
  try {
    followParent();
    if (relaunchWithPool(fileURLToPath(import.meta.url), process.argv.slice(2))) return;
  } catch (e) {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
  const calibrationUs = calibrate();
  console.log(`calibration workload p50: ${calibrationUs.toFixed(1)} µs (ratios below are relative to it)`);
  console.log(`V8 helper pool: ${startedPoolSize() ?? "Node's default (4)"} (ANANKE_V8_POOL_SIZE, src/cli/v8-pool.ts)`);
  const suites = await loadSuites(args.only);
  const results: SuiteResult[] = [];
  for (const s of suites) {
    process.stderr.write(`running ${s.name}…\n`);
    const r = await s.run({ quick: args.quick, calibrationUs });
    results.push(r);
    printSuite(r);
  }

  const targets = mergeTargets(SYSTEM_TARGETS, results.flatMap((r) => r.targets));
  console.log('\n## Performance targets\n');
  console.log(formatTargetTable(targets));

  const ratios: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.ratios)) ratios[`${r.suite}.${k}`] = v;

  const report = { date: new Date().toISOString(), node: process.version, v8PoolSize: startedPoolSize() ?? 'default', quick: args.quick, calibrationUs, suites: results, targets, ratios };
  const out = args.out ?? path.join(HERE, 'results', `bench-${report.date.replace(/[:.]/g, '-')}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(path.join(path.dirname(out), 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`\nresults written to ${path.relative(process.cwd(), out)}`);

  const baselinePath = path.join(HERE, 'baseline.json');
  if (args.updateBaseline) {
    const merged: Baseline = existsSync(baselinePath) ? (JSON.parse(readFileSync(baselinePath, 'utf8')) as Baseline) : { ratios: {} };
    Object.assign(merged.ratios, ratios);
    merged.updated = report.date;
    writeFileSync(baselinePath, JSON.stringify(merged, null, 2) + '\n');
    console.log(`baseline updated: ${path.relative(process.cwd(), baselinePath)}`);
  }
  if (args.check) {
    if (!existsSync(baselinePath)) {
      console.error('bench:check: no bench/baseline.json (create it with `npm run bench -- --update-baseline`)');
      process.exit(2);
    }
    const baseline = JSON.parse(readFileSync(baselinePath, 'utf8')) as Baseline;
    const cmp = compareToBaseline(baseline, ratios, args.tolerance);
    console.log('\n## Regression check (same-run ratios vs baseline; lower is better)\n');
    for (const line of cmp.lines) console.log(line);
    if (cmp.regressions.length > 0) {
      console.error(`\n${cmp.regressions.length} regression(s) over ${(args.tolerance * 100).toFixed(0)}%: ${cmp.regressions.join(', ')}`);
      process.exit(1);
    }
    console.log('\nno regression');
  }
}

await main();
