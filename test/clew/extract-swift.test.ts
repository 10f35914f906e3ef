import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { extractSwift } from '../../src/clew/languages/swift.ts';
import { fixtureExtractor, findFunction as fn, assertKeepsFunctionsBeforeCuts, deepSum, assertFunctionNames, assertRobustOnRecombination, withTree, fixtureSource } from '../helpers/clew-fixtures.ts';
import type { ExtractedFacts } from '../../src/clew/languages/types.ts';

const extract = fixtureExtractor('swift', extractSwift);

describe('Swift extractor on CartStore.swift (grammar from @repomix/tree-sitter-wasms)', () => {
  let facts: ExtractedFacts;
  before(async () => { facts = await extract('CartStore.swift'); });

  it('parses real Swift without syntax errors', async () => {
    const hasError = await withTree('swift', fixtureSource('swift', 'CartStore.swift'), (root) => root.hasError);
    assert.equal(hasError, false);
  });

  it('names parameters by their internal name, with defaults and variadics', () => {
    const add = fn(facts, 'CartStore.add');
    assert.deepEqual(add.params, [
      { name: 'item', type: 'Item' },
      { name: 'quantity', type: 'Int', default: '1', optional: true },
      { name: 'notes', type: 'String', variadic: true },
    ]);
    assert.equal(add.returnType, 'Int');
    assert.deepEqual(add.decorators, ['discardableResult']);
    assert.equal(add.doc, 'Adds items, up to the limit.');
    assert.equal(add.visibility, 'public');
    assert.equal(add.exported, true);
    assert.deepEqual(fn(facts, 'CartStore.load').params, [{ name: 'url', type: 'URL' }, { name: 'retries', type: 'Int', default: '3', optional: true }]);
    assert.deepEqual(fn(facts, 'CartStore.merge').params, [{ name: 'other', type: '[Other]' }, { name: 'target', type: 'inout [Item]' }]);
    assert.deepEqual(fn(facts, 'CartStore.merge').typeParams, ['Other: Priced']);
  });

  it('reads async, static, init, visibility and extension members', () => {
    assert.equal(fn(facts, 'CartStore.load').async, true);
    assert.equal(fn(facts, 'CartStore.load').returnType, '[Item]');
    assert.equal(fn(facts, 'Inventory.reserve').async, true);
    assert.equal(fn(facts, 'CartStore.restore').static, true);
    assert.equal(fn(facts, 'CartStore.init').kind, 'constructor');
    assert.equal(fn(facts, 'CartStore.validate').visibility, 'private');
    assert.equal(fn(facts, 'CartStore.total').visibility, 'internal');
    assert.equal(fn(facts, 'CartStore.total').exported, false);
    assert.deepEqual(fn(facts, 'CartStore.summary').params, [{ name: 'style', type: 'SummaryStyle', default: '.short', optional: true }]);
  });

  it('records classes, protocols, enums, nested structs, extensions, actors and aliases', () => {
    const store = facts.types.find((t) => t.name === 'CartStore' && t.kind === 'class');
    assert.ok(store);
    assert.deepEqual(store.typeParams, ['Item: Priced & Hashable']);
    assert.deepEqual(store.bases, ['ObservableObject', 'Sendable']);
    assert.deepEqual(store.fields.map((f) => [f.name, f.type]), [
      ['items', '[Item]'], ['logger', 'Logger'], ['shared', undefined], ['pending', 'Set<Item>?'],
    ]);
    assert.equal(store.doc, 'Holds the items of a shopping cart.');
    assert.equal(store.exported, true);
    const priced = facts.types.find((t) => t.name === 'Priced');
    assert.equal(priced?.kind, 'protocol');
    assert.deepEqual(priced?.typeParams, ['Currency']);
    assert.deepEqual(priced?.fields, [{ name: 'price', type: 'Decimal', line: 13 }]);
    assert.deepEqual(priced?.methods, ['discounted(percent: Int): Decimal']);
    assert.deepEqual(facts.types.find((t) => t.name === 'CartError')?.members, ['empty', 'overLimit', 'unavailable']);
    assert.equal(facts.types.find((t) => t.name === 'Line')?.container, 'CartStore');
    const ext = facts.types.find((t) => t.name === 'CartStore' && t.kind === 'impl');
    assert.deepEqual(ext?.bases, ['CustomStringConvertible']);
    assert.deepEqual(ext?.methods, ['summary(style: SummaryStyle = .short): String']);
    assert.equal(facts.types.find((t) => t.name === 'Inventory')?.kind, 'class');
    assert.equal(facts.types.find((t) => t.name === 'CartHandler')?.aliasOf, '(T) -> Void');
  });

  it('reads module imports and single-declaration imports', () => {
    assert.deepEqual(facts.imports.map((i) => [i.module, i.names, i.wildcard]), [
      ['Foundation', [], true], ['Combine', [], true], ['os', [{ name: 'Logger' }], false],
    ]);
  });

  it('finds fatalError("not implemented") and fatalError("TODO") holes', () => {
    assert.deepEqual(facts.holes.map((h) => [h.kind, h.line, h.enclosing?.signature]), [
      ['not_implemented', 74, 'CartStore.checkout(payment: PaymentMethod): Result<Receipt, CartError>'],
      ['todo', 78, 'CartStore.restore(data: Data): CartStore?'],
    ]);
  });

  it('lists typed lets, tuple bindings, fields and top-level values in scopes', () => {
    const add = facts.scopes.find((s) => s.function === 'CartStore.add');
    assert.ok(add);
    assert.deepEqual(add.bindings.slice(3, 5), [{ name: 'before', type: 'Int', kind: 'local' }, { name: 'added', kind: 'local' }]);
    assert.ok(add.bindings.some((b) => b.kind === 'field' && b.name === 'items' && b.type === '[Item]'));
    assert.ok(add.bindings.some((b) => b.kind === 'module' && b.name === 'maxItems' && b.type === 'Int'));
    const load = facts.scopes.find((s) => s.function === 'CartStore.load');
    assert.deepEqual(load?.bindings.slice(2, 4), [{ name: 'data', kind: 'local' }, { name: 'decoded', type: '[Item]', kind: 'local' }]);
    const top = facts.identifiers.filter((i) => i.line <= 6);
    assert.deepEqual(top, [{ name: 'maxItems', kind: 'constant', line: 5 }, { name: 'sessionCount', kind: 'variable', line: 6 }]);
  });

  it('counts try, throw, do/catch, force unwraps, optional and Result returns, async/await', () => {
    assert.equal(facts.signals['error.question'], 3);
    assert.equal(facts.signals['error.err_return'], 3); // add, load, validate are `throws`
    assert.equal(facts.signals['error.throw'], 2);
    assert.equal(facts.signals['error.try'], 1);
    assert.equal(facts.signals['error.unwrap'], 2);
    assert.equal(facts.signals['error.option'], 2);
    assert.equal(facts.signals['error.result'], 1);
    assert.equal(facts.signals['async.function'], 2);
    assert.equal(facts.signals['async.await'], 1);
  });
});

