import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { extractZig } from '../../src/clew/languages/zig.ts';
import { fixtureExtractor, findFunction as fn, assertKeepsFunctionsBeforeCuts, deepSum, assertFunctionNames, assertRobustOnRecombination } from '../helpers/clew-fixtures.ts';
import type { ExtractedFacts } from '../../src/clew/languages/types.ts';

const extract = fixtureExtractor('zig', extractZig);

describe('Zig extractor on ring_buffer.zig', () => {
  let facts: ExtractedFacts;
  before(async () => { facts = await extract('ring_buffer.zig'); });

  it('reads parameters with anytype and comptime, return types and pub', () => {
    const format = fn(facts, 'format');
    assert.deepEqual(format.params, [
      { name: 'writer', type: 'anytype' },
      { name: 'fmt', type: 'comptime []const u8' },
      { name: 'args', type: 'anytype' },
    ]);
    assert.equal(format.returnType, '!void');
    assert.equal(format.exported, true);
    assert.equal(fn(facts, 'parsePolicy').exported, false);
    assert.equal(fn(facts, 'parsePolicy').returnType, '?Policy');
    assert.deepEqual(fn(facts, 'ring_version').decorators, ['export']);
    assert.equal(fn(facts, 'ring_version').exported, true);
  });

  it('treats a function returning `type` as a generic struct with its methods', () => {
    const rb = fn(facts, 'RingBuffer');
    assert.deepEqual(rb.typeParams, ['T']);
    assert.equal(rb.doc, 'A ring buffer of `T`, allocated once.');
    const t = facts.types.find((x) => x.name === 'RingBuffer');
    assert.ok(t);
    assert.equal(t.kind, 'struct');
    assert.deepEqual(t.typeParams, ['T']);
    assert.deepEqual(t.fields.map((f) => [f.name, f.type]), [['items', '[]T'], ['head', 'usize'], ['len', 'usize'], ['policy', 'Policy']]);
    assert.deepEqual(t.methods, [
      'init(allocator: Allocator, capacity: usize): !Self',
      'deinit(self: *Self, allocator: Allocator): void',
      'push(self: *Self, item: T): Error!void',
      'pop(self: *Self): ?T',
      'resize(self: *Self, allocator: Allocator, new_capacity: usize): !void',
    ]);
    const init = fn(facts, 'RingBuffer.init');
    assert.equal(init.kind, 'method');
    assert.equal(init.doc, 'Allocates room for `capacity` items.');
    assert.deepEqual(init.params, [{ name: 'allocator', type: 'Allocator' }, { name: 'capacity', type: 'usize' }]);
    assert.equal(fn(facts, 'RingBuffer.resize').visibility, 'private');
  });

  it('records structs, enums (with tag type), tagged unions and error sets', () => {
    const point = facts.types.find((x) => x.name === 'Point');
    assert.deepEqual(point?.fields, [{ name: 'x', type: 'f32', line: 72 }, { name: 'y', type: 'f32', line: 73 }]);
    assert.deepEqual(point?.methods, ['scale(self: Point, factor: f32): Point', 'dist(self: Point, other: Point): f32']);
    assert.equal(point?.exported, true);
    const policy = facts.types.find((x) => x.name === 'Policy');
    assert.equal(policy?.kind, 'enum');
    assert.deepEqual(policy?.members, ['overwrite', 'reject']);
    assert.deepEqual(policy?.bases, ['u8']);
    assert.equal(policy?.doc, 'How a buffer behaves when it is full.');
    const slot = facts.types.find((x) => x.name === 'Slot');
    assert.equal(slot?.kind, 'union');
    assert.equal(slot?.exported, false);
    assert.deepEqual(facts.types.find((x) => x.name === 'Error')?.members, ['Full', 'Empty', 'OutOfMemory']);
  });

  it('reads @import bound to a const, including member imports and pub re-exports', () => {
    assert.deepEqual(facts.imports.map((i) => [i.module, i.alias, i.names]), [
      ['std', 'std', []],
      ['builtin', 'builtin', []],
      ['std', undefined, [{ name: 'mem.Allocator' }]],
      ['testing.zig', 'testing', []],
    ]);
    assert.deepEqual(facts.exports.find((e) => e.name === 'testing'), { name: 'testing', kind: 'reexport', from: 'testing.zig', line: 6 });
  });

  it('finds @panic("TODO") and `unreachable; // TODO` holes', () => {
    assert.deepEqual(facts.holes.map((h) => [h.kind, h.line, h.enclosing?.signature]), [
      ['todo', 66, 'RingBuffer.resize(self: *Self, allocator: Allocator, new_capacity: usize): !void'],
      ['todo', 113, 'compress(data: []const u8): []u8'],
    ]);
  });

  it('lists typed consts as scope bindings; top-level const as constant; test locals stay out', () => {
    const push = facts.scopes.find((s) => s.function === 'RingBuffer.push');
    assert.ok(push);
    assert.deepEqual(push.bindings.slice(0, 3), [
      { name: 'self', type: '*Self', kind: 'parameter' },
      { name: 'item', type: 'T', kind: 'parameter' },
      { name: 'tail', type: 'usize', kind: 'local' },
    ]);
    assert.ok(push.bindings.some((b) => b.kind === 'field' && b.name === 'self.items' && b.type === '[]T'));
    // `init` has no receiver, so the fields are not in reach by name there.
    assert.ok(!facts.scopes.find((s) => s.function === 'RingBuffer.init')?.bindings.some((b) => b.kind === 'field'));
    assert.ok(facts.scopes.find((s) => s.function === 'Point.dist')?.bindings.some((b) => b.name === 'self.x' && b.type === 'f32'));
    assert.ok(push.bindings.some((b) => b.kind === 'import' && b.name === 'std'));
    assert.ok(push.bindings.some((b) => b.kind === 'module' && b.name === 'DEFAULT_CAPACITY' && b.type === 'usize'));
    assert.ok(!push.bindings.some((b) => b.name === 'buf'));
    assert.ok(facts.scopes.find((s) => s.function === 'loadConfig')?.bindings.some((b) => b.kind === 'local' && b.name === 'err'));
    const top = facts.identifiers.filter((i) => i.line <= 10).map((i) => [i.name, i.kind]);
    assert.deepEqual(top, [['mem', 'constant'], ['DEFAULT_CAPACITY', 'constant'], ['global_counter', 'variable']]);
  });

  it('counts try, catch, catch unreachable, .?, error unions, optional returns and anytype', () => {
    assert.equal(facts.signals['error.question'], 5);
    assert.equal(facts.signals['error.try'], 1);
    assert.equal(facts.signals['error.unwrap'], 2);
    assert.equal(facts.signals['error.err_return'], 5);
    assert.equal(facts.signals['error.option'], 2);
    assert.equal(facts.signals['error.throw'], 2);
    assert.equal(facts.signals['types.any'], 2);
  });
});

