import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { extractGo } from '../../src/clew/languages/go.ts';
import { fixtureExtractor, findFunction as fn, findType as type, assertRobustOnDamage } from '../helpers/clew-fixtures.ts';
import type { ExtractedFacts } from '../../src/clew/languages/types.ts';

const extract = fixtureExtractor('go', extractGo);

describe('Go extractor on server.go', () => {
  let facts: ExtractedFacts;
  before(async () => { facts = await extract('server.go'); });

  it('reads functions with variadic params, multiple results and docs', () => {
    const f = fn(facts, 'NewServer');
    assert.equal(f.kind, 'function');
    assert.deepEqual(f.params, [
      { name: 'name', type: 'string' },
      { name: 'store', type: 'Store' },
      { name: 'opts', type: 'func(*Server)', variadic: true },
    ]);
    assert.equal(f.returnType, '(*Server, error)');
    assert.equal(f.exported, true);
    assert.equal(f.visibility, 'public');
    assert.equal(f.doc, 'NewServer builds a server.');
    assert.equal(f.line, 64);
    assert.equal(f.column, 1);
  });

  it('uses the receiver type (without pointer or type arguments) as container', () => {
    const r = fn(facts, 'Server.Restock');
    assert.equal(r.kind, 'method');
    assert.deepEqual(r.params.map((p) => `${p.name} ${p.type}`), ['ctx context.Context', 'sku string', 'amount int']);
    assert.equal(r.returnType, '(total int, err error)');
    assert.equal(fn(facts, 'Cache.Get').returnType, '(V, bool)');
    assert.equal(fn(facts, 'Server.String').container, 'Server');
    const notify = fn(facts, 'Server.notify');
    assert.equal(notify.exported, false);
    assert.equal(notify.visibility, 'package');
  });

  it('reads type parameters of generic functions and types', () => {
    assert.deepEqual(fn(facts, 'Map').typeParams, ['T any', 'U any']);
    assert.deepEqual(type(facts, 'Cache').typeParams, ['K comparable', 'V any']);
  });

  it('reads structs: fields with types, embedded fields as bases, methods from receivers', () => {
    const item = type(facts, 'Item');
    assert.equal(item.kind, 'struct');
    assert.deepEqual(item.fields.map((f) => [f.name, f.type]), [
      ['SKU', 'string'], ['Quantity', 'int'], ['priceCts', 'int64'], ['Tags', '[]string'], ['Extra', 'interface{}'],
    ]);
    assert.equal(item.doc, 'Item is one stock-keeping unit.');
    const server = type(facts, 'Server');
    assert.deepEqual(server.bases, ['Cache']);
    assert.deepEqual(server.fields.map((f) => f.name), ['store', 'name', 'Handler']);
    assert.deepEqual(server.methods, [
      'Restock(ctx: context.Context, sku: string, amount: int): (total int, err error)',
      'String(): string',
      'notify(sku: string)',
      'Export(w: nethttp.ResponseWriter, v: any): error',
    ]);
    assert.deepEqual(type(facts, 'Cache').bases, ['sync.Mutex']);
  });

  it('reads interfaces: method signatures (also as functions) and embedded interfaces', () => {
    const store = type(facts, 'Store');
    assert.equal(store.kind, 'interface');
    assert.deepEqual(store.bases, ['fmt.Stringer']);
    assert.deepEqual(store.methods, ['Get(ctx: context.Context, sku: string): (*Item, error)', 'Put(item: Item): error', 'Len(): int']);
    assert.equal(fn(facts, 'Store.Put').kind, 'method');
  });

  it('reads defined types and aliases', () => {
    assert.equal(type(facts, 'HandlerFunc').aliasOf, 'func(w nethttp.ResponseWriter, r *nethttp.Request)');
    assert.equal(type(facts, 'Port').aliasOf, 'int');
  });

  it('reads imports with aliases, dot and blank imports', () => {
    assert.deepEqual(facts.imports.map((i) => [i.module, i.alias ?? '', i.wildcard]), [
      ['context', '', false], ['encoding/json', '', false], ['errors', '', false], ['fmt', '', false],
      ['net/http', 'nethttp', false], ['strings', '', true], ['embed', '_', false], ['sync', '', false],
    ]);
  });

  it('exports capitalized top-level names only', () => {
    const names = facts.exports.map((e) => e.name);
    assert.deepEqual(names, ['MaxItems', 'DefaultTimeout', 'ErrMissing', 'Item', 'Store', 'Cache', 'Server', 'HandlerFunc', 'Port', 'NewServer', 'Map']);
  });

  it('finds panic("not implemented") and panic("TODO…") but not other panics', () => {
    assert.deepEqual(facts.holes.map((h) => [h.kind, h.text, h.enclosing?.signature]), [
      ['not_implemented', 'panic("not implemented")', 'Server.notify(sku: string)'],
      ['todo', 'panic("TODO: stream the export")', 'Server.Export(w: nethttp.ResponseWriter, v: any): error'],
    ]);
  });

  it('builds scopes: receiver, params, named results, var and := locals, module names', () => {
    const s = facts.scopes.find((x) => x.function === 'Server.Restock');
    assert.ok(s);
    const get = (n: string) => s.bindings.find((b) => b.name === n);
    assert.deepEqual(get('s'), { name: 's', type: '*Server', kind: 'parameter' });
    assert.deepEqual(get('sku'), { name: 'sku', type: 'string', kind: 'parameter' });
    assert.deepEqual(get('total'), { name: 'total', type: 'int', kind: 'local' });
    assert.deepEqual(get('before'), { name: 'before', type: 'int', kind: 'local' });
    assert.deepEqual(get('item'), { name: 'item', kind: 'local' });
    assert.deepEqual(get('MaxItems'), { name: 'MaxItems', kind: 'module' });
    assert.deepEqual(get('registry'), { name: 'registry', type: 'map[string]*Server', kind: 'module' });
    assert.deepEqual(get('nethttp'), { name: 'nethttp', kind: 'import' });
    const ns = facts.scopes.find((x) => x.function === 'NewServer');
    assert.deepEqual(ns?.bindings.find((b) => b.name === 'opts'), { name: 'opts', type: '[]func(*Server)', kind: 'parameter' });
    assert.ok(ns?.bindings.some((b) => b.name === 'opt' && b.kind === 'local'));
  });

  it('records identifiers by kind', () => {
    const has = (name: string, kind: string) => facts.identifiers.some((i) => i.name === name && i.kind === kind);
    assert.ok(has('MaxItems', 'constant'));
    assert.ok(has('defaultPort', 'constant'));
    assert.ok(has('registry', 'variable'));
    assert.ok(has('priceCts', 'field'));
    assert.ok(has('amount', 'parameter'));
    assert.ok(has('before', 'variable'));
  });

  it('counts error returns, err checks, goroutines and empty-interface/any types', () => {
    const s = facts.signals;
    assert.equal(s['error.err_return'], 6);
    assert.equal(s['error.err_check'], 2);
    assert.equal(s['async.goroutine'], 1);
    assert.equal(s['types.any'], 3);
  });
});

describe('Go extractor on a file with syntax errors', () => {
  it('recovers the declarations around the errors without throwing', async () => {
    const facts = await extract('broken.go');
    assert.deepEqual(type(facts, 'Point').fields.map((f) => f.name), ['X', 'Y']);
    const good = fn(facts, 'Good');
    assert.deepEqual(good.params, [{ name: 'p', type: 'Point' }]);
    assert.equal(good.returnType, 'string');
    assert.equal(facts.holes.length, 1);
    assert.equal(facts.holes[0]!.enclosing?.signature, 'Good(p: Point): string');
    assert.ok(facts.scopes.find((s) => s.function === 'Good')?.bindings.some((b) => b.name === 'label' && b.type === 'string'));
  });
});

describe('go extractor on damaged input', () => {
  it('never throws on truncated or gapped versions of server.go', async () => {
    await assertRobustOnDamage('go', extractGo, 'server.go');
  });
});
