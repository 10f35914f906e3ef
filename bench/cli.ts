/**
 * CLI start-up: `ananke --help` and `ananke schema check` on a small schema, each against bare
 * `node -e 0`, alternated in one run so the ratios hold on a noisy machine. Runs the compiled CLI
 * (bin/ananke.js → dist/), as a user does: build first (`npm run build`).
 * Run alone: node --import tsx bench/cli.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nowUs, summarize } from './lib/stats.ts';
import type { BenchOptions, BenchSuite, Measurement, SuiteResult, TargetCheck } from './lib/types.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/ananke.js');
/** `--help` may take at most this many times as long as starting Node and doing nothing. */
const HELP_TARGET_RATIO = 4;

const COMMANDS: Record<string, string[]> = {
  node: ['-e', '0'],
  help: [BIN, '--help'],
  schemaCheck: [BIN, 'schema', 'check', path.join(ROOT, 'examples/tool-call.schema.json'), path.join(ROOT, 'examples/tool-call.json')],
};

function timeOnce(args: string[]): number {
  const t0 = nowUs();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const us = nowUs() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return us;
}

async function run(opts: BenchOptions): Promise<SuiteResult> {
  const measurements: Measurement[] = [];
  const targets: TargetCheck[] = [];
  const ratios: Record<string, number> = {};
  if (!existsSync(path.join(ROOT, 'dist/cli/main.js'))) {
    measurements.push({ name: 'cli start-up', unit: 'count', value: 0, note: 'dist/ not built (npm run build): suite skipped' });
    return { suite: 'cli', measurements, targets, ratios };
  }
  const rounds = opts.quick ? 8 : 25;
  const samples: Record<string, number[]> = { node: [], help: [], schemaCheck: [] };
  for (const args of Object.values(COMMANDS)) timeOnce(args); // warm the file cache
  for (let i = 0; i < rounds; i++) for (const [name, args] of Object.entries(COMMANDS)) samples[name]!.push(timeOnce(args));
  const node = summarize(samples.node!);
  const help = summarize(samples.help!);
  const check = summarize(samples.schemaCheck!);
  measurements.push(
    { name: 'node -e 0', unit: 'us', summary: node },
    { name: 'ananke --help', unit: 'us', summary: help },
    { name: 'ananke schema check (small schema, one instance)', unit: 'us', summary: check },
  );
  ratios.cli_help = help.p50 / node.p50;
  ratios.cli_schema_check = check.p50 / node.p50;
  targets.push({
    component: 'CLI', metric: '`ananke --help` start-up, p50 / bare Node p50', target: `≤ ${HELP_TARGET_RATIO}×`,
    measured: ratios.cli_help, unit: '×', met: ratios.cli_help <= HELP_TARGET_RATIO,
    note: `${(help.p50 / 1000).toFixed(0)} ms vs ${(node.p50 / 1000).toFixed(0)} ms; schema check ${(check.p50 / 1000).toFixed(0)} ms (${ratios.cli_schema_check.toFixed(1)}×)`,
  });
  return { suite: 'cli', measurements, targets, ratios };
}

export const suite: BenchSuite = { name: 'cli', run };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await run({ quick: process.argv.includes('--quick'), calibrationUs: 1 });
  console.log(JSON.stringify(r, null, 2));
}
