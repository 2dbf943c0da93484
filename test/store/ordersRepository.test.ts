import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Order } from '../../generated/validators/schemas.js';
import { ConflictError } from '../../src/store/errors/ConflictError.js';
import { InsufficientStockError } from '../../src/store/errors/InsufficientStockError.js';
import { NotFoundError } from '../../src/store/errors/NotFoundError.js';
import type { Store } from '../../src/store/openStore.js';
import { openTestStore } from '../helpers/testStore.js';
import { expectValid } from './expectValid.js';
import { petCreate } from './petFixture.js';

const UNKNOWN_ID = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';

let store: Store;

beforeAll(async () => {
  store = await openTestStore();
});

afterAll(async () => {
  await store.close();
});

function newPet(stock: number, price = 249.99) {
  return store.pets.create(petCreate({ stock, price }));
}

function placeOrder(petId: string, quantity = 1, userId = 'user-456') {
  return store.orders.create({ petId, userId, quantity });
}

async function stockOf(petId: string): Promise<number | undefined> {
  return (await store.pets.get(petId))?.stock;
}

async function shippedOrder(petId: string) {
  const { id } = (await placeOrder(petId)).order;
  await store.orders.advance(id, 'payment_confirmed');
  await store.orders.advance(id, 'preparing_shipment');
  return store.orders.advance(id, 'shipped');
}

describe('ordersRepository.create', () => {
  it('takes stock and records the order as payment_processing with its first history entry', async () => {
    const pet = await newPet(3);
    const now = new Date('2026-11-24T10:15:30.123Z');
    const { order, stockChange } = await store.orders.create(
      { petId: pet.id, userId: 'user-456', quantity: 2 },
      { now },
    );
    expectValid(Order, order);
    expect(order).toMatchObject({
      petId: pet.id,
      userId: 'user-456',
      quantity: 2,
      unitPrice: 249.99,
      total: 499.98,
      status: 'payment_processing',
      history: [{ status: 'payment_processing', timestamp: now.toISOString() }],
      createdAt: now.toISOString(),
    });
    expect(order).not.toHaveProperty('trackingNumber');
    expect(stockChange).toEqual({ petId: pet.id, old: 3, new: 1 });
    expect(await store.pets.get(pet.id)).toMatchObject({ stock: 1, updatedAt: now.toISOString() });
    expect(await store.orders.get(order.id)).toEqual(order);
  });

  it('refuses more than the stock with a conflict and leaves the stock unchanged', async () => {
    const pet = await newPet(2);
    const attempt = placeOrder(pet.id, 3);
    await expect(attempt).rejects.toBeInstanceOf(InsufficientStockError);
    await expect(attempt).rejects.toMatchObject({ code: 'conflict', requested: 3, available: 2 });
    await expect(attempt).rejects.toThrow(/has 2 in stock but the order asked for 3/);
    expect(await stockOf(pet.id)).toBe(2);
    expect(await store.db.query('SELECT 1 FROM orders WHERE pet_id = $1', [pet.id])).toEqual([]);
  });

  it('signals an unknown pet or user as not found', async () => {
    const pet = await newPet(2);
    await expect(placeOrder(UNKNOWN_ID)).rejects.toMatchObject({ code: 'not_found', entity: 'pet' });
    await expect(placeOrder('nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(placeOrder(pet.id, 1, 'nobody')).rejects.toMatchObject({
      code: 'not_found',
      entity: 'user',
    });
    expect(await stockOf(pet.id)).toBe(2);
  });

  it('refuses an order whose total would exceed the largest price', async () => {
    const pet = await newPet(10, 150_000);
    await expect(placeOrder(pet.id, 7)).rejects.toBeInstanceOf(ConflictError);
    expect(await stockOf(pet.id)).toBe(10);
  });

  it('lets exactly 5 of 20 concurrent orders through for a stock of 5, never going negative', async () => {
    const pet = await newPet(5);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => placeOrder(pet.id, 1, 'user-123')),
    );
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(fulfilled).toHaveLength(5);
    expect(rejected.every((result) => result.reason instanceof InsufficientStockError)).toBe(true);
    expect(fulfilled.map((result) => result.value.stockChange.new).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await stockOf(pet.id)).toBe(0);
  });
});

