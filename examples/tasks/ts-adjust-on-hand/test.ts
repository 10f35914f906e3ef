import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnknownSkuError, ValidationError } from '../../ts-inventory/src/core/errors.ts';
import { adjustOnHand, MemoryStockStore } from '../../ts-inventory/src/stock/store.ts';

async function sampleStore(): Promise<MemoryStockStore> {
  const store = new MemoryStockStore();
  await store.save({ sku: 'ABC-0001', name: 'Widget', onHand: 5, reserved: 0, unitCostCents: 250, reorderPoint: 1 });
  return store;
}

test('adds and removes units, and saves them', async () => {
  const store = await sampleStore();
  assert.equal((await adjustOnHand(store, 'ABC-0001', 3)).onHand, 8);
  assert.equal((await adjustOnHand(store, 'ABC-0001', -8)).onHand, 0);
  assert.equal((await store.load('ABC-0001')).onHand, 0);
});

test('never below zero; unknown SKUs fail', async () => {
  const store = await sampleStore();
  await assert.rejects(adjustOnHand(store, 'ABC-0001', -6), ValidationError);
  assert.equal((await store.load('ABC-0001')).onHand, 5);
  await assert.rejects(adjustOnHand(store, 'QQQ-0001', 1), UnknownSkuError);
});
