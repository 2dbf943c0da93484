import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryItem, InventoryList } from '../../generated/validators/schemas.js';
import type { Store } from '../../src/store/openStore.js';
import { openTestStore } from '../helpers/testStore.js';
import { expectValid } from './expectValid.js';
import { petCreate } from './petFixture.js';

let store: Store;

beforeAll(async () => {
  store = await openTestStore();
});

afterAll(async () => {
  await store.close();
});

function newPet(price = 249.99, stock = 3) {
  return store.pets.create(petCreate({ price, stock }));
}

describe('inventoryRepository', () => {
  it('lists every pet with stock, price and updatedAt', async () => {
    const items = await store.inventory.list();
    expectValid(InventoryList, { items });
    expect(items.map((item) => item.petId)).toEqual((await store.pets.all()).map((pet) => pet.id));
  });

  it('reports both changes when stock and price change', async () => {
    const pet = await newPet();
    const now = new Date('2026-11-24T10:16:02.500Z');
    const result = await store.inventory.update(pet.id, { stock: 5, price: 229.99 }, { now });
    expectValid(InventoryItem, result?.item);
    expect(result).toEqual({
      item: { petId: pet.id, name: 'Whiskers', stock: 5, price: 229.99, updatedAt: now.toISOString() },
      changes: { stock: { old: 3, new: 5 }, price: { old: 249.99, new: 229.99 } },
    });
    expect(await store.pets.get(pet.id)).toMatchObject({ stock: 5, price: 229.99 });
  });

  it('reports only the values that really changed', async () => {
    const pet = await newPet();
    const onlyPrice = await store.inventory.update(pet.id, { stock: 3, price: 199 });
    expect(onlyPrice?.changes).toEqual({ price: { old: 249.99, new: 199 } });
    const onlyStock = await store.inventory.update(pet.id, { stock: 0, price: 199.0 });
    expect(onlyStock?.changes).toEqual({ stock: { old: 3, new: 0 } });
  });

  it('writes nothing when nothing changes', async () => {
    const pet = await newPet();
    const result = await store.inventory.update(
      pet.id,
      { stock: 3, price: 249.99 },
      { now: new Date(2100, 0) },
    );
    expect(result?.changes).toEqual({});
    expect(result?.item.updatedAt).toBe(pet.updatedAt);
    expect((await store.pets.get(pet.id))?.updatedAt).toBe(pet.updatedAt);
  });

  it('answers undefined for an unknown pet', async () => {
    expect(
      await store.inventory.update('0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90', { stock: 1 }),
    ).toBeUndefined();
    expect(await store.inventory.update('nope', { stock: 1 })).toBeUndefined();
  });

  it('refuses negative stock and keeps the old value', async () => {
    const pet = await newPet();
    await expect(store.inventory.update(pet.id, { stock: -1, price: 1 })).rejects.toMatchObject({
      code: '23514',
    });
    expect(await store.pets.get(pet.id)).toMatchObject({ stock: 3, price: 249.99 });
  });

  it('applies concurrent updates one after another, each seeing the previous value', async () => {
    const pet = await newPet(10, 0);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => store.inventory.update(pet.id, { stock: index + 1 })),
    );
    const next = new Map(results.map((result) => [result?.changes.stock?.old, result?.changes.stock?.new]));
    const chain = [0];
    while (next.has(chain.at(-1))) chain.push(next.get(chain.at(-1))!);
    expect(next.size).toBe(10);
    expect(chain).toHaveLength(11);
    expect((await store.pets.get(pet.id))?.stock).toBe(chain.at(-1));
  });
});
