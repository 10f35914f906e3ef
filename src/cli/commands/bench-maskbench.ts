import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AnankeError, EXIT } from '../../core/index.ts';
import { anankeSchemaEngine, listMaskbenchFiles, resolveXGrammar, runMaskbench, DEFAULT_BUDGET_MS, DEFAULT_PEER_BATCH, type MaskbenchReport, type MaskbenchSummary } from '../../eval/index.ts';
import type { Summary } from '../../core/index.ts';

interface MaskbenchCliOptions {
  limit?: string;
  spread?: string;
  filter?: string;
  reuse?: boolean;
  json?: boolean;
  out?: string;
  peer?: boolean;
  peerBatch?: string;
  budgetMs?: string;
  progress?: boolean;
  postChecks?: boolean;
  warmUp?: boolean;
  prewalk?: boolean;
}

/**
 * `ananke bench maskbench <folder>`: MaskBench (docs/engine-maskbench.md) over a folder of MaskBench files;
 * prints the summary table (or the summary JSON with --json) and writes per-schema results with --out.
 */
export function registerMaskbench(bench: Command): void {
  bench
    .command('maskbench')
    .description('Run MaskBench over a folder of MaskBench files: pass/fail counts, time between masks (TBM), time to first mask (TTFM).')
    .argument('<folder>', 'folder of MaskBench .json files (e.g. data/maskbench-dev)')
    .option('--limit <n>', 'only the first N files, in sorted name order')
    .option('--spread <n>', 'N files evenly spread over the sorted list (every k-th: each category keeps its share)')
    .option('--filter <substring>', 'only files whose name contains this')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--out <file>', 'write the summary and every per-schema result to this JSON file')
    .option('--peer', 'also run XGrammar (web-xgrammar) over the same schemas and report speed ratios')
    .option('--peer-batch <n>', `with --peer, schemas each engine runs before the other runs them (default: ${DEFAULT_PEER_BATCH}; the run's count or more: ours all first, then XGrammar's)`)
    .option('--budget-ms <ms>', `per-schema wall budget in milliseconds (default: ${DEFAULT_BUDGET_MS})`)
    .option('--no-reuse', 'no second pass over the instances with the compiled grammar reused')
    .option('--no-post-checks', 'refuse keywords no grammar rule holds exactly (compile errors) instead of a superset grammar plus a post-check of the finished document')
    .option('--no-prewalk', 'no compile-time prewalk: a likely document of each schema is not walked through its grammar before the first mask (TTFM lower, the first masks of each output slower)')
    .option('--no-warm-up', 'skip the untimed warm-up on synthetic tool-calling schemas that runs before the first schema (as a server does at startup); the first schemas then pay V8 warm-up')
    .option('--no-progress', 'no progress lines on stderr')
    .addHelpText('after', `
Examples:
  $ ananke bench maskbench maskbench-dev --limit 100 --peer        first 100 schemas, XGrammar beside ours
  $ ananke bench maskbench maskbench-dev --spread 300 --peer       300 schemas from every category
  $ ananke bench maskbench maskbench-dev --json --out results.json

Exit status: 0 done, 2 usage, 3 folder not found or empty.`)
    .action(async (folder: string, opts: MaskbenchCliOptions) => {
      process.exitCode = await runMaskbenchCommand(folder, opts);
    });
}

function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new AnankeError('USAGE', `${flag} must be a positive integer, not '${v}'`);
  return n;
}

