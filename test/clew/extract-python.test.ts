import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FileFacts, FunctionFact } from '../../src/core/index.ts';
import { extractFile } from '../../src/clew/extract-file.ts';
import { qualifiedName } from '../../src/clew/languages/common.ts';
import { SIGNAL } from '../../src/clew/signals.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/clew/python/inventory.py', import.meta.url));

let cached: FileFacts | undefined;
async function inventory(): Promise<FileFacts> {
  cached ??= await extractFile('inventory.py', readFileSync(FIXTURE, 'utf8'), 'python');
  return cached;
}

function fn(f: FileFacts, qname: string): FunctionFact {
  const found = f.functions.find((x) => qualifiedName(x) === qname);
  assert.ok(found, `no function ${qname} in ${f.functions.map(qualifiedName).join(', ')}`);
  return found;
}

test('python: functions, methods, parameters and decorators', async () => {
  const f = await inventory();
  assert.deepEqual(f.functions.map(qualifiedName), [
    'Notifier.notify', 'Inventory.__init__', 'Inventory.level', 'Inventory.reserve', 'Inventory.sync',
    'Inventory.forecast', 'Inventory.parse_sku', 'Inventory._audit', 'restock_all', 'restock_all.one', 'batches',
  ]);
  const init = fn(f, 'Inventory.__init__');
  assert.equal(init.kind, 'constructor');
  assert.deepEqual(init.params, [
    { name: 'self' },
    { name: 'backend', type: 'Backend' },
    { name: 'warehouse', type: 'str', optional: true, default: 'DEFAULT_WAREHOUSE' },
    { name: 'notifier', type: 'Optional[Notifier]', optional: true, default: 'None' },
  ]);
  const sync = fn(f, 'Inventory.sync');
  assert.equal(sync.async, true);
  assert.equal(sync.returnType, 'int');
  assert.deepEqual(sync.params.slice(1), [{ name: 'skus', type: 'str', variadic: true }, { name: 'options', type: 'Any', variadic: true }]);

  const reserve = fn(f, 'Inventory.reserve');
  assert.equal(reserve.doc, 'Reserves stock; returns False when there is not enough.');
  assert.equal(reserve.line, 55);
  assert.equal(reserve.column, 5);
  assert.equal(reserve.exported, true);

  const parse = fn(f, 'Inventory.parse_sku');
  assert.deepEqual(parse.decorators, ['staticmethod']);
  assert.equal(parse.static, true);
  assert.equal(parse.returnType, 'tuple[str, str]');

  assert.equal(fn(f, 'Inventory._audit').visibility, 'protected');
  assert.equal(fn(f, 'batches').generator, true);
  assert.equal(fn(f, 'batches').exported, false); // not in __all__
  assert.equal(fn(f, 'restock_all.one').container, 'restock_all');
  assert.equal(fn(f, 'restock_all').exported, true);
});

test('python: classes, dataclasses, enums and protocols', async () => {
  const f = await inventory();
  const byName = new Map(f.types.map((t) => [t.name, t]));
  const inv = byName.get('Inventory')!;
  assert.equal(inv.kind, 'class');
  assert.equal(inv.doc, 'Stock levels for one warehouse.');
  assert.deepEqual(inv.fields.map((x) => [x.name, x.type]), [
    ['low_water_mark', 'int'], ['backend', 'Backend'], ['warehouse', 'str'], ['_counts', 'dict[str, int]'], ['notifier', 'Optional[Notifier]'],
  ]);
  assert.ok(inv.methods.includes('reserve(self, sku: str, quantity: int = 1): bool'));

  const item = byName.get('Item')!;
  assert.equal(item.kind, 'record');
  assert.deepEqual(item.fields.map((x) => `${x.name}:${x.type}`), ['sku:str', 'name:str', 'price:float', 'tags:list[str]']);

  const level = byName.get('StockLevel')!;
  assert.equal(level.kind, 'enum');
  assert.deepEqual(level.members, ['EMPTY', 'LOW', 'OK']);
  assert.deepEqual(level.bases, ['Enum']);

  assert.equal(byName.get('Notifier')!.kind, 'protocol');
  assert.equal(byName.get('Notifier')!.exported, false);
});

test('python: imports and __all__ exports', async () => {
  const f = await inventory();
  assert.deepEqual(f.imports, [
    { module: '__future__', names: [{ name: 'annotations' }], wildcard: false, line: 2 },
    { module: 'asyncio', names: [], wildcard: false, line: 4 },
    { module: 'logging', names: [], alias: 'log', wildcard: false, line: 5 },
    { module: 'dataclasses', names: [{ name: 'dataclass' }, { name: 'field' }], wildcard: false, line: 6 },
    { module: 'enum', names: [{ name: 'Enum' }], wildcard: false, line: 7 },
    { module: 'typing', names: [{ name: 'Any' }, { name: 'Iterable' }, { name: 'Optional' }, { name: 'Protocol' }], wildcard: false, line: 8 },
    { module: '.storage', names: [{ name: 'Backend' }, { name: 'connect', alias: 'open_backend' }], wildcard: false, line: 10 },
  ]);
  assert.deepEqual(f.exports.map((e) => `${e.kind}:${e.name}`), ['type:Item', 'type:Inventory', 'type:StockLevel', 'function:restock_all']);
});

