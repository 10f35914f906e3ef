import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../ts-inventory/src/core/errors.ts';
import { normalizeSku } from '../../ts-inventory/src/core/validate.ts';

test('SKUs are trimmed and upper-cased', () => {
  assert.equal(normalizeSku('ABC-0001'), 'ABC-0001');
  assert.equal(normalizeSku('  xyz-0100 '), 'XYZ-0100');
});

test('malformed SKUs are refused, naming the field', () => {
  for (const bad of ['', 'AB-0001', 'ABCD-0001', 'ABC-001', 'ABC0001', 'ABC-00011']) {
    assert.throws(() => normalizeSku(bad), (e: unknown) => e instanceof ValidationError && e.field === 'sku', bad);
  }
});
