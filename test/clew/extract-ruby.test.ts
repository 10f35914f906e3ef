import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { extractRuby } from '../../src/clew/languages/ruby.ts';
import { fixtureExtractor, findFunction as fn, assertKeepsFunctionsBeforeCuts, deepSum, assertFunctionNames, assertRobustOnRecombination } from '../helpers/clew-fixtures.ts';
import type { ExtractedFacts } from '../../src/clew/languages/types.ts';

const extract = fixtureExtractor('ruby', extractRuby);

describe('Ruby extractor on inventory.rb', () => {
  let facts: ExtractedFacts;
  before(async () => { facts = await extract('inventory.rb'); });

  it('reads every kind of parameter: defaults, *splat, keywords, **opts, &block', () => {
    const init = fn(facts, 'Shop.Inventory.initialize');
    assert.equal(init.kind, 'constructor');
    assert.deepEqual(init.params, [
      { name: 'currency', optional: true, default: 'DEFAULT_CURRENCY' },
      { name: 'seed', variadic: true },
      { name: 'strict', optional: true, default: 'false' },
      { name: 'limit', optional: true, default: 'MAX_ITEMS' },
      { name: 'options', variadic: true },
      { name: '&on_change', optional: true },
    ]);
    assert.deepEqual(fn(facts, 'Shop.Inventory.remove').params, [{ name: 'sku' }, { name: 'quantity', optional: true, default: '1' }]);
  });

  it('follows private/protected/public sections, `private def` and `private :name`', () => {
    assert.equal(fn(facts, 'Shop.Inventory.add').visibility, 'public');
    assert.equal(fn(facts, 'Shop.Inventory.strict?').visibility, 'protected');
    assert.equal(fn(facts, 'Shop.Inventory.notify').visibility, 'private');
    assert.equal(fn(facts, 'Shop.Inventory.notify').exported, false);
    assert.equal(fn(facts, 'Shop.Inventory.size').visibility, 'public');
    assert.equal(fn(facts, 'Shop.Inventory.checksum').visibility, 'private');
    assert.equal(fn(facts, 'Shop.Inventory.serialize').visibility, 'private');
  });

  it('marks def self.x and class << self methods static, with doc comments', () => {
    const fromJson = fn(facts, 'Shop.Inventory.from_json');
    assert.equal(fromJson.static, true);
    assert.equal(fromJson.doc, 'Builds an inventory from a JSON document.');
    assert.equal(fromJson.line, 40);
    assert.equal(fromJson.column, 5);
    assert.equal(fn(facts, 'Shop.Inventory.empty').static, true);
  });

  it('records classes, modules and Struct.new types with fields, mixins and docs', () => {
    const inv = facts.types.find((t) => t.name === 'Inventory');
    assert.ok(inv);
    assert.equal(inv.kind, 'class');
    assert.equal(inv.container, 'Shop');
    assert.deepEqual(inv.bases, ['BaseStore', 'Enumerable', 'Forwardable']);
    assert.deepEqual(inv.fields.map((f) => f.name), ['items', 'currency', 'audit_log', 'strict', 'on_change']);
    assert.ok(inv.methods.includes('from_json(text)') && inv.methods.includes('total_value()'));
    assert.equal(inv.doc, 'Keeps track of items and their quantities.\n\nThread-unsafe; wrap it in a Mutex if shared.');
    const item = facts.types.find((t) => t.name === 'Item');
    assert.equal(item?.kind, 'struct');
    assert.deepEqual(item?.fields.map((f) => f.name), ['sku', 'name', 'price']);
    assert.deepEqual(item?.methods, ['label()']);
    assert.equal(fn(facts, 'Shop.Item.label').container, 'Shop.Item');
    const err = facts.types.find((t) => t.name === 'OutOfStock');
    assert.deepEqual(err?.bases, ['StandardError']);
    assert.equal(err?.doc, 'Raised when stock would go negative.');
    assert.equal(facts.types.find((t) => t.name === 'Shop')?.kind, 'module');
  });

  it('reads require and require_relative as imports', () => {
    assert.deepEqual(facts.imports.map((i) => [i.module, i.line]), [['json', 3], ['set', 4], ['support/money', 5]]);
  });

  it('finds raise NotImplementedError as a hole with the enclosing signature', () => {
    assert.equal(facts.holes.length, 1);
    const h = facts.holes[0]!;
    assert.equal(h.kind, 'not_implemented');
    assert.equal(h.line, 72);
    assert.deepEqual(h.enclosing, { name: 'Shop.Inventory.reprice', signature: 'Shop.Inventory.reprice(pricing_rule)', line: 71 });
  });

  it('lists parameters, locals and fields in scopes, and constants as identifiers', () => {
    const scope = facts.scopes.find((s) => s.function === 'Shop.Inventory.add');
    assert.ok(scope);
    const names = scope.bindings.map((b) => `${b.kind}:${b.name}`);
    assert.ok(names.includes('parameter:item') && names.includes('parameter:quantity'));
    assert.ok(names.includes('local:entry'));
    assert.ok(names.includes('field:@items'));
    const consts = facts.identifiers.filter((i) => i.kind === 'constant').map((i) => i.name);
    assert.ok(consts.includes('DEFAULT_CURRENCY') && consts.includes('MAX_ITEMS'));
    assert.ok(facts.identifiers.some((i) => i.kind === 'parameter' && i.name === 'on_change'));
  });

  it('counts begin/rescue blocks (incl. method-level rescue) and raises', () => {
    assert.equal(facts.signals['error.try'], 2);
    assert.equal(facts.signals['error.throw'], 3);
  });
});

describe('Ruby extractor on a file with syntax errors', () => {
  it('recovers the class, its well-formed methods, the import and the hole without throwing', async () => {
    const facts = await extract('broken.rb');
    assert.deepEqual(facts.imports.map((i) => i.module), ['logger']);
    assert.equal(facts.types.find((t) => t.name === 'Broken')?.kind, 'class');
    const ok = fn(facts, 'Broken.ok');
    assert.deepEqual(ok.params, [{ name: 'a' }, { name: 'b', optional: true, default: '2' }]);
    assert.deepEqual(fn(facts, 'Broken.still_fine').params, [{ name: 'name' }, { name: 'rest', variadic: true }]);
    assert.equal(facts.holes[0]?.enclosing?.name, 'Broken.still_fine');
  });
});

describe('Ruby extractor on truncated input', () => {
  it('never throws and keeps the functions that end before the cut', async () => {
    await assertKeepsFunctionsBeforeCuts('ruby', extractRuby, 'inventory.rb');
  });
});

describe('Ruby extractor on a pathologically deep tree', () => {
  it('does not overflow the stack on a 20,000-term expression and still sees the function', async () => {
    const terms = deepSum(20000);
    await assertFunctionNames('ruby', extractRuby, `def total\n  x = ${terms}\nend\n`, ['total']);
  });
});

describe('Ruby extractor on recombined fragments (property)', () => {
  it('never throws, whatever pieces of real code are spliced together', async () => {
    await assertRobustOnRecombination('ruby', extractRuby, 'inventory.rb');
  });
});
