/**
 * Remote `$ref`s through a schema registry (JsonSchemaOptions.documents, schemaCatalog): found by
 * `$id` or by file name in a folder, read under their own draft, located in messages by their
 * URI; never fetched; a missing one is an error that says how to provide it.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { byteTokenizer } from '../../src/engine/matcher/byte-tokenizer.ts';
import { compile } from '../../src/engine/matcher/compiled.ts';
import { schemaCatalog } from '../../src/engine/schema/catalog.ts';
import { compileJsonSchema } from '../../src/engine/schema/compile.ts';
import { JsonSchemaError } from '../../src/engine/schema/schema-error.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ananke-registry-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const put = (rel: string, value: unknown): string => {
  const p = path.join(dir, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, JSON.stringify(value));
  return p;
};

// base.json: draft-07 (its $ref beside `minimum` ignores the sibling there), found by $id.
put('shared/base.json', { $schema: 'http://json-schema.org/draft-07/schema#', $id: 'https://schemas.example/base.json', definitions: { port: { type: 'integer', minimum: 1, maximum: 65535 }, loose: { $ref: '#/definitions/port', minimum: 1000 } } });
// tags.json: no $id, found by its file name; it refers on to base.json relatively.
put('shared/nested/tags.json', { type: 'array', items: { type: 'string' }, maxItems: 2 });
put('shared/ports.json', { $id: 'https://schemas.example/ports.json', type: 'array', items: { $ref: 'base.json#/definitions/port' } });

const tok = byteTokenizer();
const catalog = schemaCatalog([path.join(dir, 'shared')]);

test('remote $refs resolve by $id and by file name, relative to the referring document', () => {
  const schema = {
    $id: 'https://schemas.example/server.json',
    type: 'object',
    properties: { port: { $ref: 'base.json#/definitions/port' }, tags: { $ref: 'tags.json' }, more: { $ref: 'ports.json' } },
    required: ['port'],
  };
  const cg = compile(compileJsonSchema(schema, { documents: catalog.documents, propertyOrder: 'any' }), tok);
  assert.equal(cg.matches('{"port": 80, "tags": ["a"], "more": [1, 2]}'), true);
  assert.equal(cg.matches('{"port": 0}'), false);
  assert.equal(cg.matches('{"port": 80, "tags": ["a", "b", "c"]}'), false);
  assert.equal(cg.matches('{"port": 80, "more": [70000]}'), false);
  assert.deepEqual([...catalog.used.keys()].sort(), ['https://schemas.example/base.json', 'https://schemas.example/ports.json', 'https://schemas.example/tags.json']);
});

test('a loaded document keeps its own draft: keywords beside $ref are ignored in a draft-07 one (unless refSiblings: apply)', () => {
  const schema = { $id: 'https://schemas.example/x.json', $ref: 'base.json#/definitions/loose' };
  const draft = compile(compileJsonSchema(schema, { documents: catalog.documents }), tok);
  assert.equal(draft.matches('80'), true, 'draft-07: minimum 1000 beside $ref is ignored');
  const applied = compile(compileJsonSchema(schema, { documents: catalog.documents, refSiblings: 'apply' }), tok);
  assert.equal(applied.matches('80'), false);
  assert.equal(applied.matches('8080'), true);
});

test('a schema without $id resolves relative refs against its retrieval URI (baseUri)', () => {
  const file = put('app/app.json', { properties: { port: { $ref: '../shared/base.json#/definitions/port' } } });
  const g = compileJsonSchema({ properties: { port: { $ref: '../shared/base.json#/definitions/port' } } }, { baseUri: pathToFileURL(file).href, documents: catalog.documents });
  assert.equal(compile(g, tok).matches('{"port": 0}'), false);
});

test('errors: no registry, a URI the registry lacks, a pointer into nothing', () => {
  const schema = { $id: 'https://schemas.example/y.json', $ref: 'base.json#/definitions/port' };
  assert.throws(() => compileJsonSchema(schema), (e: unknown) => e instanceof JsonSchemaError && e.keyword === '$ref' && /remote references need a schema registry/.test(e.message));
  assert.throws(() => compileJsonSchema({ $id: 'https://schemas.example/z.json', $ref: 'missing.json' }, { documents: catalog.documents }), /not in this document nor in the schema registry/);
  assert.throws(() => compileJsonSchema({ $id: 'https://schemas.example/w.json', $ref: 'base.json#/definitions/nope' }, { documents: catalog.documents }), /points to nothing/);
  // Messages name a location inside a loaded document by its URI.
  put('shared/bad.json', { $id: 'https://schemas.example/bad.json', definitions: { x: { type: 'string', format: 'idn-email' } } });
  const c2 = schemaCatalog([path.join(dir, 'shared')]);
  assert.throws(() => compileJsonSchema({ $id: 'https://schemas.example/v.json', $ref: 'bad.json#/definitions/x' }, { documents: c2.documents }), /at https:\/\/schemas\.example\/bad\.json#\/definitions\/x/);
  assert.throws(() => schemaCatalog([path.join(dir, 'nope')]), /schema folder not found/);
});
