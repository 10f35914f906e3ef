import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FileFacts, FunctionFact, Language } from '../../src/core/index.ts';
import { extractFile } from '../../src/clew/extract-file.ts';
import { qualifiedName, signatureText } from '../../src/clew/languages/common.ts';
import { SIGNAL } from '../../src/clew/signals.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/clew/typescript/', import.meta.url));

async function facts(file: string, language: Language): Promise<FileFacts> {
  return extractFile(file, readFileSync(FIXTURES + file, 'utf8'), language);
}

function fn(f: FileFacts, qname: string): FunctionFact {
  const found = f.functions.find((x) => qualifiedName(x) === qname);
  assert.ok(found, `no function ${qname} in ${f.functions.map(qualifiedName).join(', ')}`);
  return found;
}

test('typescript: functions, methods and their parameters', async () => {
  const f = await facts('order-service.ts', 'typescript');
  assert.deepEqual(f.functions.map(qualifiedName), [
    'OrderRepository.find', 'OrderRepository.save', 'OrderService.constructor', 'OrderService.placeOrder',
    'OrderService.findOrder', 'OrderService.refund', 'OrderService.format', 'OrderService.onShipped',
    'OrderService.[Symbol.dispose]', 'batches', 'totalOf', 'loadLegacy',
  ]);
  const place = fn(f, 'OrderService.placeOrder');
  assert.equal(place.kind, 'method');
  assert.equal(place.async, true);
  assert.equal(place.returnType, 'Promise<OrderId>');
  assert.deepEqual(place.params, [
    { name: 'items', type: 'LineItem[]' },
    { name: 'currency', type: 'string', optional: true, default: 'DEFAULT_CURRENCY' },
  ]);
  assert.equal(place.doc, 'Places an order and returns its id.');
  assert.equal(place.line, 46);
  assert.equal(place.column, 3);

  const ctor = fn(f, 'OrderService.constructor');
  assert.equal(ctor.kind, 'constructor');
  assert.deepEqual(ctor.params.map((p) => p.name), ['repo', 'logger', 'retries']);

  const format = fn(f, 'OrderService.format');
  assert.equal(format.visibility, 'protected');
  assert.equal(format.static, true);
  assert.deepEqual(format.params[1], { name: 'tags', type: 'string[]', variadic: true });

  const shipped = fn(f, 'OrderService.onShipped');
  assert.equal(shipped.visibility, 'private');
  assert.equal(shipped.exported, false);

  const batches = fn(f, 'batches');
  assert.equal(batches.generator, true);
  assert.deepEqual(batches.typeParams, ['T']);
  assert.equal(batches.exported, true);
  assert.equal(signatureText(batches), '*batches<T>(items: T[], size: number): Generator<T[]>');

  const total = fn(f, 'totalOf');
  assert.equal(total.kind, 'function');
  assert.equal(total.returnType, 'number');
});

test('typescript: classes, interfaces, enums and type aliases', async () => {
  const f = await facts('order-service.ts', 'typescript');
  const svc = f.types.find((t) => t.name === 'OrderService')!;
  assert.equal(svc.kind, 'class');
  assert.deepEqual(svc.bases, ['EventEmitter', 'Disposable']);
  assert.equal(svc.doc, 'Places and tracks orders.\nEmits `placed` after an order is stored.');
  // Constructor parameter properties are fields too.
  assert.deepEqual(svc.fields.map((x) => [x.name, x.type]), [
    ['cache', undefined], ['instances', undefined], ['repo', 'OrderRepository'], ['logger', 'Logger'], ['retries', 'number'],
  ]);
  assert.ok(svc.methods.includes('async findOrder(id: OrderId): Promise<Order | undefined>'));

  const repo = f.types.find((t) => t.name === 'OrderRepository')!;
  assert.equal(repo.kind, 'interface');
  assert.deepEqual(repo.typeParams, ['K = string']);
  assert.deepEqual(repo.methods, ['find(id: K): Promise<Order | undefined>', 'save(order: Order): Promise<void>']);

  const item = f.types.find((t) => t.name === 'LineItem')!;
  assert.deepEqual(item.fields.map((x) => `${x.name}:${x.type}`), ['sku:string', 'quantity:number', 'unitPrice:number']);

  const status = f.types.find((t) => t.name === 'OrderStatus')!;
  assert.equal(status.kind, 'enum');
  assert.deepEqual(status.members, ['Pending', 'Paid', 'Shipped']);

  const order = f.types.find((t) => t.name === 'Order')!;
  assert.equal(order.kind, 'type_alias');
  assert.deepEqual(order.fields.map((x) => x.name), ['id', 'items', 'status', 'total']);
  assert.equal(f.types.find((t) => t.name === 'OrderId')!.aliasOf, 'string & { readonly brand: unique symbol }');
});

