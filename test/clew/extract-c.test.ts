import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { extractC } from '../../src/clew/languages/c.ts';
import { MAX_SCOPE_BINDINGS } from '../../src/clew/languages/scope-bindings.ts';
import { fixtureExtractor, findType as type, assertRobustOnDamage, extractText } from '../helpers/clew-fixtures.ts';
import type { ExtractedFacts } from '../../src/clew/languages/types.ts';

const extract = fixtureExtractor('c', extractC);

function fn(facts: ExtractedFacts, name: string) {
  const all = facts.functions.filter((x) => x.name === name);
  assert.equal(all.length, 1, `expected one function ${name}, got ${all.length}`);
  return all[0]!;
}

describe('C extractor on buffer.c', () => {
  let facts: ExtractedFacts;
  before(async () => { facts = await extract('buffer.c'); });

  it('reads functions: pointer returns, const pointer params, (void), docs', () => {
    const n = fn(facts, 'buf_new');
    assert.deepEqual(n.params, []);
    assert.equal(n.returnType, 'buffer_t*');
    assert.equal(n.doc, 'Creates a buffer with the initial capacity.');
    assert.equal(n.exported, true);
    assert.equal(n.line, 48);
    assert.equal(n.column, 1);
    assert.deepEqual(fn(facts, 'buf_append').params, [
      { name: 'buf', type: 'buffer_t*' }, { name: 'bytes', type: 'const char*' }, { name: 'n', type: 'size_t' },
    ]);
  });

  it('reads varargs and function-pointer parameters', () => {
    assert.deepEqual(fn(facts, 'buf_printf').params, [
      { name: 'buf', type: 'buffer_t*' }, { name: 'fmt', type: 'const char*' }, { name: '...', variadic: true },
    ]);
    assert.deepEqual(fn(facts, 'buf_sort').params.map((p) => p.type), ['void*', 'size_t', 'compare_fn', 'int (*)(int, int)']);
  });

  it('merges a prototype with its definition; static means not exported', () => {
    const g = fn(facts, 'grow');
    assert.equal(g.visibility, 'private');
    assert.equal(g.exported, false);
    assert.equal(g.line, 58, 'the definition is kept');
    assert.ok(facts.scopes.some((s) => s.function === 'grow'));
    assert.ok(!facts.exports.some((e) => e.name === 'grow'));
    assert.equal(facts.exports.filter((e) => e.name === 'buf_printf').length, 1);
  });

  it('reads structs, typedef names, anonymous typedef structs and nested anonymous structs', () => {
    const b = type(facts, 'buffer');
    assert.equal(b.kind, 'struct');
    assert.equal(b.doc, 'A growable byte buffer.');
    assert.deepEqual(b.fields.map((f) => [f.name, f.type]), [
      ['data', 'char*'], ['len', 'size_t'], ['cap', 'size_t'], ['policy', 'growth_t'], ['meta', 'struct { int flags; }'],
    ]);
    assert.equal(type(facts, 'buffer_t').aliasOf, 'struct buffer');
    assert.deepEqual(type(facts, 'point_t').fields.map((f) => f.name), ['x', 'y']);
    assert.deepEqual(type(facts, 'node').fields.map((f) => [f.name, f.type]), [['value', 'int'], ['next', 'struct node*']]);
    assert.equal(type(facts, 'number').kind, 'union');
  });

  it('reads enums and typedefs of function pointers and scalars', () => {
    const g = type(facts, 'growth');
    assert.equal(g.kind, 'enum');
    assert.deepEqual(g.members, ['GROW_DOUBLE', 'GROW_LINEAR']);
    assert.equal(type(facts, 'growth_t').aliasOf, 'enum growth');
    assert.equal(type(facts, 'compare_fn').aliasOf, 'int (*)(const void* a, const void* b)');
    assert.equal(type(facts, 'ulong_t').aliasOf, 'unsigned long');
  });

  it('reads includes as imports', () => {
    assert.deepEqual(facts.imports.map((i) => i.module), ['stdio.h', 'stdlib.h', 'string.h', 'buffer.h']);
  });

  it('exports non-static functions, types and globals', () => {
    const names = facts.exports.map((e) => `${e.kind}:${e.name}`);
    assert.ok(names.includes('variable:g_buffers_created'));
    assert.ok(!names.includes('variable:kMaxRetries'));
    assert.ok(!names.includes('variable:errno_shadow'), 'extern declarations are not definitions');
    assert.ok(names.includes('function:buf_free'));
    assert.ok(names.includes('type:buffer_t'));
  });

  it('builds scopes: params, locals with pointer and array types, globals, macros, enumerators', () => {
    const s = facts.scopes.find((x) => x.function === 'buf_sort');
    assert.ok(s);
    const get = (n: string) => s.bindings.find((b) => b.name === n);
    assert.deepEqual(get('cmp'), { name: 'cmp', type: 'compare_fn', kind: 'parameter' });
    assert.deepEqual(get('names'), { name: 'names', type: 'const char**', kind: 'local' });
    assert.deepEqual(get('matrix'), { name: 'matrix', type: 'unsigned char[4][4]', kind: 'local' });
    assert.deepEqual(get('g_buffers_created'), { name: 'g_buffers_created', type: 'int', kind: 'module' });
    assert.deepEqual(get('kMaxRetries'), { name: 'kMaxRetries', type: 'const int', kind: 'module' });
    assert.deepEqual(get('BUF_INITIAL_CAP'), { name: 'BUF_INITIAL_CAP', kind: 'module' });
    assert.deepEqual(get('GROW_LINEAR'), { name: 'GROW_LINEAR', type: 'growth', kind: 'module' });
    const p = facts.scopes.find((x) => x.function === 'buf_printf');
    assert.deepEqual(p?.bindings.filter((b) => b.kind === 'local').map((b) => `${b.name}:${b.type}`), ['tmp:char[256]', 'i:int', 'written:int']);
  });

  it('records identifiers: #define and const constants, globals, fields, params, locals', () => {
    const has = (name: string, kind: string) => facts.identifiers.some((i) => i.name === name && i.kind === kind);
    assert.ok(has('BUF_INITIAL_CAP', 'constant'));
    assert.ok(has('kMaxRetries', 'constant'));
    assert.ok(has('GROW_DOUBLE', 'constant'));
    assert.ok(has('g_buffers_created', 'variable'));
    assert.ok(has('cap', 'field'));
    assert.ok(has('need', 'parameter'));
    assert.ok(has('written', 'variable'));
  });

  it('counts annotated params and returns', () => {
    assert.equal(facts.signals['types.param_annotated'], 16);
    assert.equal(facts.signals['types.return_annotated'], 8);
  });
});

