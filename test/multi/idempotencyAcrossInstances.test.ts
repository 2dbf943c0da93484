import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { restClient, type Send } from '../helpers/restClient.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';
import { createTestDatabase } from '../helpers/testStore.js';

// Two apps, each with its own connection pool to one Postgres database of its own: two instances behind a
// load balancer, as far as idempotency keys go (they live in the database).
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const stores: Store[] = [];
const apps: StartedApp[] = [];
let instances: Send[];
let petId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  for (let i = 0; i < 2; i++) {
    const store = await openStore({ databaseUrl: database.url });
    stores.push(store);
    apps.push(await startApp({ store }));
  }
  instances = apps.map((app) => restClient(app.url, 'user-456'));
  const pets = await stores[0]!.pets.list({ limit: 100, offset: 0 });
  petId = pets.items.find((pet) => pet.stock >= 5)!.id;
});

afterAll(async () => {
  for (const app of apps) await app.close();
  for (const store of stores) await store.close();
  await database?.drop();
});

const ordersOfPet = async (): Promise<number> => {
  const [row] = await stores[0]!.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM orders WHERE pet_id = $1',
    [petId],
  );
  return row!.n;
};

describe('Idempotency-Key across instances sharing a Postgres database', () => {
  it('places one order for one key sent to two instances at once, and both answer for it', async () => {
    const before = await ordersOfPet();
    const stock = (await stores[0]!.pets.get(petId))!.stock;
    const key = randomUUID();
    const order = { petId, quantity: 1, userId: 'user-456' };
    const answers = await Promise.all(
      instances.map((send) => send('POST', '/v1/orders', order, { 'idempotency-key': key })),
    );
    expect(answers.map((answer) => answer.status)).not.toContain(500);
    expect(answers.filter((answer) => answer.status === 201).length).toBeGreaterThanOrEqual(1);
    expect(await ordersOfPet()).toBe(before + 1);
    expect((await stores[1]!.pets.get(petId))!.stock).toBe(stock - 1);

    // Whichever instance answers a retry, it replays the one order.
    const ids = new Set<string>();
    for (const send of instances) {
      const retry = await send('POST', '/v1/orders', order, { 'idempotency-key': key });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotency-replayed')).toBe('true');
      ids.add(((await retry.json()) as { id: string }).id);
    }
    expect(ids.size).toBe(1);
    expect(await ordersOfPet()).toBe(before + 1);
  });

  it('places one order for each of many keys raced over both instances', async () => {
    const before = await ordersOfPet();
    const keys = Array.from({ length: 10 }, () => randomUUID());
    const order = { petId, quantity: 1, userId: 'user-456' };
    await apps[0]!.services.inventory.update(petId, { stock: 100 });
    const answers = await Promise.all(
      keys.flatMap((key) =>
        instances.map((send) => send('POST', '/v1/orders', order, { 'idempotency-key': key })),
      ),
    );
    expect(answers.every((answer) => [201, 409].includes(answer.status))).toBe(true);
    expect(await ordersOfPet()).toBe(before + keys.length);
  });
});