test('python: holes, scopes and style signals', async () => {
  const f = await inventory();
  assert.deepEqual(f.holes.map((h) => `${h.kind}@${h.line}:${h.enclosing?.name}`), [
    'todo@76:Inventory.forecast', 'not_implemented@77:Inventory.forecast', 'placeholder@84:Inventory._audit',
  ]);
  assert.equal(f.holes[0]!.text, 'TODO: use the sales history instead of a flat rate');
  assert.equal(f.holes[1]!.enclosing!.signature, 'Inventory.forecast(self, sku: str, days: int): float');
  // The protocol's `...` body is a declaration, not a hole.
  assert.ok(!f.holes.some((h) => h.enclosing?.name === 'Notifier.notify'));

  const scope = f.scopes.find((s) => s.function === 'Inventory.reserve')!;
  const b = new Map(scope.bindings.map((x) => [x.name, x]));
  assert.deepEqual(b.get('self'), { name: 'self', type: 'Inventory', kind: 'parameter' });
  assert.deepEqual(b.get('quantity'), { name: 'quantity', type: 'int', kind: 'parameter' });
  assert.deepEqual(b.get('available'), { name: 'available', type: 'int', kind: 'local' });
  assert.deepEqual(b.get('self._counts'), { name: 'self._counts', type: 'dict[str, int]', kind: 'field' });
  assert.equal(b.get('open_backend')?.kind, 'import');
  assert.equal(b.get('DEFAULT_WAREHOUSE')?.kind, 'module');
  const sync = new Map(f.scopes.find((s) => s.function === 'Inventory.sync')!.bindings.map((x) => [x.name, x]));
  assert.equal(sync.get('skus')?.type, 'tuple[str, ...]');
  assert.equal(sync.get('options')?.type, 'dict[str, Any]');
  assert.equal(sync.get('rows')?.kind, 'local');
  // A nested function sees its parent's parameters.
  const one = f.scopes.find((s) => s.function === 'restock_all.one')!;
  assert.ok(one.bindings.some((x) => x.name === 'inventories' && x.type === 'Iterable[Inventory]'));

  const s = f.signals;
  assert.equal(s[SIGNAL.TRY], 1);
  assert.equal(s[SIGNAL.THROW], 2);
  assert.equal(s[SIGNAL.AWAIT], 3);
  assert.equal(s[SIGNAL.ASYNC_FN], 3);
  assert.equal(s[SIGNAL.ANY], 1); // `**options: Any`, not the import
  assert.equal(s[SIGNAL.RETURN_ANNOTATED], 6);
  assert.equal(s[SIGNAL.PARAM_UNANNOTATED], 4); // amount, inv, items, size (self is not counted)

  const idents = f.identifiers;
  assert.ok(idents.some((i) => i.name === 'DEFAULT_WAREHOUSE' && i.kind === 'constant'));
  assert.ok(idents.some((i) => i.name === 'available' && i.kind === 'variable'));
  assert.ok(idents.some((i) => i.name === '_counts' && i.kind === 'field'));
  assert.deepEqual(f.diagnostics, []);
});

test('python: newer syntax (PEP 695 generics, type statements, match)', async () => {
  const src = [
    'type Pair[T] = tuple[T, T]',
    'def first[T](xs: list[T], /, default: T | None = None) -> T | None:',
    '    match xs:',
    '        case [x, *_]:',
    '            return x',
    '    return default',
    'class Box[T]:',
    '    def get(self) -> T: ...',
  ].join('\n');
  const f = await extractFile('new.py', src, 'python');
  assert.deepEqual(f.types.map((t) => `${t.kind}:${t.name}`), ['type_alias:Pair', 'class:Box']);
  assert.equal(f.types[0]!.aliasOf, 'tuple[T, T]');
  assert.deepEqual(f.types[1]!.typeParams, ['T']);
  const first = f.functions[0]!;
  assert.deepEqual(first.typeParams, ['T']);
  assert.deepEqual(first.params.map((p) => p.name), ['xs', 'default']);
  assert.equal(first.returnType, 'T | None');
  assert.equal(f.signals[SIGNAL.OPTION_RETURN], 1);
  assert.deepEqual(f.diagnostics, []);
});

test('python: names in __all__ that were imported are re-exports', async () => {
  const src = 'from .core import Engine, run as go\nfrom os import *\n__all__ = ["Engine", "go", "helper"]\ndef helper(): return 1\ndef _private(): return 2\n';
  const f = await extractFile('pkg/__init__.py', src, 'python');
  assert.deepEqual(f.exports, [
    { name: 'Engine', kind: 'reexport', from: '.core', line: 3 },
    { name: 'go', kind: 'reexport', from: '.core', line: 3 },
    { name: 'helper', kind: 'function', line: 4 },
  ]);
  assert.deepEqual(f.imports[1], { module: 'os', names: [], wildcard: true, line: 2 });
  assert.deepEqual(f.functions.map((x) => `${x.name}:${x.exported}`), ['helper:true', '_private:false']);
});