test('typescript: imports and exports', async () => {
  const f = await facts('order-service.ts', 'typescript');
  assert.deepEqual(f.imports, [
    { module: 'node:events', names: [{ name: 'EventEmitter' }], wildcard: false, line: 1 },
    { module: './logger.ts', names: [{ name: 'Logger' }], wildcard: false, typeOnly: true, line: 2 },
    { module: './metrics.ts', names: [], alias: 'metrics', wildcard: true, line: 3 },
    { module: './db.ts', names: [{ name: 'default', alias: 'db' }, { name: 'transaction', alias: 'tx' }, { name: 'Connection' }], wildcard: false, line: 4 },
  ]);
  const exported = f.exports.map((e) => `${e.kind}:${e.name}`);
  for (const e of ['variable:MAX_RETRIES', 'type:OrderStatus', 'type:OrderService', 'function:batches', 'function:totalOf', 'default:default', 'variable:db']) {
    assert.ok(exported.includes(e), `missing export ${e} in ${exported.join(', ')}`);
  }
  assert.ok(!exported.some((e) => e.endsWith(':DEFAULT_CURRENCY')));
});

test('typescript: holes, scopes and style signals', async () => {
  const f = await facts('order-service.ts', 'typescript');
  const kinds = f.holes.map((h) => `${h.kind}@${h.line}:${h.enclosing?.name}`);
  assert.deepEqual(kinds, ['todo@70:OrderService.refund', 'not_implemented@72:OrderService.refund', 'fixme@95:loadLegacy']);
  assert.equal(f.holes[1]!.enclosing!.signature, 'OrderService.refund(id: OrderId, amount?: number): Promise<void>');

  const scope = f.scopes.find((s) => s.function === 'OrderService.placeOrder')!;
  const byName = new Map(scope.bindings.map((b) => [b.name, b]));
  assert.deepEqual(byName.get('items'), { name: 'items', type: 'LineItem[]', kind: 'parameter' });
  assert.deepEqual(byName.get('total'), { name: 'total', type: 'number', kind: 'local' });
  assert.equal(byName.get('order')?.kind, 'local');
  assert.deepEqual(byName.get('this.repo'), { name: 'this.repo', type: 'OrderRepository', kind: 'field' });
  assert.equal(byName.get('tx')?.kind, 'import');
  assert.equal(byName.get('MAX_RETRIES')?.kind, 'module');
  assert.equal(byName.get('totalOf')?.kind, 'module');

  const s = f.signals;
  assert.equal(s[SIGNAL.TRY], 1);
  assert.equal(s[SIGNAL.THROW], 3);
  assert.equal(s[SIGNAL.AWAIT], 1);
  assert.equal(s[SIGNAL.THEN], 1);
  assert.equal(s[SIGNAL.ANY], 1);
  assert.equal(s[SIGNAL.ASYNC_FN], 4); // three async functions and one async callback
  assert.ok((s[SIGNAL.PARAM_ANNOTATED] ?? 0) > (s[SIGNAL.PARAM_UNANNOTATED] ?? 0));
  assert.equal(s[SIGNAL.PARAM_UNANNOTATED], 1); // `retries = MAX_RETRIES`

  const consts = f.identifiers.filter((i) => i.kind === 'constant').map((i) => i.name);
  assert.deepEqual(consts, ['MAX_RETRIES', 'DEFAULT_CURRENCY']);
  assert.deepEqual(f.diagnostics, []);
});

test('tsx: components with destructured props and JSX', async () => {
  const f = await facts('user-card.tsx', 'tsx');
  assert.deepEqual(f.functions.map(qualifiedName), ['UserCard', 'Avatar', 'UserList.render']);
  const card = fn(f, 'UserCard');
  assert.equal(card.params.length, 1);
  assert.equal(card.params[0]!.name, '{ userId, onSelect, compact = false }');
  assert.equal(card.params[0]!.type, 'UserCardProps');
  assert.equal(card.returnType, 'JSX.Element | null');
  const scope = f.scopes.find((s) => s.function === 'UserCard')!;
  for (const n of ['userId', 'onSelect', 'compact', 'user', 'setUser', 'cancelled', 'useState']) {
    assert.ok(scope.bindings.some((b) => b.name === n), `scope of UserCard lacks ${n}`);
  }
  assert.deepEqual(f.types.find((t) => t.name === 'UserList')!.bases, ['React.Component<{ users: User[] }>']);
  assert.equal(f.signals[SIGNAL.THEN], 2);
  assert.deepEqual(f.diagnostics, []);
});

