/**
 * The engine warm-up (src/engine/warm-up): its synthetic tool schemas are valid JSON Schema with a
 * document each schema allows, the same for the same seed; a warm-up walks them all with nothing
 * refused; and grammars compiled after it give the masks they give with every cache off (the
 * warm-up only leaves optimized code and shared walks behind, never answers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, compileJsonSchema, byteTokenizer, toolSchemaCases, warmUp, type Grammar } from '../../src/engine/index.ts';
import { llama3, sameMasks } from './matcher-helpers.ts';

test('toolSchemaCases: deterministic per seed, and every document is accepted by its schema', () => {
  const a = toolSchemaCases(60, 7);
  assert.deepEqual(toolSchemaCases(60, 7), a);
  assert.notDeepEqual(toolSchemaCases(60, 8), a);
  const tok = byteTokenizer();
  const kinds = new Set<string>();
  for (const c of a) {
    const cg = compile(compileJsonSchema(c.schema) as Grammar, tok);
    assert.ok(cg.check(c.document).accepted, `${JSON.stringify(c.schema)} refuses ${c.document}`);
    // MaskBench's serialization: a space after every comma and colon between items.
    assert.doesNotMatch(c.document, /,"|":[^ ]/);
    assert.deepEqual(JSON.parse(c.document), JSON.parse(c.document.replace(/, /g, ',')));
    for (const m of JSON.stringify(c.schema).matchAll(/"type":"(\w+)"|"(enum|format|maxLength|const)"/g)) kinds.add(m[1] ?? m[2]!);
  }
  // The workload covers the shapes tool schemas have.
  for (const k of ['object', 'string', 'integer', 'number', 'boolean', 'array', 'enum', 'format', 'maxLength', 'const']) assert.ok(kinds.has(k), `no ${k}`);
});

test('warmUp: walks every document with nothing refused, and later grammars mask as with every cache off', () => {
  const tok = llama3();
  const r = warmUp(tok, { schemas: 12, seed: 3 });
  assert.equal(r.schemas, 12);
  assert.equal(r.refused, 0);
  assert.ok(r.masks > 12 * 5, `${r.masks} masks`);
  assert.ok(r.ms > 0);
  // Schemas of another seed share the warm-up's lexer states (strings, numbers, punctuation).
  for (const c of toolSchemaCases(6, 4)) {
    const g = compileJsonSchema(c.schema) as Grammar;
    const cg = compile(g, tok);
    const ref = compile(g, tok, { planCacheBytes: 0, fullMaskCacheBytes: 0, internedStateBytes: 0 });
    sameMasks(cg, ref, tok.encode(c.document), c.document);
  }
});

test('warmUp with 0 schemas prepares the vocabulary only', () => {
  const r = warmUp(byteTokenizer(), { schemas: 0 });
  assert.deepEqual({ schemas: r.schemas, masks: r.masks, refused: r.refused }, { schemas: 0, masks: 0, refused: 0 });
});

test('warmUp never throws: under limits too tight for any mask, every document counts as refused', () => {
  const r = warmUp(llama3(), { schemas: 3, limits: { maxLexerStepsPerMask: 1, sharedPlanBytes: 0 } });
  assert.equal(r.schemas, 3);
  assert.equal(r.refused, 3);
});
