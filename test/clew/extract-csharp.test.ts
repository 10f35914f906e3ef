import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { extractCsharp } from '../../src/clew/languages/csharp.ts';
import { fixtureExtractor, onlyFunction as fn, findType as type, assertRobustOnDamage } from '../helpers/clew-fixtures.ts';
import type { ExtractedFacts } from '../../src/clew/languages/types.ts';

const extract = fixtureExtractor('csharp', extractCsharp);

const SVC = 'Acme.Shop.InventoryService';

describe('C# extractor on InventoryService.cs', () => {
  let facts: ExtractedFacts;
  before(async () => { facts = await extract('InventoryService.cs'); });

  it('reads async methods with attributes, docs and the namespace/class container', () => {
    const r = fn(facts, `${SVC}.RestockAsync`);
    assert.equal(r.kind, 'method');
    assert.equal(r.async, true);
    assert.deepEqual(r.params, [{ name: 'item', type: 'TItem' }, { name: 'amount', type: 'int' }]);
    assert.equal(r.returnType, 'Task<int>');
    assert.deepEqual(r.decorators, ['HttpPost("restock")']);
    assert.equal(r.doc, 'Adds stock and returns the new total.');
    assert.equal(r.visibility, 'public');
    assert.equal(r.line, 45);
    assert.equal(r.column, 9);
  });

  it('reads params arrays, defaults, ref/out/in modifiers, generic methods and iterators', () => {
    const c = fn(facts, `${SVC}.Collect`);
    assert.deepEqual(c.params, [{ name: 'selector', type: 'Func<TItem, T>' }, { name: 'skus', type: 'string[]', variadic: true }]);
    assert.deepEqual(c.typeParams, ['T']);
    assert.equal(c.generator, true);
    const ctor = fn(facts, `${SVC}.InventoryService`);
    assert.equal(ctor.kind, 'constructor');
    assert.deepEqual(ctor.params, [{ name: 'name', type: 'string' }, { name: 'capacity', type: 'int', default: 'MaxItems', optional: true }]);
    const v = fn(facts, `${SVC}.Validate`);
    assert.deepEqual(v.params.map((p) => p.type), ['ref int', 'out bool', 'in DateTime']);
    assert.equal(v.visibility, 'internal');
    assert.equal(v.static, true);
    assert.equal(v.exported, false);
  });

  it('defaults member visibility to private, interface members to public; reads operators and local functions', () => {
    assert.equal(fn(facts, `${SVC}.Dispose`).visibility, 'private');
    assert.equal(fn(facts, 'Acme.Shop.IRestockable.CanRestock').visibility, 'public');
    assert.equal(fn(facts, `${SVC}.operator+`).static, true);
    const local = fn(facts, `${SVC}.SaveAsync.Local`);
    assert.equal(local.kind, 'function');
    assert.equal(local.returnType, 'int');
  });

  it('reads the class: type params, bases, fields and properties, methods, doc', () => {
    const svc = type(facts, 'InventoryService');
    assert.equal(svc.kind, 'class');
    assert.equal(svc.container, 'Acme.Shop');
    assert.deepEqual(svc.typeParams, ['TItem']);
    assert.deepEqual(svc.bases, ['ServiceBase', 'IRestockable<TItem>', 'IDisposable']);
    assert.equal(svc.doc, 'Keeps track of stock levels.');
    assert.deepEqual(svc.fields.map((f) => [f.name, f.type]), [
      ['MaxItems', 'int'], ['DefaultSku', 'string'], ['_items', 'Dictionary<string, TItem>'],
      ['version', 'int'], ['revision', 'int'], ['Capacity', 'int'], ['Name', 'string?'],
    ]);
    assert.ok(svc.methods.includes('async RestockAsync(item: TItem, amount: int): Task<int>'));
    assert.ok(!svc.methods.some((m) => m.startsWith('Record')), 'nested class methods stay with the nested class');
  });

  it('reads interfaces, enums, records, structs, nested classes and delegates', () => {
    const i = type(facts, 'IRestockable');
    assert.equal(i.kind, 'interface');
    assert.deepEqual(i.typeParams, ['in T']);
    assert.deepEqual(i.methods, ['RestockAsync(item: T, amount: int): Task<int>', 'CanRestock(item: T): bool']);
    assert.deepEqual(i.fields.map((f) => f.name), ['Capacity']);
    assert.deepEqual(type(facts, 'Change').members, ['Added', 'Removed', 'Cleared']);
    const snap = type(facts, 'Snapshot');
    assert.equal(snap.kind, 'record');
    assert.deepEqual(snap.fields.map((f) => [f.name, f.type]), [['Sku', 'string'], ['Quantity', 'int']]);
    assert.equal(type(facts, 'Slot').kind, 'struct');
    assert.equal(type(facts, 'Audit').exported, false);
    assert.equal(type(facts, 'ChangeHandler').aliasOf, 'delegate void(object sender, Change change)');
  });

  it('reads using directives: namespaces, static and aliases', () => {
    assert.deepEqual(facts.imports.map((i) => [i.module, i.alias ?? '', i.wildcard]), [
      ['System', '', true], ['System.Collections.Generic', '', true], ['System.Threading.Tasks', '', true],
      ['System.Math', '', true], ['System.Text.Json.JsonSerializer', 'Json', false],
    ]);
    assert.deepEqual(facts.exports.map((e) => e.name), ['IRestockable', 'Change', 'Snapshot', 'ChangeHandler', 'InventoryService']);
  });

  it('finds throw new NotImplementedException() in statements and expression bodies', () => {
    assert.deepEqual(facts.holes.map((h) => [h.kind, h.text, h.enclosing?.name]), [
      ['not_implemented', 'throw new NotImplementedException()', `${SVC}.Find`],
      ['not_implemented', 'throw new NotImplementedException("persistence")', `${SVC}.SaveAsync`],
    ]);
    assert.equal(facts.holes[0]!.enclosing?.signature, `${SVC}.Find(sku: string): TItem?`);
  });

  it('builds scopes: params (without ref/out), typed and var locals, catch and foreach variables, fields', () => {
    const s = facts.scopes.find((x) => x.function === `${SVC}.RestockAsync`);
    assert.ok(s);
    const get = (n: string) => s.bindings.find((b) => b.name === n);
    assert.deepEqual(get('before'), { name: 'before', kind: 'local' });
    assert.deepEqual(get('after'), { name: 'after', type: 'int', kind: 'local' });
    assert.deepEqual(get('ex'), { name: 'ex', type: 'InvalidOperationException', kind: 'local' });
    assert.deepEqual(get('_items'), { name: '_items', type: 'Dictionary<string, TItem>', kind: 'field' });
    assert.deepEqual(get('Name'), { name: 'Name', type: 'string?', kind: 'field' });
    const v = facts.scopes.find((x) => x.function === `${SVC}.Validate`);
    assert.deepEqual(v?.bindings.find((b) => b.name === 'amount'), { name: 'amount', type: 'int', kind: 'parameter' });
    const c = facts.scopes.find((x) => x.function === `${SVC}.Collect`);
    assert.deepEqual(c?.bindings.find((b) => b.name === 'sku'), { name: 'sku', type: 'string', kind: 'local' });
  });

  it('records identifiers: const and static readonly as constants, fields, properties, params, locals', () => {
    const has = (name: string, kind: string) => facts.identifiers.some((i) => i.name === name && i.kind === kind);
    assert.ok(has('MaxItems', 'constant'));
    assert.ok(has('DefaultSku', 'constant'));
    assert.ok(has('_items', 'field'));
    assert.ok(has('Capacity', 'field'));
    assert.ok(has('amount', 'parameter'));
    assert.ok(has('after', 'variable'));
  });

  it('counts async/await, try/throw, nullable returns and dynamic', () => {
    const s = facts.signals;
    assert.equal(s['async.function'], 1);
    assert.equal(s['async.await'], 1);
    assert.equal(s['error.try'], 1);
    assert.equal(s['error.throw'], 4);
    assert.equal(s['error.option'], 1);
    assert.equal(s['types.any'], 1);
  });
});

describe('C# extractor on a file with syntax errors', () => {
  it('recovers the file-scoped namespace, class, fields and methods without throwing', async () => {
    const facts = await extract('Broken.cs');
    const b = type(facts, 'Broken');
    assert.equal(b.container, 'Acme.Broken');
    assert.deepEqual(b.fields.map((f) => f.name), ['_name']);
    const good = fn(facts, 'Acme.Broken.Broken.Good');
    assert.deepEqual(good.params, [{ name: 'prefix', type: 'string' }]);
    assert.equal(facts.holes.length, 1);
    assert.equal(facts.holes[0]!.enclosing?.name, 'Acme.Broken.Broken.Good');
    assert.ok(facts.scopes.find((s) => s.function === 'Acme.Broken.Broken.Good')?.bindings.some((x) => x.name === 'joined' && x.type === 'string'));
  });
});

describe('csharp extractor on damaged input', () => {
  it('never throws on truncated or gapped versions of InventoryService.cs', async () => {
    await assertRobustOnDamage('csharp', extractCsharp, 'InventoryService.cs');
  });
});
