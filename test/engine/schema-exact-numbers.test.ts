/** Exact decimals of JSON numbers (src/engine/schema/exact-numbers.ts), which the post-check relies on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstInexactNumber, heldExactly, isMultiple } from '../../src/engine/schema/exact-numbers.ts';

test('heldExactly: the text writes the value of the double JSON.parse makes of it', () => {
  for (const t of ['0', '-0', '1', '1.0', '1E+2', '100', '0.1', '19.99', '-2.5e-3', '1e21', '1.7976931348623157e308', '9007199254740992', '0.000'])
    assert.equal(heldExactly(t), true, t);
  for (const t of ['1e400', '-1e400', '1e-400', '9007199254740993', '0.10000000000000000001', '12345678901234567890'])
    assert.equal(heldExactly(t), false, t);
});

test('firstInexactNumber: scans numbers outside strings, escapes included', () => {
  assert.equal(firstInexactNumber('{"a": [1, 2.5, {"b": -3e2}], "c": "1e400 \\" 9007199254740993"}'), undefined);
  assert.equal(firstInexactNumber('{"a\\"1e400": 1, "b": [0.5, 9007199254740993, 1e400]}'), '9007199254740993');
  assert.equal(firstInexactNumber('1e-400'), '1e-400');
});

test('isMultiple: exact on the decimals, whatever floating division says', () => {
  assert.equal(isMultiple(0.3, 0.1), true);
  assert.equal(isMultiple(1e-7, 1e-8), true);
  assert.equal(isMultiple(1.5e-8, 1e-8), false);
  assert.equal(isMultiple(1e21, 3), false);
  assert.equal(isMultiple(3e21, 3), true);
  assert.equal(isMultiple(0, 7), true);
  assert.equal(isMultiple(-14, 7), true);
  assert.equal(isMultiple(4.5, 1.5), true);
  assert.equal(isMultiple(4.6, 1.5), false);
  assert.equal(isMultiple(Infinity, 1), false);
});
