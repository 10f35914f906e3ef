import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { extractKotlin } from '../../src/clew/languages/kotlin.ts';
import { fixtureExtractor, findFunction as fn, assertKeepsFunctionsBeforeCuts, deepSum, assertFunctionNames, assertRobustOnRecombination } from '../helpers/clew-fixtures.ts';
import type { ExtractedFacts } from '../../src/clew/languages/types.ts';

const extract = fixtureExtractor('kotlin', extractKotlin);

describe('Kotlin extractor on OrderService.kt', () => {
  let facts: ExtractedFacts;
  before(async () => { facts = await extract('OrderService.kt'); });

  it('reads vararg and default parameters, suspend as async, annotations and return types', () => {
    const place = fn(facts, 'OrderService.place');
    assert.deepEqual(place.params, [
      { name: 'order', type: 'T' },
      { name: 'tags', type: 'String', variadic: true },
      { name: 'notify', type: 'Boolean', default: 'true', optional: true },
    ]);
    assert.equal(place.async, true);
    assert.equal(place.returnType, 'Result<T>');
    assert.deepEqual(place.decorators, ['Throws(OrderException::class)']);
    assert.equal(place.line, 45);
    assert.equal(place.column, 5);
    assert.deepEqual(fn(facts, 'helper').params, [{ name: 'values', type: 'Int', variadic: true }]);
  });

  it('reads visibility, generics, companion members as static and extension receivers', () => {
    const transform = fn(facts, 'OrderService.transform');
    assert.equal(transform.visibility, 'protected');
    assert.deepEqual(transform.typeParams, ['R']);
    assert.deepEqual(transform.params, [{ name: 'items', type: 'List<T>' }, { name: 'mapper', type: '(T) -> R' }]);
    assert.equal(fn(facts, 'OrderService.audit').exported, false);
    assert.equal(fn(facts, 'OrderService.refund').visibility, 'internal');
    assert.equal(fn(facts, 'OrderService.create').static, true);
    assert.equal(fn(facts, 'String.toOrderId').kind, 'function');
    assert.equal(fn(facts, 'OrderService.Batch.flush').params[0]?.default, 'false');
  });

  it('records the primary constructor with its defaults', () => {
    const ctor = fn(facts, 'OrderService.constructor');
    assert.equal(ctor.kind, 'constructor');
    assert.deepEqual(ctor.params, [
      { name: 'repository', type: 'OrderRepository<T>' },
      { name: 'clock', type: 'Clock', default: 'Clock.systemUTC()', optional: true },
    ]);
  });

  it('records classes, interfaces, objects, enums and type aliases', () => {
    const svc = facts.types.find((t) => t.name === 'OrderService');
    assert.ok(svc);
    assert.deepEqual(svc.typeParams, ['T : Order']);
    assert.deepEqual(svc.bases, ['BaseService', 'AutoCloseable']);
    assert.equal(svc.doc, 'Coordinates order placement.');
    assert.deepEqual(svc.fields.map((f) => [f.name, f.type]), [
      ['repository', 'OrderRepository<T>'], ['clock', 'Clock'], ['cache', 'MutableMap<String, T>'],
      ['lastError', 'Throwable?'], ['DEFAULT_PAGE', undefined],
    ]);
    const priced = facts.types.find((t) => t.name === 'Priced');
    assert.equal(priced?.kind, 'interface');
    assert.equal(priced?.doc, 'Something that can be priced.');
    assert.deepEqual(priced?.fields, [{ name: 'price', type: 'Cash', line: 19 }]);
    assert.equal(facts.types.find((t) => t.name === 'Cancelled')?.kind, 'object');
    assert.equal(facts.types.find((t) => t.name === 'Created')?.container, 'OrderEvent');
    assert.deepEqual(facts.types.find((t) => t.name === 'Status')?.members, ['NEW', 'PAID', 'SHIPPED']);
    const alias = facts.types.find((t) => t.name === 'OrderHandler');
    assert.equal(alias?.kind, 'type_alias');
    assert.equal(alias?.aliasOf, 'suspend (T) -> Unit');
  });

  it('reads imports with aliases and wildcards', () => {
    assert.deepEqual(facts.imports.map((i) => [i.module, i.names, i.wildcard]), [
      ['kotlinx.coroutines', [{ name: 'Deferred' }], false],
      ['kotlinx.coroutines', [{ name: 'async' }], false],
      ['kotlinx.coroutines', [{ name: 'coroutineScope' }], false],
      ['com.example.money', [{ name: 'Money', alias: 'Cash' }], false],
      ['com.example.util', [], true],
    ]);
  });

  it('finds TODO() and NotImplementedError holes with their signatures', () => {
    assert.deepEqual(facts.holes.map((h) => [h.kind, h.line, h.enclosing?.signature]), [
      ['todo', 71, 'OrderService.audit(message: String)'],
      ['todo', 74, 'OrderService.refund(order: T, amount: Cash): Cash'],
      ['not_implemented', 77, 'OrderService.cancel(order: T)'],
    ]);
  });

  it('lists typed locals, parameters, fields and top-level values in scopes; const val as constant', () => {
    const scope = facts.scopes.find((s) => s.function === 'OrderService.place');
    assert.ok(scope);
    assert.deepEqual(scope.bindings.slice(0, 6), [
      { name: 'order', type: 'T', kind: 'parameter' },
      { name: 'tags', type: 'String', kind: 'parameter' },
      { name: 'notify', type: 'Boolean', kind: 'parameter' },
      { name: 'started', type: 'Long', kind: 'local' },
      { name: 'attempts', kind: 'local' },
      { name: 'saved', kind: 'local' },
    ]);
    assert.ok(scope.bindings.some((b) => b.kind === 'field' && b.name === 'cache'));
    assert.ok(scope.bindings.some((b) => b.kind === 'module' && b.name === 'MAX_RETRIES' && b.type === 'Int'));
    assert.ok(scope.bindings.some((b) => b.kind === 'import' && b.name === 'Cash'));
    assert.ok(scope.bindings.some((b) => b.kind === 'local' && b.name === 'e' && b.type === 'IllegalStateException'));
    assert.ok(facts.scopes.find((s) => s.function === 'OrderService.loadAll')?.bindings.some((b) => b.kind === 'local' && b.name === 'id'));
    const consts = facts.identifiers.filter((i) => i.kind === 'constant').map((i) => i.name);
    assert.deepEqual(consts, ['MAX_RETRIES', 'DEFAULT_PAGE']);
  });

  it('counts try, throw, Result and nullable returns, !!, suspend and await', () => {
    assert.equal(facts.signals['error.try'], 1);
    assert.equal(facts.signals['error.throw'], 2);
    assert.equal(facts.signals['error.result'], 1);
    assert.equal(facts.signals['error.option'], 1);
    assert.equal(facts.signals['error.unwrap'], 1);
    assert.equal(facts.signals['async.function'], 2);
    assert.equal(facts.signals['async.await'], 1);
  });
});

