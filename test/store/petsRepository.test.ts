import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { Pet, PetList } from '../../generated/validators/schemas.js';
import type { Store } from '../../src/store/openStore.js';
import { openTestStore } from '../helpers/testStore.js';
import { expectValid } from './expectValid.js';

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const biscuit: components['schemas']['PetCreate'] = {
  name: 'Biscuit',
  species: 'dog',
  breed: 'Beagle',
  size: 'medium',
  ageMonths: 8,
  traits: ['playful', 'good-with-kids'],
  description: 'Loves long walks and longer naps.',
  price: 399,
  stock: 2,
};

let store: Store;

beforeAll(async () => {
  store = await openTestStore();
});

afterAll(async () => {
  await store.close();
});

describe('petsRepository', () => {
  it('lists a first page of 20, oldest first, with the total over all pages', async () => {
    const page = await store.pets.list();
    expectValid(PetList, page);
    expect(page.items).toHaveLength(20);
    const all = await store.pets.all();
    expect(page.total).toBe(all.length);
    expect(page.items).toEqual(all.slice(0, 20));
    const order = all.map((pet) => `${pet.createdAt} ${pet.id}`);
    expect([...order].sort()).toEqual(order);
  });

  it('filters by species and size and pages with limit and offset', async () => {
    const cats = await store.pets.list({ species: 'cat', limit: 100 });
    expect(cats.items.length).toBe(cats.total);
    expect(cats.items.every((pet) => pet.species === 'cat')).toBe(true);
    const smallCats = await store.pets.list({ species: 'cat', size: 'small', limit: 2, offset: 1 });
    expect(smallCats.items).toHaveLength(2);
    expect(smallCats.items.every((pet) => pet.species === 'cat' && pet.size === 'small')).toBe(true);
    expect(smallCats.items[0]).toEqual(cats.items.filter((pet) => pet.size === 'small')[1]);
    expect(await store.pets.list({ species: 'cat', offset: 1000 })).toEqual({ items: [], total: cats.total });
  });

  it('creates a pet with a UUIDv7 id, exact cents and schema defaults', async () => {
    const now = new Date('2026-11-24T10:15:30.123Z');
    const pet = await store.pets.create({ ...biscuit, price: 19.99 }, { now });
    expectValid(Pet, pet);
    expect(pet.id).toMatch(UUIDV7);
    expect(pet).toMatchObject({ price: 19.99, createdAt: now.toISOString(), updatedAt: now.toISOString() });
    expect(await store.pets.get(pet.id)).toEqual(pet);
    const bare = await store.pets.create({ ...biscuit, traits: undefined, description: undefined } as never);
    expect(bare).toMatchObject({ traits: [], description: '' });
  });

  it('keeps prices exact to the cent', async () => {
    for (const price of [0, 0.07, 0.29, 1234.56, 999999.99]) {
      const pet = await store.pets.create({ ...biscuit, price });
      expect((await store.pets.get(pet.id))?.price).toBe(price);
    }
  });

  it('updates only the given fields and updatedAt', async () => {
    const pet = await store.pets.create(biscuit);
    const now = new Date(Date.parse(pet.updatedAt) + 1000);
    const updated = await store.pets.update(
      pet.id,
      { description: 'Now house-trained.', traits: ['playful', 'house-trained'] },
      { now },
    );
    expectValid(Pet, updated);
    expect(updated).toEqual({
      ...pet,
      description: 'Now house-trained.',
      traits: ['playful', 'house-trained'],
      updatedAt: now.toISOString(),
    });
  });

  it('answers undefined for an unknown or malformed id', async () => {
    expect(await store.pets.get('0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90')).toBeUndefined();
    expect(await store.pets.get('not-a-uuid')).toBeUndefined();
    expect(
      await store.pets.update('0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90', { name: 'Ghost' }),
    ).toBeUndefined();
  });

  it('returns every pet for the recommender, newest last', async () => {
    const pet = await store.pets.create(biscuit, { now: new Date('2099-01-01T00:00:00.000Z') });
    const all = await store.pets.all();
    expect(all.at(-1)).toEqual(pet);
    for (const each of all) expectValid(Pet, each);
  });
});