test('javascript: CommonJS modules, classes and callbacks', async () => {
  const f = await facts('legacy-store.js', 'javascript');
  assert.deepEqual(f.functions.map(qualifiedName), [
    'FileStore.constructor', 'FileStore.read', 'FileStore.write', 'FileStore.compact', 'openStore',
  ]);
  assert.deepEqual(fn(f, 'FileStore.constructor').params, [{ name: 'dir' }, { name: 'options', optional: true, default: '{}' }]);
  assert.deepEqual(fn(f, 'openStore').params[1], { name: 'plugins', variadic: true });
  assert.equal(f.types[0]!.doc, 'A tiny JSON file store.');
  assert.deepEqual(f.types[0]!.fields.map((x) => x.name), ['#cache', 'dir']);
  assert.deepEqual(f.imports, [
    { module: 'fs', names: [], alias: 'fs', wildcard: false, line: 2 },
    { module: 'path', names: [{ name: 'join' }, { name: 'dirname' }], wildcard: false, line: 3 },
  ]);
  assert.deepEqual(f.exports.map((e) => `${e.kind}:${e.name}`), ['type:FileStore', 'function:openStore', 'variable:STORE_VERSION']);
  assert.equal(fn(f, 'openStore').exported, true);
  assert.deepEqual(f.holes.map((h) => h.kind), ['todo', 'not_implemented']);
  assert.equal(f.signals[SIGNAL.CALLBACK], 1);
  assert.equal(f.signals[SIGNAL.PARAM_ANNOTATED], undefined);
  assert.equal(f.signals[SIGNAL.PARAM_UNANNOTATED], 8);
});

test('typescript: declarations in .d.ts style (overloads, declare, namespaces)', async () => {
  const src = [
    'declare namespace Geo.Shapes {',
    '  function area(s: Shape): number;',
    '  interface Shape { kind: string; scale(by: number): Shape }',
    '}',
    'export declare function parse(text: string): Node;',
    'export declare function parse(text: string, strict: boolean): Node;',
    'declare module "fs-extra" { export function copy(src: string, dest: string): Promise<void>; }',
    'declare global { interface Window { app(): void } }',
  ].join('\n');
  const f = await extractFile('geo.d.ts', src, 'typescript');
  assert.deepEqual(f.functions.map((x) => `${qualifiedName(x)}(${x.params.map((p) => p.name).join(',')})`), [
    'Geo.Shapes.area(s)', 'Geo.Shapes.Shape.scale(by)', 'parse(text)', 'fs-extra.copy(src,dest)', 'Window.app()',
  ]);
  // A group of bodyless declarations is one function: the first, with the others as its overloads.
  const parse = fn(f, 'parse');
  assert.equal(parse.exported, true);
  assert.deepEqual(parse.overloads, [
    { params: [{ name: 'text', type: 'string' }, { name: 'strict', type: 'boolean' }], returnType: 'Node', line: 6 },
  ]);
  assert.deepEqual(f.exports.filter((e) => e.name === 'parse').map((e) => e.line), [5]);
  assert.deepEqual(f.types.filter((t) => t.kind === 'module').map((t) => t.name), ['Geo.Shapes', 'fs-extra']);
});

test('typescript: overload signatures belong to their implementation', async () => {
  const src = [
    '/** Reads a value. */',
    'export function read(key: string): string;',
    'export function read<T>(key: string, parse: (s: string) => T): T;',
    'export function read(key: string, parse?: (s: string) => unknown): unknown { return parse ? parse(key) : key; }',
    'class Store {',
    '  get(id: number): Item;',
    '  get(ids: number[]): Item[];',
    '  get(x: number | number[]): Item | Item[] { return lookup(x); }',
    '  static get(): Store { return new Store(); }',
    '  get size(): number { return 0; }',
    '  set size(n: number) {}',
    '}',
    'interface Emitter { on(e: "a", f: () => void): this; on(e: "b", f: (n: number) => void): this; off(e: string): this }',
    'function twice(): void {}',
    'function twice(x: number): void {}',
  ].join('\n');
  const f = await extractFile('store.ts', src, 'typescript');
  assert.deepEqual(f.functions.map((x) => `${qualifiedName(x)}(${x.params.map((p) => p.name).join(',')}) ${x.overloads?.length ?? 0}`), [
    'read(key,parse) 2', 'Store.get(x) 2', 'Store.get() 0', 'Store.size() 0', 'Store.size(n) 0',
    'Emitter.on(e,f) 1', 'Emitter.off(e) 0', 'twice() 0', 'twice(x) 0',
  ]);
  const read = fn(f, 'read');
  assert.equal(read.line, 4);
  assert.deepEqual(read.overloads, [
    { params: [{ name: 'key', type: 'string' }], returnType: 'string', line: 2 },
    { params: [{ name: 'key', type: 'string' }, { name: 'parse', type: '(s: string) => T' }], returnType: 'T', typeParams: ['T'], line: 3 },
  ]);
  // The implementation has no doc comment of its own: the overloads' one describes it.
  assert.equal(read.doc, 'Reads a value.');
  assert.deepEqual(f.exports.map((e) => `${e.name}:${e.line}`), ['read:4']);
  assert.deepEqual(f.scopes.filter((s) => s.function === 'read').map((s) => s.line), [4]);
  assert.equal(f.functions.find((x) => x.name === 'on')!.overloads![0]!.params[1]!.type, '(n: number) => void');
});