async function runMaskbenchCommand(folder: string, opts: MaskbenchCliOptions): Promise<number> {
  const limit = positiveInt('--limit', opts.limit);
  const spread = positiveInt('--spread', opts.spread);
  const budgetMs = positiveInt('--budget-ms', opts.budgetMs);
  const peerBatch = positiveInt('--peer-batch', opts.peerBatch);
  if (peerBatch !== undefined && !opts.peer) throw new AnankeError('USAGE', '--peer-batch needs --peer');
  if (!existsSync(folder)) throw new AnankeError('NOT_FOUND', `folder not found: ${folder}`);
  if (!statSync(folder).isDirectory()) throw new AnankeError('USAGE', `${folder} is not a folder (give a folder of MaskBench .json files)`);
  if (opts.peer) resolveXGrammar(); // before any work: a clear error when the optional peer is absent
  const files = listMaskbenchFiles(folder, { filter: opts.filter, limit, spread });
  if (files.length === 0) {
    throw new AnankeError('NOT_FOUND', `no MaskBench .json files in ${folder}${opts.filter ? ` whose name contains '${opts.filter}'` : ''}`);
  }
  const report = await runMaskbench(folder, {
    files,
    budgetMs,
    peer: opts.peer === true,
    peerBatch,
    reuse: opts.reuse !== false,
    warmUp: opts.warmUp !== false,
    engine: anankeSchemaEngine({ postChecks: opts.postChecks !== false, prewalk: opts.prewalk !== false }),
    progress: opts.progress === false ? undefined : (line) => process.stderr.write(line + '\n'),
  });
  if (opts.out !== undefined) {
    try {
      mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
      writeFileSync(opts.out, JSON.stringify(report, null, 2) + '\n');
    } catch (e) {
      throw new AnankeError('IO', `cannot write ${opts.out}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  process.stdout.write(opts.json ? JSON.stringify(report.summary, null, 2) + '\n' : formatReport(report, opts.out));
  return EXIT.OK;
}

/**
 * Per category: ours (TBM p50 / p99, TTFM p50, one request p50 = TTFM + the first instance's masks,
 * reused-grammar TBM p50) and, with the peer, both engines on the schemas both ran to the end.
 */
function categoryTable(s: MaskbenchSummary): string[] {
  const peer = s.categories.some((c) => c.both !== undefined);
  const ms = (x: number) => (Number.isFinite(x) ? `${(x / 1000).toFixed(x >= 10_000 ? 0 : 1)} ms` : '-');
  const head = peer
    ? ['| category | schemas | passing | TBM p50 µs ours / xgrammar | TBM p99 µs ours / xgrammar | TTFM p50 ours / xgrammar | request p50 ours / xgrammar | reused TBM p50 µs |', '|---|--:|--:|--:|--:|--:|--:|--:|']
    : ['| category | schemas | passing | tokens | TBM p50 µs | TBM avg µs | TBM p99 µs | TTFM p50 | TTFM p99 | request p50 | reused TBM p50 µs |', '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|'];
  const rows = s.categories.map((c) => {
    const o = c.ours;
    if (peer) {
      const b = c.both!;
      return `| ${c.category} | ${c.schemas} (${b.ours.schemas} both) | ${c.passing} | ${fmtUs(b.ours.tbm.p50)} / ${fmtUs(b.peer.tbm.p50)} | ${fmtUs(b.ours.tbm.p99)} / ${fmtUs(b.peer.tbm.p99)} | ${ms(b.ours.ttfm.p50)} / ${ms(b.peer.ttfm.p50)} | ${ms(b.ours.request.p50)} / ${ms(b.peer.request.p50)} | ${fmtUs(c.reused.p50)} |`;
    }
    return `| ${c.category} | ${c.schemas} | ${c.passing} | ${o.tokens} | ${fmtUs(o.tbm.p50)} | ${fmtUs(o.tbm.avg)} | ${fmtUs(o.tbm.p99)} | ${ms(o.ttfm.p50)} | ${ms(o.ttfm.p99)} | ${ms(o.request.p50)} | ${fmtUs(c.reused.p50)} |`;
  });
  return [peer ? 'per category (ours / xgrammar on the schemas both ran to the end):' : 'per category:', '', ...head, ...rows];
}

function fmtUs(x: number): string {
  if (!Number.isFinite(x)) return '-';
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 1 : 2);
}

function timingRow(name: string, s: Summary): string {
  return `| ${name} | ${[s.avg, s.p25, s.p50, s.p75, s.p90, s.p95, s.p99, s.p999, s.max].map(fmtUs).join(' | ')} |`;
}

function countsRows(s: Pick<MaskbenchSummary, 'schemas' | 'passing' | 'compileError' | 'validationError' | 'validationErrorOrderOnly' | 'invalidationError' | 'crash' | 'timeout'>): string[] {
  const pct = (n: number) => (s.schemas ? `${((100 * n) / s.schemas).toFixed(1)}%` : '-');
  return (
    [
      ['passing', s.passing],
      ['compile error', s.compileError],
      ['validation error', s.validationError],
      // Counted in the row above: valid instances refused only for their key order (maskbench-order.ts).
      ['… of which property order only', s.validationErrorOrderOnly],
      ['invalidation error', s.invalidationError],
      ['crash', s.crash],
      ['timeout', s.timeout],
    ] as const
  ).map(([k, n]) => `| ${k} | ${n} | ${pct(n)} |`);
}

/** The human summary: counts, TBM/TTFM percentiles, peer comparison, what to fix first. */
export function formatReport(report: MaskbenchReport, outFile?: string): string {
  const s = report.summary;
  const lines: string[] = [];
  lines.push(
    `MaskBench: ${s.schemas} schemas from ${s.folder} (engine ${s.engine}, tokenizer ${s.tokenizer}, budget ${s.budgetMs} ms per schema, V8 helper pool ${s.v8PoolSize}, ${(s.wallMs / 1000).toFixed(1)} s)`,
    '',
    '| status | schemas | share |',
    '|---|--:|--:|',
    ...countsRows(s),
    '',
    `post-checks: ${s.postChecked} schemas hold some keyword as a superset and check the finished document; it refused ${s.postCheckRejections} instances the grammar accepted`,
    `tokens: ${s.tokens}`,
    `warm-up before timing: ${s.warmUp.schemas} synthetic schema(s), ${s.warmUp.masks} masks, ${(s.warmUp.ms / 1000).toFixed(1)} s (untimed${s.peer ? '; XGrammar ran the first 8' : ''})`,
    '',
    '| µs | avg | p25 | p50 | p75 | p90 | p95 | p99 | p99.9 | max |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    timingRow('TBM', s.tbm),
    timingRow('TTFM', s.ttfm),
  );
  if (s.peer) {
    lines.push(timingRow('xgrammar TBM', s.peer.tbm), timingRow('xgrammar TTFM', s.peer.ttfm));
    lines.push(
      '',
      `xgrammar: ${s.peer.passing} passing, ${s.peer.compileError} compile errors, ${s.peer.validationError} validation errors, ` +
        `${s.peer.invalidationError} invalidation errors, ${s.peer.crash} crashes, ${s.peer.timeout} timeouts; ${s.peer.tokens} tokens`,
    );
  }
  if (s.comparison) {
    const c = s.comparison;
    lines.push(
      `on the ${c.schemas} schemas both engines accept, ours / xgrammar: TBM avg ${c.ratio.tbmAvg}, p50 ${c.ratio.tbmP50}, p99 ${c.ratio.tbmP99}; ` +
        `TTFM p50 ${c.ratio.ttfmP50}, p99 ${c.ratio.ttfmP99} (in batches of ${c.batch} schemas${c.rewarm ? `, each engine re-warmed on ${c.rewarm} warm-up schemas before each batch` : ''})`,
      `(${c.note})`,
    );
  }
  if (s.reused) {
    lines.push('', `second pass with each compiled grammar reused: TBM p50 ${fmtUs(s.reused.p50)} µs, p99 ${fmtUs(s.reused.p99)} µs, max ${fmtUs(s.reused.max)} µs (${s.reused.n} masks)`);
  }
  if (s.slowestMask) {
    const m = s.slowestMask;
    lines.push(
      `largest single mask: ${fmtUs(m.us)} µs in ${m.file}, instance ${m.test}, token ${m.token} after …${m.before}: ` +
        `${m.fullMaskHit ? 'a full-mask cache hit' : `${m.plansBuilt} lexer-state plan(s) built, ${m.newLexerStates} new lexer states`}` +
        (m.gcMs ? `; ${fmtUs(m.gcMs * 1000)} µs of it a garbage-collection pause` : ''),
    );
  }
  const sm = s.slowMasks;
  const largest = sm.largestWithoutGc;
  lines.push(
    `masks over ${sm.thresholdUs / 1000} ms: ${sm.count}, of which ${sm.withGcPause} had a garbage-collection pause inside, ${sm.withMajorGc} of them a major collection's (${sm.gcPauses} pauses in the run); ` +
      (largest ? `largest with none inside: ${fmtUs(largest.us)} µs in ${largest.file}, instance ${largest.test}, token ${largest.token}` : 'every mask of 1 ms or more had one'),
    `collector pauses inside masks: ${sm.pausedMasks.count} masks (${sm.pausedMasks.major} with a major collection), ${sm.pausedMasks.pauseMs} ms of pause in all`,
  );
  lines.push('', ...categoryTable(s));
  if (s.compileErrorReasons.length > 0) {
    lines.push('', 'most common compile errors:');
    for (const r of s.compileErrorReasons.slice(0, 10)) lines.push(`  ${String(r.count).padStart(5)}  ${r.reason}`);
  }
  if (s.slowest.ttfm.length > 0) {
    lines.push('', `slowest TTFM: ${s.slowest.ttfm.slice(0, 5).map((x) => `${x.file} (${fmtUs(x.us)} µs)`).join(', ')}`);
  }
  if (s.slowest.tbm.length > 0) {
    lines.push(`slowest mask: ${s.slowest.tbm.slice(0, 5).map((x) => `${x.file} (${fmtUs(x.us)} µs)`).join(', ')}`);
  }
  if (s.skipped.length > 0) {
    lines.push('', `skipped ${s.skipped.length} file(s) that are not MaskBench files: ${s.skipped.slice(0, 3).map((x) => x.error).join('; ')}`);
  }
  if (outFile !== undefined) lines.push('', `per-schema results written to ${outFile}`);
  return lines.join('\n') + '\n';
}
