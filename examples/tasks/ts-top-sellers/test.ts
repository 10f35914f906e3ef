import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topSellers } from '../../ts-inventory/src/reports/summary.ts';

const sales = [
  { sku: 'B', quantity: 2 }, { sku: 'A', quantity: 3 }, { sku: 'B', quantity: 1 },
  { sku: 'C', quantity: 1 }, { sku: 'D', quantity: 7 }, { sku: 'C', quantity: 3 },
];

test('units per SKU, most first, ties by SKU', () => {
  assert.deepEqual(topSellers(sales, 3), [{ sku: 'D', quantity: 7 }, { sku: 'C', quantity: 4 }, { sku: 'A', quantity: 3 }]);
  assert.deepEqual(topSellers(sales, 10).map((t) => t.sku), ['D', 'C', 'A', 'B']);
});

test('no sales, or a limit of zero', () => {
  assert.deepEqual(topSellers([], 5), []);
  assert.deepEqual(topSellers(sales, 0), []);
});
