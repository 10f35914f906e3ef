import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { MASKBENCH_DEV, needsData } from '../helpers/shared-data.ts';

const FIXTURES = 'test/fixtures/maskbench';
/** One schema with post-checks, one with valid instances in another key order. */
const CHECKS = 'test/fixtures/maskbench-checks';
const DEV = MASKBENCH_DEV;
const tmp = mkdtempSync(path.join(tmpdir(), 'ananke-maskbench-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const TIMING_KEYS = ['n', 'avg', 'p25', 'p50', 'p75', 'p90', 'p95', 'p99', 'p999', 'max'];

interface Summary {
  schemas: number;
  passing: number;
  compileError: number;
  validationError: number;
  validationErrorOrderOnly: number;
  postChecked: number;
  postCheckRejections: number;
  invalidationError: number;
  crash: number;
  timeout: number;
  tokens: number;
  tbm: Record<string, number>;
  ttfm: Record<string, number>;
  skipped: { file: string; error: string }[];
  warmUp: { schemas: number; masks: number; refused: number; ms: number };
  slowMasks: { thresholdUs: number; count: number; withGcPause: number; withMajorGc: number; gcPauses: number; pausedMasks: { count: number; major: number; pauseMs: number }; largestWithoutGc?: { us: number } };
  peer?: { schemas: number; tokens: number; tbm: Record<string, number> };
  comparison?: { schemas: number; ratio: { tbmP50: number }; batch: number; note: string };
}

test('bench maskbench --json on a fixture folder prints the summary JSON; --out writes every per-schema result', () => {
  const out = path.join(tmp, 'r.json');
  const r = runCli(['bench', 'maskbench', FIXTURES, '--json', '--out', out, '--no-progress']);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout) as Summary;
  assert.equal(s.schemas, 3);
  assert.equal(s.passing + s.compileError + s.validationError + s.invalidationError + s.crash + s.timeout, 3);
  assert.equal(s.compileError, 1, 'format "color" has neither a grammar nor a post-check');
  assert.ok(s.tokens > 0);
  assert.deepEqual(Object.keys(s.tbm), TIMING_KEYS);
  assert.deepEqual(Object.keys(s.ttfm), TIMING_KEYS);
  assert.deepEqual(s.skipped.map((x) => x.file), ['not-a-maskbench-file.json']);
  assert.deepEqual([s.warmUp.schemas, s.warmUp.refused], [80, 0], 'the synthetic warm-up ran, nothing refused');
  assert.ok(s.warmUp.masks > 1000);
  assert.equal(s.slowMasks.thresholdUs, 10_000);
  assert.ok(s.slowMasks.withGcPause <= s.slowMasks.count && s.slowMasks.withMajorGc <= s.slowMasks.withGcPause && s.slowMasks.gcPauses >= 0);
  const pm = s.slowMasks.pausedMasks;
  assert.ok(pm.major <= pm.count && pm.count <= s.slowMasks.gcPauses && pm.pauseMs >= 0 && (pm.count > 0 || pm.pauseMs === 0), JSON.stringify(pm));
  const full = JSON.parse(readFileSync(out, 'utf8')) as { summary: Summary; results: { file: string; status: string; tokens: number; maxTbmUs: number }[] };
  assert.deepEqual(full.results.map((x) => x.file), ['synthetic-enum-object.json', 'synthetic-numbers.json', 'synthetic-unsupported.json']);
  assert.equal(full.results[2]!.status, 'compileError');
  assert.deepEqual(full.summary, s);
  // The synthetic enum schema's invalid instances must all be caught.
  assert.notEqual(full.results[0]!.status, 'invalidationError');
});

test('bench maskbench prints the summary table with counts and TBM/TTFM percentiles', () => {
  const r = runCli(['bench', 'maskbench', FIXTURES, '--filter', 'enum']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^MaskBench: 1 schemas from test\/fixtures\/maskbench/);
  assert.match(r.stdout, /\| passing \| \d \| /);
  assert.match(r.stdout, /\| invalidation error \| 0 \| 0\.0% \|/);
  assert.match(r.stdout, /\| … of which property order only \| 0 \| 0\.0% \|/);
  assert.match(r.stdout, /^post-checks: 0 schemas hold some keyword as a superset/m);
  assert.match(r.stdout, /^warm-up before timing: 80 synthetic schema\(s\), \d+ masks, [\d.]+ s \(untimed\)$/m);
  assert.match(r.stdout, /\| TBM \| [\d.,]+ \|/);
  assert.match(r.stdout, /\| TTFM \| [\d.,]+ \|/);
  assert.match(r.stdout, /second pass with each compiled grammar reused: TBM p50 [\d.]+ µs/);
  assert.match(r.stdout, /largest single mask: [\d.,]+ µs in synthetic-enum-object\.json, instance \d+, token \d+/);
  assert.match(r.stdout, /^masks over 10 ms: \d+, of which \d+ had a garbage-collection pause inside, \d+ of them a major collection's \(\d+ pauses in the run\); (largest with none inside: [\d.,]+ µs in \S+, instance \d+, token \d+|every mask of 1 ms or more had one)$/m);
  assert.match(r.stdout, /^collector pauses inside masks: \d+ masks \(\d+ with a major collection\), [\d.]+ ms of pause in all$/m);
  assert.match(r.stdout, /\| synthetic-enum-object \| 1 \| \d \| \d+ \|/);
  assert.match(r.stderr, /maskbench: 1\/1 files/);
});

test('bench maskbench counts post-checked schemas and order-only validation errors (table row and --json)', () => {
  const json = runCli(['bench', 'maskbench', CHECKS, '--json', '--no-progress', '--no-warm-up']);
  assert.equal(json.status, 0, json.stderr);
  const s = JSON.parse(json.stdout) as Summary;
  assert.deepEqual([s.schemas, s.passing, s.validationError, s.validationErrorOrderOnly, s.invalidationError], [2, 1, 1, 1, 0]);
  assert.deepEqual([s.postChecked, s.postCheckRejections], [1, 3]);
  const text = runCli(['bench', 'maskbench', CHECKS, '--no-progress', '--no-warm-up']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /\| validation error \| 1 \| 50\.0% \|\n\| … of which property order only \| 1 \| 50\.0% \|/);
  assert.match(text.stdout, /^warm-up before timing: 1 synthetic schema\(s\), \d+ masks/m);
  assert.match(text.stdout, /^post-checks: 1 schemas hold some keyword as a superset and check the finished document; it refused 3 instances the grammar accepted$/m);
  // --no-post-checks: the strict compiler, which refuses those keywords with its reasons.
  const strict = runCli(['bench', 'maskbench', CHECKS, '--json', '--no-progress', '--no-post-checks', '--no-warm-up']);
  assert.equal(strict.status, 0, strict.stderr);
  const t = JSON.parse(strict.stdout) as Summary & { engine: string; compileErrorReasons: { reason: string }[] };
  assert.deepEqual([t.compileError, t.postChecked, t.postCheckRejections, t.invalidationError], [1, 0, 0, 0]);
  assert.equal(t.engine, 'ananke (no post-checks)');
  assert.match(t.compileErrorReasons[0]!.reason, /^SCHEMA: '(oneOf|not|uniqueItems)' at <path>: /);
});

test('bench maskbench --limit on maskbench-dev with --peer also reports XGrammar and the speed ratio', needsData(DEV), () => {
  const r = runCli(['bench', 'maskbench', DEV, '--limit', '1', '--peer', '--peer-batch', '4', '--json', '--no-progress']);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout) as Summary;
  assert.equal(s.schemas, 1);
  assert.equal(s.comparison!.batch, 4);
  assert.equal(s.peer!.schemas, 1);
  assert.ok(s.peer!.tokens > 0);
  assert.deepEqual(Object.keys(s.peer!.tbm), TIMING_KEYS);
  assert.match(s.comparison!.note, /defaults differ/);
  assert.equal(s.warmUp.schemas, 80);
});

test('bench maskbench: a missing folder, an empty selection and a bad --limit are clear errors', () => {
  const missing = runCli(['bench', 'maskbench', 'no/such/folder']);
  assert.equal(missing.status, 3);
  assert.match(missing.stderr, /folder not found: no\/such\/folder/);
  const none = runCli(['bench', 'maskbench', FIXTURES, '--filter', 'zzz-nothing']);
  assert.equal(none.status, 3);
  assert.match(none.stderr, /no MaskBench \.json files in test\/fixtures\/maskbench whose name contains 'zzz-nothing'/);
  const bad = runCli(['bench', 'maskbench', FIXTURES, '--limit', 'ten']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--limit must be a positive integer, not 'ten'/);
  const batch = runCli(['bench', 'maskbench', FIXTURES, '--peer-batch', '8']);
  assert.equal(batch.status, 2);
  assert.match(batch.stderr, /--peer-batch needs --peer/);
  assert.match(runCli(['bench', 'maskbench', FIXTURES, '--peer', '--peer-batch', '0']).stderr, /--peer-batch must be a positive integer, not '0'/);
});
