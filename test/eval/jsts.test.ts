import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { regressions, runJsts, type JstsBaseline } from '../../src/eval/jsts.ts';
import { ROOT } from '../helpers/cli.ts';
import { JSTS_DRAFT2020, needsData } from '../helpers/shared-data.ts';

const SUITE = JSTS_DRAFT2020;
const BASELINE = path.join(ROOT, 'bench/jsts-baseline.json');
// A slice of the suite (the whole suite is `ananke bench jsts`, a benchmark, not a test).
const SLICE = ['type.json', 'properties.json', 'ref.json', 'enum.json', 'anyOf.json', 'oneOf.json', 'minimum.json', 'pattern.json', 'optional/format/date.json', 'optional/format/ipv6.json'];

test('JSON-Schema-Test-Suite slice: zero false positives and nothing worse than the baseline', needsData(SUITE), () => {
  const report = runJsts(SUITE, { files: SLICE });
  const fps = report.cases.filter((c) => c.outcome === 'false-positive');
  assert.deepEqual(fps.map((c) => `${c.id} ${c.description}`), []);
  assert.ok(report.required.pass > 0 && report.optional.pass > 0);
  const baseline = JSON.parse(readFileSync(BASELINE, 'utf8')) as JstsBaseline;
  assert.deepEqual(regressions(report, baseline), []);
  // Every case of the slice is in the baseline (the baseline covers the whole suite).
  for (const c of report.cases) assert.ok(c.id in baseline, c.id);
});

test('flexible and compact serializations agree on the slice', needsData(SUITE), () => {
  const flex = runJsts(SUITE, { files: ['type.json', 'properties.json'] });
  const compact = runJsts(SUITE, { files: ['type.json', 'properties.json'], schema: { whitespace: 'compact' } });
  assert.deepEqual(compact.cases.map((c) => c.outcome), flex.cases.map((c) => c.outcome));
});

test('with post-checks the suite\'s oneOf, not, uniqueItems and if cases compile more and accept no invalid instance', needsData(SUITE), () => {
  const files = ['oneOf.json', 'not.json', 'uniqueItems.json', 'if-then-else.json', 'multipleOf.json'];
  const strict = runJsts(SUITE, { files });
  const post = runJsts(SUITE, { files, schema: { postChecks: true } });
  assert.deepEqual(post.cases.filter((c) => c.outcome === 'false-positive').map((c) => `${c.id} ${c.description}`), []);
  assert.ok(post.required.compileError < strict.required.compileError, `${post.required.compileError} < ${strict.required.compileError}`);
  assert.ok(post.required.pass > strict.required.pass);
  // Nothing that passed without post-checks is lost with them.
  const before = new Map(strict.cases.map((c) => [c.id, c.outcome]));
  for (const c of post.cases) if (before.get(c.id) === 'pass') assert.equal(c.outcome, 'pass', `${c.id} ${c.description}`);
});