describe('ordersRepository.advance', () => {
  it('moves an order through the flow in order, appending to its history', async () => {
    const pet = await newPet(1);
    const { order } = await placeOrder(pet.id);
    const confirmed = await store.orders.advance(order.id, 'payment_confirmed');
    const preparing = await store.orders.advance(order.id, 'preparing_shipment');
    const shipped = await store.orders.advance(order.id, 'shipped', { trackingNumber: 'TRK7K2M9Q4X1Z' });
    for (const each of [confirmed, preparing, shipped]) expectValid(Order, each);
    expect(shipped.status).toBe('shipped');
    expect(shipped.trackingNumber).toBe('TRK7K2M9Q4X1Z');
    expect(shipped.history.map((entry) => entry.status)).toEqual([
      'payment_processing',
      'payment_confirmed',
      'preparing_shipment',
      'shipped',
    ]);
  });

  it('refuses to skip a step, go back, or move after shipping', async () => {
    const pet = await newPet(2);
    const { order } = await placeOrder(pet.id);
    await expect(store.orders.advance(order.id, 'shipped')).rejects.toBeInstanceOf(ConflictError);
    await store.orders.advance(order.id, 'payment_confirmed');
    await expect(store.orders.advance(order.id, 'payment_confirmed')).rejects.toThrow(
      /is payment_confirmed; it can become payment_confirmed only from payment_processing/,
    );
    const shipped = await shippedOrder(pet.id);
    expect(shipped.trackingNumber).toMatch(/^TRK[0-9A-Z]{10}$/);
    await expect(store.orders.advance(shipped.id, 'shipped')).rejects.toMatchObject({ code: 'conflict' });
    expect((await store.orders.get(order.id))?.history).toHaveLength(2);
  });

  it('signals an unknown order as not found', async () => {
    await expect(store.orders.advance(UNKNOWN_ID, 'payment_confirmed')).rejects.toMatchObject({
      code: 'not_found',
      entity: 'order',
    });
    expect(await store.orders.get(UNKNOWN_ID)).toBeUndefined();
    expect(await store.orders.get('nope')).toBeUndefined();
  });
});

describe('ordersRepository.cancel', () => {
  it('returns the stock in the same transaction and ends the history with cancelled', async () => {
    const pet = await newPet(4);
    const { order } = await placeOrder(pet.id, 3);
    await store.orders.advance(order.id, 'payment_confirmed');
    const { order: cancelled, stockChange } = await store.orders.cancel(order.id);
    expectValid(Order, cancelled);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.history.at(-1)?.status).toBe('cancelled');
    expect(stockChange).toEqual({ petId: pet.id, old: 1, new: 4 });
    expect(await stockOf(pet.id)).toBe(4);
    await expect(store.orders.cancel(order.id)).rejects.toBeInstanceOf(ConflictError);
    expect(await stockOf(pet.id)).toBe(4);
  });

  it('is refused after shipping, keeping the stock taken', async () => {
    const pet = await newPet(1);
    const shipped = await shippedOrder(pet.id);
    await expect(store.orders.cancel(shipped.id)).rejects.toThrow(
      /is shipped and can no longer be cancelled/,
    );
    expect(await stockOf(pet.id)).toBe(0);
    expect((await store.orders.get(shipped.id))?.status).toBe('shipped');
  });
});

describe('ordersRepository.listUnfinished', () => {
  it('lists the orders neither shipped nor cancelled, oldest first', async () => {
    const pet = await newPet(3);
    const open = await placeOrder(pet.id);
    const cancelled = await placeOrder(pet.id);
    await store.orders.cancel(cancelled.order.id);
    const shipped = await shippedOrder(pet.id);
    const unfinished = await store.orders.listUnfinished();
    for (const each of unfinished) expectValid(Order, each);
    const ids = unfinished.map((order) => order.id);
    expect(ids).toContain(open.order.id);
    expect(ids).not.toContain(cancelled.order.id);
    expect(ids).not.toContain(shipped.id);
    expect(unfinished.every((order) => order.status !== 'shipped' && order.status !== 'cancelled')).toBe(
      true,
    );
    const order = unfinished.map((each) => `${each.createdAt} ${each.id}`);
    expect([...order].sort()).toEqual(order);
  });
});
