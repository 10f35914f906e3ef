/**
 * Naming at Rust's binding sites (`let` patterns, fn and closure parameters) and Python's
 * assignment targets, which declare a variable or (at module level, UPPER_CASE) a constant
 * (src/braid/sites.ts): the grammar restricts every such site, so an enforcement entry that says
 * "enforced while decoding" is true; checked on real files of this repository.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileConstraints, emitProgramGrammar, namingRegex, type EmitRequest } from '../../src/braid/index.ts';
import { describeRule, type Constraint, type IdentifierKind, type NamingStyle, type Rule, type Severity } from '../../src/core/index.ts';
import { byteTokenizer, compile, parseLark, type ProgramLanguage } from '../../src/engine/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function naming(entries: Array<[IdentifierKind, NamingStyle]>): EmitRequest['naming'] {
  return new Map(entries.map(([k, s]) => [k, { regex: namingRegex(s), label: s, ids: [`${k}-rule`] }]));
}

function checker(language: ProgramLanguage, entries: Array<[IdentifierKind, NamingStyle]>): { ok: (t: string) => boolean; sites: Partial<Record<IdentifierKind, number>> } {
  const r = emitProgramGrammar({ language, naming: naming(entries), forbiddenNames: new Map(), start: { kind: 'module' } });
  const cg = compile(r.grammar, byteTokenizer());
  return { ok: (t) => cg.check(t).accepted, sites: r.sites };
}

function constraint(id: string, rule: Rule, severity: Severity = 'error'): Constraint {
  return { id, kind: 'syntactic', severity, priority: 10, confidence: severity === 'error' ? 1 : 0.8, source: 'user_defined', rule, description: describeRule(rule) };
}

test('Rust: let patterns, fn parameters and closure parameters follow their styles; paths, field names and match arms stay free', () => {
  const { ok, sites } = checker('rust', [['variable', 'snake_case'], ['parameter', 'snake_case']]);
  assert.equal(sites.variable, 1, 'let');
  assert.equal(sites.parameter, 2, 'fn and closure parameters');
  const fn = (body: string, params = ''): string => `fn f(${params}) {\n${body}\n}\n`;
  assert.ok(ok(fn('let total_sum = item_count; let (a_b, mut c) = (1, 2);', 'item_count: i32')));
  assert.ok(!ok(fn('', 'itemCount: i32')), 'a camelCase parameter');
  assert.ok(!ok(fn('let totalSum = 1;')), 'a camelCase let');
  assert.ok(!ok(fn('let Foo = 1;')), 'a lone name is the binding, not a path');
  assert.ok(!ok(fn('let (a, bB) = (1, 2);')), 'inside a tuple pattern');
  assert.ok(!ok(fn('let Point { x: pX, .. } = p;')), 'a struct pattern\'s binding');
  assert.ok(ok(fn('let Point { xY: p_x, .. } = p;')), 'the field name is a reference');
  assert.ok(!ok(fn('let Point { xY, .. } = p;')), 'a shorthand field binds its name');
  assert.ok(ok(fn('let Some(x) = opt else { return; };')), 'a tuple-struct path stays free');
  assert.ok(ok(fn('let E::A = e else { return; };')), 'a path of two segments');
  assert.ok(ok(fn('let c = |item_x: i32, y| item_x + y;')));
  assert.ok(!ok(fn('let c = |itemX: i32| itemX;')), 'a camelCase closure parameter');
  assert.ok(ok(fn('match x { Foo => 1, Some(aB) => 2, _ => 3 }; if let Some(zZ) = y {}')), 'match and if-let patterns are checked after');
  assert.ok(ok(fn('callSomething(otherThing);', '&self, mut buf: Vec<u8>, _: i32')));
});

test('Rust: a real file reads whole with its own styles, and not with a let or a parameter renamed', () => {
  const text = fs.readFileSync(path.join(ROOT, 'test/fixtures/clew/rust/inventory.rs'), 'utf8');
  const { ok } = checker('rust', [['variable', 'snake_case'], ['parameter', 'snake_case'], ['function', 'snake_case'], ['type', 'PascalCase']]);
  assert.ok(ok(text), 'inventory.rs as it is');
  assert.ok(text.includes('let before: u32'));
  assert.ok(!ok(text.replace('let before: u32', 'let beforeQty: u32').replace('(before + amount', '(beforeQty + amount')), 'a let renamed');
  assert.ok(!ok(text.replace('sku: &str) -> Option<&Item<T>> {', 'skuId: &str) -> Option<&Item<T>> {')), 'a parameter renamed');
  assert.ok(!ok(text.replace('.map(|i| i.price_cents', '.map(|iT| i.price_cents')), 'a closure parameter renamed');
});

test('Python: an assignment target is a variable or an UPPER_CASE constant; with the constant rule soft the site is still restricted', () => {
  // Variable hard, constant soft: the variable rule is reported "enforced while decoding", and is.
  const rules = [
    constraint('vars', { type: 'naming', identifierKind: 'variable', style: 'snake_case', language: 'python' }),
    constraint('consts', { type: 'naming', identifierKind: 'constant', style: 'SCREAMING_SNAKE_CASE', language: 'python' }, 'warning'),
  ];
  const { ir } = compileConstraints(rules, { target: { kind: 'module', language: 'python' }, language: 'python' });
  const vars = ir.enforcement.find((e) => e.id === 'vars')!;
  assert.equal(vars.mode, 'decode', vars.reason);
  assert.equal(ir.enforcement.find((e) => e.id === 'consts')!.mode, 'advisory');
  const cg = compile(parseLark(ir.grammar), byteTokenizer());
  const ok = (t: string): boolean => cg.check(t).accepted;
  assert.ok(ok('total_sum = 1\nMAX_SIZE = 3\n'));
  assert.ok(!ok('totalSum = 1\n'), 'a camelCase variable at module level');
  assert.ok(!ok('x = 1\nfor i in y:\n    totalSum = i\n'));
  // In a function body every assigned name is a variable (Clew): UPPER_CASE too.
  const body = compileConstraints(rules, { target: { kind: 'body', file: 'x.py', name: 'f' }, language: 'python', fn: { name: 'f', async: false, kind: 'function' } }).ir;
  assert.equal(body.enforcement.find((e) => e.id === 'vars')!.mode, 'decode');
  const bg = compile(parseLark(body.grammar), byteTokenizer());
  assert.ok(bg.check('\n    total_sum = 1\n    return total_sum\n').accepted, bg.check('\n    total_sum = 1\n    return total_sum\n').message);
  assert.ok(!bg.check('\n    totalSum = 1\n').accepted);
  assert.ok(!bg.check('\n    TOTAL = 1\n').accepted, 'an UPPER_CASE name in a function is a variable');
});

test('Python: the real ledger modules read whole under snake_case variables with their UPPER_CASE constants free, and not with one renamed', () => {
  const { ok } = checker('python', [['variable', 'snake_case']]);
  let checked = 0;
  for (const f of ['money.py', 'fx.py', 'importer.py', 'accounts.py']) {
    const text = fs.readFileSync(path.join(ROOT, 'examples/py-ledger/ledger', f), 'utf8');
    assert.ok(ok(text), `${f} as it is`);
    checked++;
  }
  const money = fs.readFileSync(path.join(ROOT, 'examples/py-ledger/ledger/money.py'), 'utf8');
  assert.ok(money.includes('ZERO = Decimal'));
  assert.ok(!ok(money.replace('ZERO = Decimal', 'zeroValue = Decimal')), 'a module-level variable in camelCase');
  assert.equal(checked, 4);
});
