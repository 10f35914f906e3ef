/** Target specs as written on the command line (src/braid/target.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatTarget, parseTarget } from '../../src/braid/index.ts';
import { AnankeError } from '../../src/core/index.ts';

test('every kind parses, and formats back to the same spec', () => {
  const specs = [
    'function:src/a.ts:add', 'function:src/a.ts:Store.load', 'body:lib/x.py:run', 'new:src/a.ts:12',
    'fim:src/a.ts:3:5-4:1', 'module:python', 'json:schema.json', 'function:C:\\code\\a.ts:add',
  ];
  for (const s of specs) assert.equal(formatTarget(parseTarget(s, { signature: 'function f()' })), s);
  assert.deepEqual(parseTarget('fim:a:b.ts:3:5-4:1'), { kind: 'fim', file: 'a:b.ts', start: { line: 3, column: 5 }, end: { line: 4, column: 1 } });
  assert.deepEqual(parseTarget('new:x.go:7', { signature: 'func F()' }), { kind: 'new', file: 'x.go', line: 7, signature: 'func F()' });
});

test('bad specs are USAGE errors that say what was expected', () => {
  const bad: Array<[string, RegExp]> = [
    ['function', /nothing after the kind/], ['lambda:x.ts:f', /unknown kind 'lambda'/], ['function:x.ts', /expected <file>:<name>/],
    ['function:x.ts:1abc', /not a function name/], ['new:x.ts:3', /--signature/], ['new:x.ts:0', /positive integer/],
    ['fim:x.ts:3:5', /<line>:<col>-<line>:<col>/], ['fim:x.ts:4:1-3:1', /ends before it starts/], ['module:cobol', /unknown language/],
  ];
  for (const [spec, re] of bad) {
    assert.throws(() => parseTarget(spec, spec === 'new:x.ts:0' ? { signature: 'f()' } : {}), (e: unknown) => e instanceof AnankeError && e.code === 'USAGE' && re.test(e.message), spec);
  }
});

test('any string either parses or is a USAGE error (never a crash)', () => {
  fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => {
    try {
      parseTarget(s, { signature: 'f()' });
    } catch (e) {
      return e instanceof AnankeError && e.code === 'USAGE';
    }
    return true;
  }), { numRuns: 500 });
});