describe('Swift extractor on a file with syntax errors', () => {
  it('keeps the struct, its field, every method and the hole', async () => {
    const facts = await extract('Broken.swift');
    assert.deepEqual(facts.functions.map((f) => f.name), ['ok', 'broken', 'later']);
    assert.deepEqual(fn(facts, 'Half.ok').params, [{ name: 'a', type: 'Int' }, { name: 'b', type: 'String', default: '"x"', optional: true }]);
    assert.deepEqual(facts.types[0]?.fields, [{ name: 'name', type: 'String', line: 4 }]);
    assert.equal(facts.holes[0]?.enclosing?.name, 'Half.later');
  });
});

describe('Swift extractor on truncated input', () => {
  it('never throws and keeps the functions that end before the cut', async () => {
    await assertKeepsFunctionsBeforeCuts('swift', extractSwift, 'CartStore.swift');
  });
});

describe('Swift extractor on a pathologically deep tree', () => {
  it('does not overflow the stack on a 20,000-term expression and still sees the function', async () => {
    const terms = deepSum(20000);
    await assertFunctionNames('swift', extractSwift, `func total() { let x = ${terms} }\n`, ['total']);
  });
});

describe('Swift extractor on recombined fragments (property)', () => {
  it('never throws, whatever pieces of real code are spliced together', async () => {
    await assertRobustOnRecombination('swift', extractSwift, 'CartStore.swift');
  });
});
