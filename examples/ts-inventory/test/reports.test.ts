import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStockLine, stockReport, stockValue, topSellers } from '../src/reports/summary.ts';
import { adjustOnHand, MemoryStockStore } from '../src/stock/store.ts';
import { sampleItems, sampleWarehouse } from './fixtures.ts';

test('stock value and the printed report', () => {
  const warehouse = sampleWarehouse();
  assert.equal(stockValue(warehouse), 12 * 250 + 3 * 1000 + 40 * 75);
  assert.equal(formatStockLine(sampleItems()[0]!), 'ABC-0001  Widget            12  $30.00');
  assert.match(stockReport(warehouse), /\ntotal value \$90\.00$/);
});

test('top sellers add up sales per SKU', () => {
  const sales = [
    { sku: 'B', quantity: 2 }, { sku: 'A', quantity: 3 }, { sku: 'B', quantity: 1 }, { sku: 'C', quantity: 1 },
  ];
  assert.deepEqual(topSellers(sales, 2), [{ sku: 'A', quantity: 3 }, { sku: 'B', quantity: 3 }]);
});

test('the memory store copies, and adjusting never goes below zero', async () => {
  const store = new MemoryStockStore();
  await store.save(sampleItems()[1]!);
  assert.equal((await adjustOnHand(store, 'ABC-0002', -3)).onHand, 0);
  await assert.rejects(adjustOnHand(store, 'ABC-0002', -1));
  assert.equal((await store.list()).length, 1);
});
