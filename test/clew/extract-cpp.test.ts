import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { extractCpp } from '../../src/clew/languages/cpp.ts';
import { fixtureExtractor, functionsNamed as fns, onlyFunction as fn, findType as type, assertRobustOnDamage } from '../helpers/clew-fixtures.ts';
import type { ExtractedFacts } from '../../src/clew/languages/types.ts';

const extract = fixtureExtractor('cpp', extractCpp);

describe('C++ extractor on cache.hpp', () => {
  let facts: ExtractedFacts;
  before(async () => { facts = await extract('cache.hpp'); });

  it('reads a template class: namespaces as container, type params with defaults, bases, doc', () => {
    const c = type(facts, 'Cache');
    assert.equal(c.kind, 'class');
    assert.equal(c.container, 'acme.storage');
    assert.deepEqual(c.typeParams, ['typename K', 'typename V = std::string']);
    assert.deepEqual(c.bases, ['Flushable', 'std::enable_shared_from_this<Cache<K, V>>']);
    assert.equal(c.doc, 'A bounded key/value cache.');
    assert.deepEqual(c.fields.map((f) => [f.name, f.type]), [
      ['entries_', 'std::map<K, V>'], ['capacity_', 'std::size_t'], ['policy_', 'Policy'], ['stats_', 'Stats'],
    ]);
    assert.ok(c.methods.includes('get(key: const K&): std::optional<V>'));
    assert.ok(c.methods.includes('emplace<typename... Args>(key: const K&, ...args: Args&&): void'));
  });

  it('merges in-class declarations with out-of-line definitions (defaults, attributes, access)', () => {
    const ctor = fns(facts, 'acme.storage.Cache.Cache').find((f) => f.params.length === 2);
    assert.ok(ctor);
    assert.equal(ctor.kind, 'constructor');
    assert.deepEqual(ctor.params, [
      { name: 'capacity', type: 'std::size_t', default: 'kDefaultCapacity', optional: true },
      { name: 'policy', type: 'Policy', default: 'Policy::Lru', optional: true },
    ]);
    const get = fn(facts, 'acme.storage.Cache.get');
    assert.equal(get.line, 64, 'the definition is kept');
    assert.deepEqual(get.decorators, ['nodiscard']);
    assert.equal(get.returnType, 'std::optional<V>');
    assert.deepEqual(get.typeParams, ['typename K', 'typename V']);
    const evict = fn(facts, 'acme.storage.Cache.evict');
    assert.equal(evict.visibility, 'protected');
    assert.equal(evict.exported, false);
    assert.equal(fn(facts, 'acme.storage.Cache.global').static, true);
  });

  it('reads access sections, variadic templates, destructors, pure virtuals and inline methods', () => {
    const emplace = fn(facts, 'acme.storage.Cache.emplace');
    assert.deepEqual(emplace.params, [{ name: 'key', type: 'const K&' }, { name: 'args', type: 'Args&&', variadic: true }]);
    assert.deepEqual(emplace.typeParams, ['typename... Args']);
    assert.equal(fn(facts, 'acme.storage.Flushable.~Flushable').kind, 'method');
    assert.equal(fn(facts, 'acme.storage.Flushable.flush').returnType, 'void');
    const size = fn(facts, 'acme.storage.Cache.size');
    assert.equal(size.returnType, 'std::size_t');
    assert.equal(size.visibility, 'public');
    assert.ok(facts.scopes.some((s) => s.function === 'acme.storage.Cache.size'));
  });

  it('reads free functions: trailing return types, namespace-qualified definitions, anonymous namespaces', () => {
    assert.equal(fn(facts, 'acme.make_default').returnType, 'std::unique_ptr<storage::Cache<int>>');
    const conf = fn(facts, 'acme.storage.configure');
    assert.equal(conf.kind, 'function');
    assert.equal(conf.line, 114);
    assert.deepEqual(conf.params, [
      { name: 'names', type: 'const std::vector<std::string>&' },
      { name: 'retries', type: 'int', default: '3', optional: true },
    ]);
    const bump = fn(facts, 'acme.bump');
    assert.equal(bump.exported, false);
    assert.ok(!facts.exports.some((e) => e.name === 'bump' || e.name === 'hidden_counter'));
  });

  it('reads enums (scoped and plain), nested structs and using aliases', () => {
    assert.deepEqual(type(facts, 'Policy').members, ['Lru', 'Fifo']);
    assert.deepEqual(type(facts, 'Level').members, ['LOW', 'HIGH']);
    const stats = type(facts, 'Stats');
    assert.equal(stats.container, 'acme.storage.Cache');
    assert.deepEqual(stats.fields.map((f) => f.name), ['hits', 'misses']);
    const sc = type(facts, 'StringCache');
    assert.equal(sc.kind, 'type_alias');
    assert.equal(sc.aliasOf, 'Cache<std::string>');
  });

  it('reads includes and using declarations as imports', () => {
    assert.deepEqual(facts.imports.map((i) => [i.module, i.names.map((n) => n.name).join(','), i.wildcard]), [
      ['map', '', false], ['memory', '', false], ['optional', '', false], ['string', '', false], ['vector', '', false],
      ['config.h', '', false], ['std::chrono_literals', '', true], ['std', 'string', false],
    ]);
  });

  it('finds throws with a "not implemented" message as holes', () => {
    assert.deepEqual(facts.holes.map((h) => [h.kind, h.text, h.enclosing?.name]), [
      ['not_implemented', 'throw std::logic_error("not implemented")', 'acme.storage.Cache.evict'],
    ]);
  });

  it('builds scopes: params, locals, class fields for out-of-line members, namespace names', () => {
    const s = facts.scopes.find((x) => x.function === 'acme.storage.Cache.flush');
    assert.ok(s);
    const get = (n: string) => s.bindings.find((b) => b.name === n);
    assert.deepEqual(get('dropped'), { name: 'dropped', type: 'int', kind: 'local' });
    assert.deepEqual(get('entries_'), { name: 'entries_', type: 'std::map<K, V>', kind: 'field' });
    assert.deepEqual(get('kDefaultCapacity'), { name: 'kDefaultCapacity', type: 'constexpr int', kind: 'module' });
    assert.equal(get('Lru'), undefined, 'enum class members are not bare names');
    assert.deepEqual(get('LOW'), { name: 'LOW', type: 'Level', kind: 'module' });
    const g = facts.scopes.find((x) => x.function === 'acme.storage.Cache.get');
    assert.deepEqual(g?.bindings.find((b) => b.name === 'it'), { name: 'it', kind: 'local' }, 'auto locals have no written type');
    const put = facts.scopes.find((x) => x.function === 'acme.storage.Cache.put');
    assert.deepEqual(put?.bindings.find((b) => b.name === 'e'), { name: 'e', type: 'const std::exception&', kind: 'local' });
    const conf = facts.scopes.find((x) => x.function === 'acme.storage.configure');
    assert.deepEqual(conf?.bindings.filter((b) => b.kind === 'local'), [{ name: 'joined', type: 'std::string', kind: 'local' }, { name: 'n', kind: 'local' }]);
  });

  it('counts try/throw, optional returns and annotated returns', () => {
    assert.equal(facts.signals['error.try'], 1);
    assert.equal(facts.signals['error.throw'], 2);
    assert.equal(facts.signals['error.option'], 2);
    assert.equal(facts.signals['types.return_unannotated'], undefined);
  });
});

describe('C++ extractor on a file with syntax errors', () => {
  it('recovers the namespace, struct and functions without throwing', async () => {
    const facts = await extract('broken.cpp');
    assert.deepEqual(type(facts, 'Point').fields.map((f) => f.name), ['x', 'y']);
    const label = fn(facts, 'app.label');
    assert.deepEqual(label.params, [{ name: 'p', type: 'const Point&' }]);
    assert.equal(facts.holes.length, 1);
    assert.equal(facts.holes[0]!.enclosing?.signature, 'app.label(p: const Point&): std::string');
    assert.deepEqual(facts.scopes.find((s) => s.function === 'app.label')?.bindings.find((b) => b.name === 'out'), { name: 'out', type: 'std::string', kind: 'local' });
  });
});

describe('cpp extractor on damaged input', () => {
  it('never throws on truncated or gapped versions of cache.hpp', async () => {
    await assertRobustOnDamage('cpp', extractCpp, 'cache.hpp');
  });
});
