import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/openStore.js';
import { MIGRATION_VERSIONS } from '../helpers/testStore.js';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'petstore-store-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('openStore with a data folder', () => {
  it('keeps pets, orders and likes across close and reopen without seeding twice', async () => {
    const first = await openStore({ dataDir });
    const pet = await first.pets.create({
      name: 'Biscuit',
      species: 'dog',
      breed: 'Beagle',
      size: 'medium',
      ageMonths: 8,
      price: 399,
      stock: 2,
    });
    const { order } = await first.orders.create({ petId: pet.id, userId: 'user-123', quantity: 1 });
    await first.users.like('user-123', pet.id);
    const total = (await first.pets.list()).total;
    await first.close();

    const second = await openStore({ dataDir });
    try {
      expect(await second.pets.get(pet.id)).toEqual({ ...pet, stock: 1, updatedAt: order.createdAt });
      expect(await second.orders.get(order.id)).toEqual(order);
      expect((await second.users.get('user-123'))?.likedPetIds).toContain(pet.id);
      expect((await second.pets.list()).total).toBe(total);
      const versions = await second.db.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions).toEqual(MIGRATION_VERSIONS.map((version) => ({ version })));
    } finally {
      await second.close();
    }
  }, 120_000); // initdb of a new folder, then a reopen: ~8 s on a quiet machine, over 30 s on a busy one
});
