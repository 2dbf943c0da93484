import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/Db.js';
import { migrate } from '../../src/store/migrate.js';
import { MIGRATION_VERSIONS, openTestDb } from '../helpers/testStore.js';

const PET_ID = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';
const ORDER_ID = '0193a5c4-1d2e-7f30-8a41-b2c3d4e5f607';

let db: Db;

beforeAll(async () => {
  db = await openTestDb();
});

afterAll(async () => {
  await db.close();
});

function insertPet(overrides: Record<string, unknown> = {}) {
  const row = {
    id: PET_ID,
    name: 'Whiskers',
    species: 'cat',
    breed: 'Maine Coon',
    size: 'medium',
    age_months: 18,
    traits: ['calm'],
    description: '',
    price_cents: 24999,
    stock: 3,
    ...overrides,
  };
  return db.query(
    `INSERT INTO pets (id, name, species, breed, size, age_months, traits, description, price_cents, stock, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), now())`,
    Object.values(row),
  );
}

const checkViolation = { code: '23514' };

describe('migrate', () => {
  it('applies every migration once and records it', async () => {
    expect(MIGRATION_VERSIONS.slice(0, 3)).toEqual(['001_initial', '002_stream_tickets', '003_event_log']);
    expect(await migrate(db)).toEqual(MIGRATION_VERSIONS);
    const rows = await db.query<{ version: string }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((row) => row.version)).toEqual(MIGRATION_VERSIONS);
  });

  it('is idempotent on restart and when run twice at once', async () => {
    expect(await migrate(db)).toEqual([]);
    expect(await Promise.all([migrate(db), migrate(db)])).toEqual([[], []]);
    const [count] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(count?.n).toBe(MIGRATION_VERSIONS.length);
  });
});

describe('CHECK constraints', () => {
  it('refuse negative stock', async () => {
    await expect(insertPet({ stock: -1 })).rejects.toMatchObject(checkViolation);
    await insertPet();
    await expect(db.query('UPDATE pets SET stock = stock - 4 WHERE id = $1', [PET_ID])).rejects.toMatchObject(
      checkViolation,
    );
    const [pet] = await db.query<{ stock: number }>('SELECT stock FROM pets WHERE id = $1', [PET_ID]);
    expect(pet?.stock).toBe(3);
  });

  it.each([
    ['a negative price', { price_cents: -1 }],
    ['an unknown species', { species: 'dragon' }],
    ['an unknown size', { size: 'huge' }],
    ['an age over 600 months', { age_months: 601 }],
    ['an empty name', { name: '' }],
    ['a trait that is not kebab case', { traits: ['Good With Kids'] }],
    ['a repeated trait', { traits: ['calm', 'calm'] }],
    ['more than 20 traits', { traits: Array.from({ length: 21 }, (_, i) => `trait-${'x'.repeat(i + 1)}`) }],
  ])('refuse a pet with %s', async (_, overrides) => {
    await expect(
      insertPet({ id: '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a91', ...overrides }),
    ).rejects.toMatchObject(checkViolation);
  });

  it('refuse invalid user ids and unknown preference keys', async () => {
    await expect(db.query("INSERT INTO users (id, name) VALUES ('user 1', 'A')")).rejects.toMatchObject(
      checkViolation,
    );
    await expect(
      db.query(`INSERT INTO users (id, name, preferences) VALUES ('user-1', 'A', '{"colour": "red"}')`),
    ).rejects.toMatchObject(checkViolation);
  });

  it('refuse orders outside 1..10 units and shipped orders without a tracking number', async () => {
    await db.query("INSERT INTO users (id, name) VALUES ('user-2', 'B')");
    const insertOrder = (quantity: number, status: string, tracking: string | null) =>
      db.query(
        `INSERT INTO orders (id, pet_id, user_id, quantity, unit_price_cents, status, tracking_number, created_at, updated_at)
         VALUES ($1, $2, 'user-2', $3, 100, $4, $5, now(), now())`,
        [ORDER_ID, PET_ID, quantity, status, tracking],
      );
    await expect(insertOrder(11, 'payment_processing', null)).rejects.toMatchObject(checkViolation);
    await expect(insertOrder(0, 'payment_processing', null)).rejects.toMatchObject(checkViolation);
    await expect(insertOrder(1, 'shipped', null)).rejects.toMatchObject(checkViolation);
    await expect(insertOrder(1, 'lost', null)).rejects.toMatchObject(checkViolation);
    await expect(insertOrder(1, 'payment_processing', 'TRK7K2M9Q4X1Z')).rejects.toMatchObject(checkViolation);
    await expect(insertOrder(1, 'shipped', 'TRK7K2M9Q4X1Z')).resolves.toEqual([]);
  });
});
