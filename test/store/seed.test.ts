import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pet, User } from '../../generated/validators/schemas.js';
import type { Store } from '../../src/store/openStore.js';
import { seed } from '../../src/store/seed.js';
import { SEED_PETS } from '../../src/store/seedCatalog.js';
import { SEED_USERS } from '../../src/store/seedUsers.js';
import { openTestStore } from '../helpers/testStore.js';
import { expectAllValid, expectValid } from './expectValid.js';

const SPECIES = ['dog', 'cat', 'bird', 'rabbit', 'fish', 'reptile', 'hamster', 'guinea-pig'];

let store: Store;

beforeAll(async () => {
  store = await openTestStore({ fromScratch: true });
});

afterAll(async () => {
  await store.close();
});

describe('seed', () => {
  it('fills the catalog with at least 60 valid pets over all eight species', async () => {
    const pets = await store.pets.all();
    expect(pets.length).toBeGreaterThanOrEqual(60);
    expect(new Set(pets.map((pet) => pet.species))).toEqual(new Set(SPECIES));
    expectAllValid(Pet, pets);
    expect(pets).toEqual(SEED_PETS);
  });

  it('has realistic stock and prices: some sold out, some last units, prices in cents', async () => {
    const pets = await store.pets.all();
    expect(pets.filter((pet) => pet.stock === 0).length).toBeGreaterThanOrEqual(3);
    expect(pets.filter((pet) => pet.stock === 1).length).toBeGreaterThanOrEqual(3);
    expect(pets.every((pet) => pet.stock >= 0 && pet.stock <= 10)).toBe(true);
    expect(pets.every((pet) => pet.price >= 19.99 && pet.price <= 1500)).toBe(true);
    expect(pets.every((pet) => Number.isInteger(Math.round(pet.price * 100)))).toBe(true);
  });

  it('gives the same ids on every start', () => {
    expect(SEED_PETS[0]?.id).toBe('01a05c32-5e80-74f8-aac0-2241f16ff51b');
    expect(SEED_PETS[1]?.id).toBe('01a05cd7-2a00-731d-8b51-61bbeccc24b0');
    expect(new Set(SEED_PETS.map((pet) => pet.id)).size).toBe(SEED_PETS.length);
  });

  it('creates user-456, who prefers calm, affectionate small or medium cats and likes a few', async () => {
    const user = await store.users.get('user-456');
    expectValid(User, user);
    expect(user?.preferences).toMatchObject({
      species: ['cat'],
      sizes: ['small', 'medium'],
      maxPrice: 300,
      traits: ['calm', 'affectionate'],
    });
    expect(user?.likedPetIds.length).toBeGreaterThanOrEqual(2);
    expect(user?.likedPetIds.length).toBeLessThanOrEqual(3);
    const liked = await Promise.all(user!.likedPetIds.map((id) => store.pets.get(id)));
    expect(liked.map((pet) => pet?.species)).toEqual(liked.map(() => 'cat'));
  });

  it('creates every demo user valid, with different tastes', async () => {
    expect(SEED_USERS.length).toBeGreaterThanOrEqual(5);
    const users = await Promise.all(SEED_USERS.map((user) => store.users.get(user.id)));
    expectAllValid(User, users);
    expect(users.find((user) => user?.id === 'user-123')?.preferences).toMatchObject({
      species: ['dog'],
      traits: ['good-with-kids', 'energetic'],
    });
  });

  it('does nothing when the catalog is not empty', async () => {
    const before = await store.pets.list({ limit: 1 });
    expect(await seed(store.db)).toBe(false);
    expect((await store.pets.list({ limit: 1 })).total).toBe(before.total);
  });
});
