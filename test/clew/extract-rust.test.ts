import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { extractRust } from '../../src/clew/languages/rust.ts';
import { fixtureExtractor, findFunction as fn, findType as type, assertRobustOnDamage, extractText, withTree, fixtureSource } from '../helpers/clew-fixtures.ts';
import type { ExtractedFacts } from '../../src/clew/languages/types.ts';

const extract = fixtureExtractor('rust', extractRust);

describe('Rust extractor on inventory.rs', () => {
  let facts: ExtractedFacts;
  before(async () => { facts = await extract('inventory.rs'); });

  it('reads methods of an impl block with the type as container, self and typed params', () => {
    const restock = fn(facts, 'Inventory.restock');
    assert.equal(restock.kind, 'method');
    assert.deepEqual(restock.params, [
      { name: 'self', type: '&mut Self' },
      { name: 'sku', type: '&str' },
      { name: 'amount', type: 'u32' },
    ]);
    assert.equal(restock.returnType, 'Result<u32, InventoryError>');
    assert.equal(restock.visibility, 'public');
    assert.equal(restock.exported, true);
    assert.equal(restock.static, false);
    assert.equal(restock.line, 55);
    assert.equal(restock.column, 5);
  });

  it('marks associated functions static, private fns unexported, async fns async', () => {
    const ctor = fn(facts, 'Inventory.new');
    assert.equal(ctor.static, true);
    assert.equal(ctor.doc, 'Creates an empty inventory.');
    assert.equal(fn(facts, 'Inventory.total_value').exported, false);
    assert.equal(fn(facts, 'Inventory.total_value').visibility, 'private');
    const sync = fn(facts, 'Inventory.sync');
    assert.equal(sync.async, true);
    assert.equal(sync.returnType, 'io::Result<()>');
  });

  it('reads attributes as decorators and module containers', () => {
    const t = fn(facts, 'tests.restock_adds');
    assert.deepEqual(t.decorators, ['test']);
    assert.equal(fn(facts, 'errors.describe').exported, true);
  });

  it('reads C variadics in extern blocks', () => {
    assert.deepEqual(fn(facts, 'printf').params, [{ name: 'fmt', type: '*const u8' }, { name: '...', variadic: true }]);
  });

  it('lists trait method signatures (abstract and default) under the trait', () => {
    const store = type(facts, 'Store');
    assert.equal(store.kind, 'trait');
    assert.deepEqual(store.typeParams, ['T']);
    assert.deepEqual(store.bases, ['Send', 'Sync']);
    assert.deepEqual(store.methods, [
      'get(self: &Self, sku: &str): Option<&Item<T>>',
      'put(self: &mut Self, item: Item<T>): Result<(), InventoryError>',
      'len(self: &Self): usize',
    ]);
    const get = fn(facts, 'Store.get');
    assert.equal(get.doc, 'Looks an item up by SKU.');
    assert.equal(get.exported, true);
  });

  it('reads structs with fields, generics, docs past attributes, and impl-trait bases', () => {
    const item = type(facts, 'Item');
    assert.equal(item.kind, 'struct');
    assert.deepEqual(item.typeParams, ['T: Clone']);
    assert.deepEqual(item.fields.map((f) => [f.name, f.type]), [['sku', 'String'], ['quantity', 'u32'], ['price_cents', 'i64'], ['meta', 'Option<T>']]);
    assert.equal(item.doc, 'A stock-keeping unit.');
    const inv = type(facts, 'Inventory');
    assert.deepEqual(inv.bases, ['Store<T>']);
    assert.ok(inv.methods.includes('async sync(self: &Self, endpoint: &str): io::Result<()>'));
    assert.ok(inv.methods.includes('put(self: &mut Self, item: Item<T>): Result<(), InventoryError>'));
    const slot = type(facts, 'Slot');
    assert.deepEqual(slot.fields.map((f) => [f.name, f.type]), [['0', 'u16'], ['1', 'u16']]);
    assert.deepEqual(slot.bases, ['Display']);
    assert.deepEqual(type(facts, 'Change').bases, ['fmt::Debug']);
  });

  it('reads enums, nested enums in modules, and type aliases', () => {
    const change = type(facts, 'Change');
    assert.deepEqual(change.members, ['Added', 'Removed', 'Cleared']);
    assert.equal(change.exported, false, 'pub(crate) is not exported');
    const err = type(facts, 'InventoryError');
    assert.equal(err.container, 'errors');
    assert.deepEqual(err.members, ['Missing', 'Full']);
    const cat = type(facts, 'Catalog');
    assert.equal(cat.kind, 'type_alias');
    assert.equal(cat.aliasOf, 'HashMap<String, Item<T>>');
  });

  it('flattens use trees: groups, self, aliases, wildcards, pub use', () => {
    const mods = facts.imports.map((i) => [i.module, i.names.map((n) => (n.alias ? `${n.name} as ${n.alias}` : n.name)).join(','), i.wildcard]);
    assert.deepEqual(mods, [
      ['std::collections', 'HashMap', false],
      ['std::collections::hash_map', 'Entry as MapEntry', false],
      ['std', 'fmt', false],
      ['std::fmt', 'Display', false],
      ['std', 'io', false],
      ['crate::pricing', '', true],
      ['serde', 'Deserialize,Serialize', false],
      ['self::errors', 'InventoryError', false],
      ['super', '', true],
    ]);
    assert.ok(facts.exports.some((e) => e.kind === 'reexport' && e.name === 'InventoryError' && e.from === 'self::errors'));
  });

  it('exports pub items and modules only', () => {
    const names = facts.exports.filter((e) => e.kind !== 'reexport').map((e) => `${e.kind}:${e.name}`);
    assert.ok(names.includes('variable:MAX_ITEMS'));
    assert.ok(names.includes('type:Inventory'));
    assert.ok(names.includes('module:errors'));
    assert.ok(names.includes('function:describe'));
    assert.ok(!names.includes('function:send'));
    assert.ok(!names.includes('type:Change'));
  });

  it('finds todo!, unimplemented! and panic!("not implemented") with the enclosing signature', () => {
    assert.deepEqual(facts.holes.map((h) => [h.kind, h.text, h.line, h.enclosing?.signature]), [
      ['todo', 'todo!()', 71, 'async Inventory.sync(self: &Self, endpoint: &str): io::Result<()>'],
      ['unimplemented', 'unimplemented!("discounts are planned for v2")', 75, 'Inventory.discount(self: &Self, pct: f32): Option<i64>'],
      ['not_implemented', 'panic!("not implemented: replacing items")', 86, 'Inventory.put(self: &mut Self, item: Item<T>): Result<(), InventoryError>'],
    ]);
  });

  it('builds scopes with params, typed and untyped lets, imports and module constants', () => {
    const s = facts.scopes.find((x) => x.function === 'Inventory.restock');
    assert.ok(s);
    const get = (n: string) => s.bindings.find((b) => b.name === n);
    assert.deepEqual(get('sku'), { name: 'sku', type: '&str', kind: 'parameter' });
    assert.deepEqual(get('before'), { name: 'before', type: 'u32', kind: 'local' });
    assert.deepEqual(get('item'), { name: 'item', kind: 'local' });
    assert.deepEqual(get('total'), { name: 'total', kind: 'local' });
    assert.deepEqual(get('MAX_ITEMS'), { name: 'MAX_ITEMS', type: 'usize', kind: 'module' });
    assert.deepEqual(get('MapEntry'), { name: 'MapEntry', kind: 'import' });
    const t = facts.scopes.find((x) => x.function === 'tests.restock_adds');
    assert.deepEqual(t?.bindings.find((b) => b.name === 'inv'), { name: 'inv', type: 'Inventory<u8>', kind: 'local' });
  });

  it('records identifiers by kind', () => {
    const has = (name: string, kind: string) => facts.identifiers.some((i) => i.name === name && i.kind === kind);
    assert.ok(has('MAX_ITEMS', 'constant'));
    assert.ok(has('COUNTER', 'constant'));
    assert.ok(has('price_cents', 'field'));
    assert.ok(has('amount', 'parameter'));
    assert.ok(has('before', 'variable'));
    assert.ok(!facts.identifiers.some((i) => i.name === '_' || i.name === '...'));
  });

  it('counts style signals', () => {
    const s = facts.signals;
    assert.equal(s['error.question'], 2);
    assert.equal(s['error.unwrap'], 1);
    assert.equal(s['error.result'], 7);
    assert.equal(s['error.option'], 3);
    assert.equal(s['async.function'], 2);
    assert.equal(s['async.await'], 1);
  });
});

