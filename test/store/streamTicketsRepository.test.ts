import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/openStore.js';
import { openTestStore } from '../helpers/testStore.js';
import { petCreate } from './petFixture.js';

let store: Store;
let orderId: string;

beforeAll(async () => {
  store = await openTestStore();
  const pet = await store.pets.create(petCreate({ stock: 5 }));
  orderId = (await store.orders.create({ petId: pet.id, quantity: 1, userId: 'user-456' })).order.id;
});

afterAll(async () => {
  await store.close();
});

const newHash = () => createHash('sha256').update(randomBytes(32)).digest('hex');
const inSeconds = (seconds: number, from = new Date()) => new Date(from.getTime() + seconds * 1000);
const grant = (expiresInS = 30) => ({
  userId: 'user-456',
  orderId,
  expiresAt: inSeconds(expiresInS),
  credentialExpiresAt: inSeconds(3600),
});

describe('stream tickets', () => {
  it('gives a ticket back once with what it grants, then never again', async () => {
    const hash = newHash();
    const granted = grant();
    await store.streamTickets.add(hash, granted);
    expect(await store.streamTickets.take(hash)).toEqual(granted);
    expect(await store.streamTickets.take(hash)).toBeUndefined();
  });

  it('gives a ticket to exactly one of many concurrent takers', async () => {
    const hash = newHash();
    await store.streamTickets.add(hash, grant());
    const taken = await Promise.all(Array.from({ length: 8 }, () => store.streamTickets.take(hash)));
    expect(taken.filter((result) => result !== undefined)).toHaveLength(1);
  });

  it('does not give back an expired ticket, or an unknown one', async () => {
    const hash = newHash();
    const created = inSeconds(-120);
    await store.streamTickets.add(
      hash,
      { ...grant(), expiresAt: inSeconds(30, created), credentialExpiresAt: inSeconds(60, created) },
      { now: created },
    );
    expect(await store.streamTickets.take(hash)).toBeUndefined();
    expect(await store.streamTickets.take(newHash())).toBeUndefined();
  });

  it('deletes expired tickets when a new one is added', async () => {
    const stale = newHash();
    const created = inSeconds(-120);
    await store.streamTickets.add(stale, { ...grant(), expiresAt: inSeconds(1, created) }, { now: created });
    await store.streamTickets.add(newHash(), grant());
    const rows = await store.db.query('SELECT 1 FROM stream_tickets WHERE ticket_hash = $1', [stale]);
    expect(rows).toEqual([]);
  });

  it('refuses to store a ticket itself instead of its hash, or one that outlives its credential', async () => {
    await expect(store.streamTickets.add('st_not-a-hash', grant())).rejects.toMatchObject({ code: '23514' });
    const outliving = { ...grant(), credentialExpiresAt: inSeconds(10) };
    await expect(store.streamTickets.add(newHash(), outliving)).rejects.toMatchObject({ code: '23514' });
  });
});
