/**
 * SchemaStore through `schema check`'s defaults (src/eval/schemastore.ts), on a slice of the
 * development set that runs in seconds: schemas that needed each part of issue 14 (any order with
 * many properties, uniqueItems exact and post-checked, if on a const, oneOf by intersection,
 * unevaluatedProperties, lookahead patterns, escaped characters in documents written by Python).
 * Every negative document rejected, every document ajv accepts accepted. The whole slice and the
 * whole SchemaStore run in `ananke bench schemastore` (bench/README.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { dataDir, missingData } from '../../src/eval/data.ts';
import { runSchemastore, schemastoreBaselineOf, schemastoreRegressions } from '../../src/eval/schemastore.ts';
import { ajvReference } from '../../src/eval/schemastore-ajv.ts';
import { schemaCatalog } from '../../src/engine/schema/catalog.ts';

const SLICE = path.join(dataDir(), 'schemastore-dev');
const missing = missingData(SLICE);
const NAMES = [
  'all-contributors', // 17 properties, 2 required, written in another order
  'abc-inventory-module-data-2.0.0', // required after optional ones
  'liquibase',
  's3-bucket-cors', // uniqueItems over an enum: exact
  'lefthook', // uniqueItems over strings: post-check
  'dependabot-2.0', // if on a boolean const
  'yamlfmt', // oneOf proved disjoint
  'enonic-xp-style-8.0.0-B5', // unevaluatedProperties beside allOf
  'browser.i18n', // patternProperties with a lookahead
  'github-issue-forms', // documents with \\uXXXX escapes
];

test('schemastore-dev slice: compiles, no false positive, no false negative', { skip: missing }, async () => {
  const reference = await ajvReference(schemaCatalog([SLICE]).files);
  const report = runSchemastore(SLICE, reference, { names: NAMES });
  const c = report.counts;
  assert.equal(c.schemas, NAMES.length);
  const refused = report.cases.filter((k) => ['refused', 'limit', 'crash'].includes(k.outcome)).map((k) => `${k.schema}: ${k.detail}`);
  assert.deepEqual(refused, []);
  assert.ok(c.postCheck >= 1 && c.exact >= 8, JSON.stringify(c));
  assert.equal(c.falsePositive, 0, report.cases.filter((k) => k.outcome === 'false-positive').map((k) => k.file).join(', '));
  assert.equal(c.falseNegative, 0, report.cases.filter((k) => k.outcome === 'false-negative').map((k) => `${k.file}: ${k.detail}`).join('\n'));
  assert.ok(c.negativesChecked > 60 && c.positivesChecked > 70, JSON.stringify(c));
  // The ratchet: the same run is never worse than itself; a case that got worse is reported.
  const baseline = schemastoreBaselineOf(report);
  assert.deepEqual(schemastoreRegressions(report, baseline), []);
  const firstPass = report.cases.find((k) => k.outcome === 'pass')!;
  const worse = { ...report, cases: report.cases.map((k) => (k === firstPass ? { ...k, outcome: 'false-negative' as const } : k)) };
  assert.deepEqual(schemastoreRegressions(worse, baseline).map((w) => w.id), [firstPass.id]);
});