describe('C extractor on a file with syntax errors', () => {
  it('recovers the struct and the functions without throwing', async () => {
    const facts = await extract('broken.c');
    assert.deepEqual(type(facts, 'pair').fields.map((f) => f.name), ['a', 'b']);
    assert.deepEqual(fn(facts, 'sum').params, [{ name: 'p', type: 'struct pair' }]);
    assert.deepEqual(facts.scopes.find((s) => s.function === 'sum')?.bindings.find((b) => b.name === 'total'), { name: 'total', type: 'int', kind: 'local' });
  });
});

describe('c extractor on damaged input', () => {
  it('never throws on truncated or gapped versions of buffer.c', async () => {
    await assertRobustOnDamage('c', extractC, 'buffer.c');
  });
});

describe('C extractor on a generated header-like file', () => {
  it('caps each scope at MAX_SCOPE_BINDINGS names, its own first, then the module\'s', async () => {
    const defines = Array.from({ length: 400 }, (_, i) => `#define REG_${i} ${i}`).join('\n');
    const source = `${defines}\nint read_reg(int which) { int value = which; return value; }\n`;
    const facts = await extractText('c', extractC, source);
    assert.equal(facts.identifiers.filter((i) => i.kind === 'constant').length, 400);
    const s = facts.scopes.find((x) => x.function === 'read_reg');
    assert.ok(s);
    assert.deepEqual(s.bindings.slice(0, 2).map((b) => b.name), ['which', 'value']);
    assert.equal(s.bindings.length, MAX_SCOPE_BINDINGS);
    assert.equal(s.bindings.filter((b) => b.kind === 'module').length, MAX_SCOPE_BINDINGS - 2);
  });
});
