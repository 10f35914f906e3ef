import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutOfStockError, UnknownSkuError, ValidationError } from '../src/core/errors.ts';
import { normalizeSku } from '../src/core/validate.ts';
import { availableQuantity, findItem, listLowStock, receiveStock, shipStock } from '../src/stock/warehouse.ts';
import { sampleWarehouse } from './fixtures.ts';

test('SKUs are normalized and checked', () => {
  assert.equal(normalizeSku(' abc-0001 '), 'ABC-0001');
  assert.throws(() => normalizeSku('AB-1'), ValidationError);
});

test('available quantity is on hand less reserved', () => {
  const warehouse = sampleWarehouse();
  assert.equal(availableQuantity(warehouse, 'ABC-0001'), 10);
  assert.equal(availableQuantity(warehouse, 'xyz-0100'), 2);
  assert.throws(() => findItem(warehouse, 'QQQ-0000'), UnknownSkuError);
});

test('receiving and shipping change units on hand', () => {
  const warehouse = sampleWarehouse();
  assert.equal(receiveStock(warehouse, 'ABC-0002', 5).onHand, 8);
  assert.equal(shipStock(warehouse, 'ABC-0002', 8).onHand, 0);
  assert.throws(() => shipStock(warehouse, 'ABC-0002', 1), OutOfStockError);
  assert.throws(() => receiveStock(warehouse, 'ABC-0002', 0), ValidationError);
});

test('low stock lists items at or below their reorder point, by SKU', () => {
  const warehouse = sampleWarehouse();
  assert.deepEqual(listLowStock(warehouse).map((item) => item.sku), ['ABC-0002', 'XYZ-0100']);
});
