import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '../../src/clew/parser.ts';
import { extractKotlin } from '../../src/clew/languages/kotlin.ts';
import type { ExtractedFacts } from '../../src/clew/languages/types.ts';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/clew/kotlin');

async function extract(file: string): Promise<ExtractedFacts> {
  const source = readFileSync(path.join(DIR, file), 'utf8');
  const tree = await parse('kotlin', source);
  try {
    return extractKotlin(tree.rootNode, source);
  } finally {
    tree.delete();
  }
}

function fn(facts: ExtractedFacts, qualified: string) {
  const f = facts.functions.find((x) => (x.container ? `${x.container}.${x.name}` : x.name) === qualified);
  assert.ok(f, `function ${qualified} not found in ${facts.functions.map((x) => x.name).join(', ')}`);
  return f;
}

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
    const source = readFileSync(path.join(DIR, 'OrderService.kt'), 'utf8');
    const full = await extract('OrderService.kt');
    for (let k = 1; k <= 12; k++) {
      const cut = Math.floor((source.length * k) / 13);
      const text = source.slice(0, cut);
      const tree = await parse('kotlin', text);
      try {
        const facts = extractKotlin(tree.rootNode, text);
        const cutLine = text.split('\n').length;
        // A function that ends well before the cut, outside any type still open there, is kept.
        const openTypes = full.types.filter((t) => t.line < cutLine && (t.endLine ?? t.line) >= cutLine);
        for (const f of full.functions) {
          if ((f.endLine ?? f.line) >= cutLine - 1 || openTypes.length > 0) continue;
          assert.ok(facts.functions.some((g) => g.name === f.name && g.line === f.line), `cut at line ${cutLine} lost ${f.name}`);
        }
      } finally {
        tree.delete();
      }
    }
  });
});

describe('Kotlin extractor on a pathologically deep tree', () => {
  it('does not overflow the stack on a 20,000-term expression and still sees the function', async () => {
    const terms = Array(20000).fill('1').join(' + ');
    const text = `fun total() { val x = ${terms} }\n`;
    const tree = await parse('kotlin', text);
    try {
      const facts = extractKotlin(tree.rootNode, text);
      assert.deepEqual(facts.functions.map((f) => f.name), ['total']);
    } finally {
      tree.delete();
    }
  });
});

describe('Kotlin extractor on recombined fragments (property)', () => {
  it('never throws, whatever pieces of real code are spliced together', async () => {
    const source = readFileSync(path.join(DIR, 'OrderService.kt'), 'utf8');
    const pieces = fc.array(fc.tuple(fc.nat(source.length), fc.nat(200)), { minLength: 1, maxLength: 30 });
    await fc.assert(fc.asyncProperty(pieces, async (cuts) => {
      const text = '' + cuts.map(([at, len]) => source.slice(at, at + len)).join('');
      const tree = await parse('kotlin', text);
      try {
        const facts = extractKotlin(tree.rootNode, text);
        for (const f of facts.functions) assert.ok(f.line >= 1 && f.column >= 1);
      } finally {
        tree.delete();
      }
    }), { numRuns: 40, seed: 7 });
  });
});