test('typescript: functions in object literals are methods named by their key', async () => {
  const src = [
    'export const handler = {',
    '  get(state: State, prop: string) { return state[prop]; },',
    '  delay: (n: number) => n * 1000,',
    '  label: function () { return "x"; },',
    '  async *pages() {},',
    '  retry: { backoff(attempt) { throw new Error("not implemented"); } },',
    '  count: 3,',
    '} as const;',
    'new Proxy(target, { set(t, k, v) { return true; } });',
    'function outer() { return { inner: () => 1 }; }',
  ].join('\n');
  const f = await extractFile('handler.ts', src, 'typescript');
  assert.deepEqual(f.functions.map((x) => `${x.kind}:${qualifiedName(x)}(${x.params.map((p) => p.name).join(',')})`), [
    'method:handler.get(state,prop)', 'method:handler.delay(n)', 'method:handler.label()', 'method:handler.pages()',
    'method:handler.retry.backoff(attempt)', 'method:set(t,k,v)', 'function:outer()', 'method:outer.inner()',
  ]);
  const pages = fn(f, 'handler.pages');
  assert.equal(pages.async, true);
  assert.equal(pages.generator, true);
  assert.equal(fn(f, 'handler.delay').line, 3);
  assert.equal(f.holes[0]!.enclosing?.name, 'handler.retry.backoff');
  // Members are reached through their object: not exports, not module names of their own.
  assert.deepEqual(f.exports.map((e) => e.name), ['handler']);
  const moduleNames = f.scopes.find((s) => s.function === 'outer')!.bindings.filter((b) => b.kind === 'module').map((b) => b.name);
  assert.deepEqual(moduleNames, ['handler', 'outer']);
});

test('javascript: functions assigned to exports and prototypes', async () => {
  const src = [
    'function Queue(limit) { this.limit = limit; }',
    '/** Adds one job. */',
    'Queue.prototype.push = function (job, priority) { throw new Error("TODO"); };',
    'Queue.create = (limit) => new Queue(limit);',
    'exports.drain = async function drain(queue, cb) { await queue.flush(); };',
    'module.exports = function (opts) { return new Queue(opts.limit); };',
  ].join('\n');
  const f = await extractFile('queue.js', src, 'javascript');
  assert.deepEqual(f.functions.map((x) => `${x.kind}:${qualifiedName(x)}(${x.params.map((p) => p.name).join(',')})`), [
    'function:Queue(limit)', 'method:Queue.push(job,priority)', 'function:Queue.create(limit)', 'function:drain(queue,cb)', 'function:default(opts)',
  ]);
  const push = fn(f, 'Queue.push');
  assert.equal(push.doc, 'Adds one job.');
  assert.equal(push.line, 3);
  assert.equal(fn(f, 'drain').exported, true);
  assert.equal(fn(f, 'drain').async, true);
  assert.equal(f.holes[0]!.enclosing?.name, 'Queue.push');
  assert.deepEqual(f.exports.map((e) => `${e.kind}:${e.name}`), ['function:drain', 'default:default']);
});

test('javascript: the members of module.exports = { … } are exported functions', async () => {
  const src = 'module.exports = {\n  parse(text) { return text; },\n  stringify: (value) => String(value),\n};\n';
  const f = await extractFile('codec.js', src, 'javascript');
  assert.deepEqual(f.functions.map((x) => `${qualifiedName(x)}:${x.exported}`), ['parse:true', 'stringify:true']);
});