describe('Kotlin extractor on a file with syntax errors', () => {
  it('recovers the class, the methods before the error and the TODO hole', async () => {
    const facts = await extract('broken.kt');
    assert.deepEqual(facts.imports.map((i) => i.module), ['java.time']);
    const half = facts.types.find((t) => t.name === 'Half');
    assert.deepEqual(half?.fields.map((f) => f.name), ['name']);
    assert.deepEqual(fn(facts, 'Half.ok').params, [{ name: 'a', type: 'Int' }, { name: 'b', type: 'String', default: '"x"', optional: true }]);
    assert.equal(facts.holes[0]?.enclosing?.name, 'Half.later');
  });
});

describe('Kotlin extractor on truncated input', () => {
  it('never throws and keeps the functions that end before the cut', async () => {
    await assertKeepsFunctionsBeforeCuts('kotlin', extractKotlin, 'OrderService.kt');
  });
});

describe('Kotlin extractor on a pathologically deep tree', () => {
  it('does not overflow the stack on a 20,000-term expression and still sees the function', async () => {
    const terms = deepSum(20000);
    await assertFunctionNames('kotlin', extractKotlin, `fun total() { val x = ${terms} }\n`, ['total']);
  });
});

describe('Kotlin extractor on recombined fragments (property)', () => {
  it('never throws, whatever pieces of real code are spliced together', async () => {
    await assertRobustOnRecombination('kotlin', extractKotlin, 'OrderService.kt');
  });
});