describe('Rust extractor on a file with syntax errors', () => {
  it('recovers the items around the errors without throwing', async () => {
    const facts = await extract('broken.rs');
    assert.deepEqual(facts.imports.map((i) => i.module), ['std::sync']);
    assert.deepEqual(type(facts, 'Good').fields.map((f) => f.name), ['id']);
    const after = fn(facts, 'after');
    assert.deepEqual(after.params, [{ name: 'value', type: '&str' }]);
    assert.equal(after.returnType, 'Option<String>');
    assert.equal(facts.holes.length, 1);
    assert.equal(facts.holes[0]!.enclosing?.name, 'after');
    assert.deepEqual(facts.scopes.find((s) => s.function === 'after')?.bindings.find((b) => b.name === 'copy'), { name: 'copy', type: 'String', kind: 'local' });
  });

  it('returns empty facts for an empty file', async () => {
    const f = await extractText('rust', extractRust, '');
    assert.deepEqual([f.functions.length, f.types.length, f.imports.length], [0, 0, 0]);
  });
});

describe('rust extractor on damaged input', () => {
  it('never throws on truncated or gapped versions of inventory.rs', async () => {
    await assertRobustOnDamage('rust', extractRust, 'inventory.rs');
  });
});

describe('Rust extractor on patterns', () => {
  it('binds the names of let, if-let and for patterns, not the enum paths in them', async () => {
    const source = 'fn f(o: Option<u8>, p: Point) {\n  if let Some(x) = o {}\n  let Point { a, b: c } = p;\n  let (m, mut n): (u8, u8) = (1, 2);\n  for (i, v) in [1].iter().enumerate() {}\n}\n';
    const facts = await extractText('rust', extractRust, source);
    const names = facts.scopes[0]!.bindings.filter((b) => b.kind === 'local').map((b) => b.name);
    assert.deepEqual(names, ['x', 'a', 'c', 'm', 'n', 'i', 'v']);
  });
});

describe('Rust extractor without the source text', () => {
  it('reads docs and visibility from the tree when the caller passes no text', async () => {
    const source = fixtureSource('rust', 'inventory.rs');
    const [withText, without] = await withTree('rust', source, (root) => [extractRust(root, source), extractRust(root, '')]);
    assert.deepEqual(without.functions, withText.functions);
    assert.deepEqual(without.types, withText.types);
  });
});