describe('Zig extractor on a file with syntax errors', () => {
  it('keeps the good function, recovers the broken ones by name, and attaches the hole', async () => {
    const facts = await extract('broken.zig');
    assert.deepEqual(facts.functions.map((f) => f.name), ['ok', 'broken', 'later']);
    assert.deepEqual(fn(facts, 'ok').params, [{ name: 'a', type: 'i32' }, { name: 'b', type: 'i32' }]);
    assert.deepEqual(fn(facts, 'broken').params, [{ name: 'x' }]);
    assert.equal(facts.holes.length, 1);
    assert.equal(facts.holes[0]?.enclosing?.name, 'later');
    assert.deepEqual(facts.imports.map((i) => i.module), ['std']);
  });
});

describe('Zig extractor on truncated input', () => {
  it('never throws and keeps the functions that end before the cut', async () => {
    await assertKeepsFunctionsBeforeCuts('zig', extractZig, 'ring_buffer.zig');
  });
});

describe('Zig extractor on a pathologically deep tree', () => {
  it('does not overflow the stack on a 20,000-term expression and still sees the function', async () => {
    const terms = deepSum(20000);
    await assertFunctionNames('zig', extractZig, `fn total() void { const x = ${terms}; }\n`, ['total']);
  });
});

describe('Zig extractor on recombined fragments (property)', () => {
  it('never throws, whatever pieces of real code are spliced together', async () => {
    await assertRobustOnRecombination('zig', extractZig, 'ring_buffer.zig');
  });
});
