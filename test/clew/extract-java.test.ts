import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { extractJava } from '../../src/clew/languages/java.ts';
import { fixtureExtractor, findFunction as fn, findType as type, assertRobustOnDamage } from '../helpers/clew-fixtures.ts';
import type { ExtractedFacts } from '../../src/clew/languages/types.ts';

const extract = fixtureExtractor('java', extractJava);

describe('Java extractor on InventoryService.java', () => {
  let facts: ExtractedFacts;
  before(async () => { facts = await extract('InventoryService.java'); });

  it('reads methods: params, return type, annotations, visibility, javadoc', () => {
    const r = fn(facts, 'InventoryService.restock');
    assert.equal(r.kind, 'method');
    assert.deepEqual(r.params, [{ name: 'sku', type: 'String' }, { name: 'amount', type: 'int' }]);
    assert.equal(r.returnType, 'int');
    assert.deepEqual(r.decorators, ['Override']);
    assert.equal(r.visibility, 'public');
    assert.equal(r.exported, true);
    assert.equal(r.doc, 'Adds stock; returns the new total.');
    assert.equal(r.line, 26);
    assert.equal(r.column, 5);
  });

  it('reads varargs, generic methods, constructors, static and package-private methods', () => {
    const c = fn(facts, 'InventoryService.collect');
    assert.deepEqual(c.params, [{ name: 'f', type: 'Function<T, R>' }, { name: 'skus', type: 'String', variadic: true }]);
    assert.deepEqual(c.typeParams, ['R extends Comparable<R>']);
    assert.equal(c.returnType, 'List<R>');
    const ctor = fn(facts, 'InventoryService.InventoryService');
    assert.equal(ctor.kind, 'constructor');
    assert.equal(ctor.returnType, undefined);
    const refresh = fn(facts, 'InventoryService.refreshAsync');
    assert.equal(refresh.static, true);
    assert.equal(refresh.visibility, 'package');
    assert.equal(refresh.exported, false);
    assert.equal(fn(facts, 'Helper.twice').static, true);
  });

  it('reads the class: type params, extends and implements, fields with array dims', () => {
    const svc = type(facts, 'InventoryService');
    assert.equal(svc.kind, 'class');
    assert.deepEqual(svc.typeParams, ['T extends Item']);
    assert.deepEqual(svc.bases, ['BaseService', 'Runnable', 'AutoCloseable']);
    assert.equal(svc.doc, 'Keeps track of stock levels.');
    assert.deepEqual(svc.fields.map((f) => [f.name, f.type]), [
      ['MAX_ITEMS', 'int'], ['DEFAULT_SKU', 'String'], ['items', 'Map<String, T>'],
      ['counts', 'int[]'], ['history', 'int[][]'], ['version', 'long'],
    ]);
    assert.ok(svc.methods.includes('collect<R extends Comparable<R>>(f: Function<T, R>, ...skus: String): List<R>'));
    assert.ok(!svc.methods.some((m) => m.startsWith('isTerminal')), 'nested type methods stay with the nested type');
  });

  it('reads nested enums, interfaces (with implicit constants and public methods), records, annotations', () => {
    const change = type(facts, 'Change');
    assert.equal(change.kind, 'enum');
    assert.equal(change.container, 'InventoryService');
    assert.deepEqual(change.members, ['ADDED', 'REMOVED', 'CLEARED']);
    const listener = type(facts, 'Listener');
    assert.equal(listener.kind, 'interface');
    assert.deepEqual(listener.typeParams, ['E']);
    assert.deepEqual(listener.methods, ['onChange(event: E, change: Change): void', 'accepts(event: E): boolean']);
    assert.equal(fn(facts, 'InventoryService.Listener.onChange').visibility, 'public');
    assert.ok(facts.identifiers.some((i) => i.name === 'PRIORITY' && i.kind === 'constant'));
    const snap = type(facts, 'Snapshot');
    assert.equal(snap.kind, 'record');
    assert.deepEqual(snap.fields.map((f) => [f.name, f.type]), [['sku', 'String'], ['quantity', 'int']]);
    assert.deepEqual(snap.bases, ['Comparable<Snapshot>']);
    assert.deepEqual(fn(facts, 'InventoryService.Snapshot.Snapshot').params, [{ name: 'sku', type: 'String' }, { name: 'quantity', type: 'int' }]);
    assert.equal(type(facts, 'Audited').kind, 'interface');
  });

  it('keeps methods of anonymous classes out of the enclosing type', () => {
    const runs = facts.functions.filter((f) => f.name === 'run');
    assert.equal(runs.length, 2);
    assert.equal(type(facts, 'InventoryService').methods.filter((m) => m.startsWith('run(')).length, 1);
  });

  it('reads imports: single, wildcard, static, static wildcard', () => {
    assert.deepEqual(facts.imports.map((i) => [i.module, i.names.map((n) => n.name).join(','), i.wildcard, i.typeOnly]), [
      ['java.io', 'IOException', false, false],
      ['java.util', '', true, false],
      ['java.util.concurrent', 'CompletableFuture', false, false],
      ['java.lang.Math', 'max', false, false],
      ['java.util.Objects', '', true, false],
    ]);
    assert.deepEqual(facts.exports.map((e) => e.name), ['InventoryService']);
  });

  it('finds UnsupportedOperationException and "not implemented" throws, not other throws', () => {
    assert.deepEqual(facts.holes.map((h) => [h.kind, h.text, h.enclosing?.signature]), [
      ['not_implemented', 'throw new UnsupportedOperationException("find is not supported yet")', 'InventoryService.find(sku: String): Optional<T>'],
      ['not_implemented', 'throw new RuntimeException("not implemented")', 'InventoryService.refreshAsync(): CompletableFuture<Void>'],
    ]);
  });

  it('builds scopes: params, typed and var locals, for-each and catch variables, fields', () => {
    const s = facts.scopes.find((x) => x.function === 'InventoryService.restock');
    assert.ok(s);
    const get = (n: string) => s.bindings.find((b) => b.name === n);
    assert.deepEqual(get('sku'), { name: 'sku', type: 'String', kind: 'parameter' });
    assert.deepEqual(get('item'), { name: 'item', type: 'T', kind: 'local' });
    assert.deepEqual(get('after'), { name: 'after', kind: 'local' });
    assert.deepEqual(get('e'), { name: 'e', type: 'IllegalStateException | IOException', kind: 'local' });
    assert.deepEqual(get('items'), { name: 'items', type: 'Map<String, T>', kind: 'field' });
    assert.deepEqual(get('max'), { name: 'max', kind: 'import' }, 'static imports are in scope');
    assert.equal(get('IOException'), undefined, 'imported types are not bindings');
    const c = facts.scopes.find((x) => x.function === 'InventoryService.collect');
    assert.deepEqual(c?.bindings.find((b) => b.name === 'skus'), { name: 'skus', type: 'String[]', kind: 'parameter' });
    assert.deepEqual(c?.bindings.find((b) => b.name === 'sku'), { name: 'sku', type: 'String', kind: 'local' });
  });

  it('records identifiers: static final constants, fields, params, locals', () => {
    const has = (name: string, kind: string) => facts.identifiers.some((i) => i.name === name && i.kind === kind);
    assert.ok(has('MAX_ITEMS', 'constant'));
    assert.ok(has('DEFAULT_SKU', 'constant'));
    assert.ok(has('items', 'field'));
    assert.ok(has('version', 'field'));
    assert.ok(has('amount', 'parameter'));
    assert.ok(has('before', 'variable'));
  });

  it('counts try, throw and Optional returns', () => {
    assert.equal(facts.signals['error.try'], 1);
    assert.equal(facts.signals['error.throw'], 4);
    assert.equal(facts.signals['error.option'], 1);
  });
});

describe('Java extractor on a file with syntax errors', () => {
  it('recovers the class, its fields and methods without throwing', async () => {
    const facts = await extract('Broken.java');
    const b = type(facts, 'Broken');
    assert.deepEqual(b.fields.map((f) => f.name), ['names']);
    const good = fn(facts, 'Broken.good');
    assert.deepEqual(good.params, [{ name: 'prefix', type: 'String' }]);
    assert.equal(facts.holes.length, 1);
    assert.equal(facts.holes[0]!.enclosing?.signature, 'Broken.good(prefix: String): String');
    assert.ok(facts.scopes.find((s) => s.function === 'Broken.good')?.bindings.some((x) => x.name === 'joined' && x.type === 'String'));
  });
});

describe('java extractor on damaged input', () => {
  it('never throws on truncated or gapped versions of InventoryService.java', async () => {
    await assertRobustOnDamage('java', extractJava, 'InventoryService.java');
  });
});
