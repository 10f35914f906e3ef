/**
 * SchemaStore through `schema check`'s defaults (src/eval/schemastore.ts), on a slice of the
 * development set that runs in seconds: schemas that needed each part of issue 14 (any order with
 * many properties, uniqueItems exact and post-checked, if on a const, oneOf by intersection,
 * unevaluatedProperties, lookahead patterns, escaped characters in documents written by Python).
 * Every negative document rejected, every document ajv accepts accepted. The whole slice and the
 * whole SchemaStore run in `ananke bench schemastore` (bench/README.md). And a fixture in
 * SchemaStore's own layout (test/fixtures/schemastore/src) with YAML, YAML (.yml), TOML and JSON
 * documents, positive and negative, read as a raw checkout is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDir, missingData } from '../../src/eval/data.ts';
import { hasYamlDocuments, runSchemastore, schemastoreBaselineOf, schemastoreLayout, schemastoreRegressions } from '../../src/eval/schemastore.ts';
import { ajvReference, yamlParser } from '../../src/eval/schemastore-ajv.ts';
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

/** A few documents in SchemaStore's own layout (src/schemas/json, src/test, src/negative_test): JSON, YAML and TOML. */
const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/schemastore/src');

test("SchemaStore's layout: YAML (.yaml, .yml) and TOML documents are read, positive and negative", async () => {
  assert.equal(schemastoreLayout(FIXTURE), 'schemastore');
  assert.equal(hasYamlDocuments(FIXTURE), true);
  assert.equal(hasYamlDocuments(FIXTURE, { filter: 'nothing-like-it' }), false);
  const reference = await ajvReference(schemaCatalog([path.join(FIXTURE, 'schemas/json')]).files);
  const report = runSchemastore(FIXTURE, reference, { parseYaml: await yamlParser() });
  // skipped-one is in schema-validation.jsonc's skiptest; no-schema has tests but no schema.
  assert.deepEqual(report.cases.filter((k) => !k.id.includes('/')).map((k) => k.id), ['tool-config']);
  assert.deepEqual(report.skipped, []);
  const outcome = Object.fromEntries(report.cases.filter((k) => k.id.includes('/')).map((k) => [path.basename(k.file), k.outcome]));
  assert.deepEqual(outcome, {
    'mixed-mode.toml': 'pass', 'repeated-tag.yml': 'pass', 'unknown-key.json': 'pass', 'version-zero.yaml': 'pass',
    'basic.yaml': 'pass', 'plain.json': 'pass', 'release.toml': 'pass', 'short.yml': 'pass',
  });
  const c = report.counts;
  assert.deepEqual([c.negativesChecked, c.falsePositive, c.positivesChecked, c.falseNegative], [4, 0, 4, 0]);
  // The YAML and TOML positives are valid for ajv (they are counted), and the YAML one has its
  // keys, and those of an enum object, in another order than the schema's.
  assert.match(readFileSync(path.join(FIXTURE, 'test/tool-config/basic.yaml'), 'utf8'), /mode:\n  label: high\n  level: 2/);
  // Without a YAML reader, YAML documents are reported as skipped, never counted.
  const without = runSchemastore(FIXTURE, reference, {});
  assert.deepEqual(without.skipped.map((s) => path.extname(s.file)).sort(), ['.yaml', '.yaml', '.yml', '.yml']);
  assert.deepEqual([without.counts.negatives, without.counts.positives], [2, 2]);
});
