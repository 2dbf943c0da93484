import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdempotencyKeyId, Store, StoredResponse } from '../../src/store/index.js';
import { openTestStore } from '../helpers/testStore.js';

let store: Store;

beforeAll(async () => {
  store = await openTestStore({ seed: false });
});

afterAll(async () => {
  await store.close();
});

const newKey = (overrides: Partial<IdempotencyKeyId> = {}): IdempotencyKeyId => ({
  operationId: 'createOrder',
  principal: 'user-456',
  key: randomUUID(),
  ...overrides,
});
const fingerprintOf = (text: string) => createHash('sha256').update(text).digest('hex');
const ORDER = fingerprintOf('POST /v1/orders {"quantity":1}');
const OTHER = fingerprintOf('POST /v1/orders {"quantity":2}');
const T0 = new Date('2026-12-07T12:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const LIFE = { ttlSeconds: 3600, leaseSeconds: 60 };
const ANSWER: StoredResponse = {
  status: 201,
  headers: { 'content-type': 'application/json; charset=utf-8', location: '/v1/orders/x' },
  body: '{"id":"x","note":"ünïcode ✓"}',
};

async function claimed(id: IdempotencyKeyId, fingerprint = ORDER, now = T0): Promise<string> {
  const result = await store.idempotencyKeys.claim(id, fingerprint, { ...LIFE, now });
  if (!result.claimed) throw new Error(`expected to claim ${id.key}, found ${JSON.stringify(result.record)}`);
  return result.claimToken;
}

describe('idempotency keys', () => {
  it('lets the first claim run, then shows the key pending to the next, and complete with its answer once stored', async () => {
    const id = newKey();
    const token = await claimed(id);
    expect(await store.idempotencyKeys.claim(id, ORDER, { ...LIFE, now: at(1) })).toEqual({
      claimed: false,
      record: { state: 'pending', fingerprint: ORDER },
    });
    expect(await store.idempotencyKeys.complete(id, token, ANSWER)).toBe(true);
    expect(await store.idempotencyKeys.claim(id, OTHER, { ...LIFE, now: at(2) })).toEqual({
      claimed: false,
      record: { state: 'complete', fingerprint: ORDER, response: ANSWER },
    });
  });

  it('gives a key to exactly one of many concurrent claims', async () => {
    const id = newKey();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => store.idempotencyKeys.claim(id, ORDER, { ...LIFE, now: T0 })),
    );
    expect(results.filter((result) => result.claimed)).toHaveLength(1);
  });

  it('scopes a key to its operation and principal', async () => {
    const id = newKey();
    await claimed(id);
    await claimed({ ...id, principal: 'user-123' });
    await claimed({ ...id, principal: '' });
    await claimed({ ...id, operationId: 'createPet' });
  });

  it('frees a released claim for the next request, and ignores a release or completion by a stale token', async () => {
    const id = newKey();
    const first = await claimed(id);
    await store.idempotencyKeys.release(id, first);
    const second = await claimed(id, OTHER);
    await store.idempotencyKeys.release(id, first);
    expect(await store.idempotencyKeys.complete(id, first, ANSWER)).toBe(false);
    expect(await store.idempotencyKeys.complete(id, second, ANSWER)).toBe(true);
    await store.idempotencyKeys.release(id, second);
    const held = await store.idempotencyKeys.claim(id, ORDER, { ...LIFE, now: at(1) });
    expect(held).toMatchObject({ claimed: false, record: { state: 'complete' } });
  });

  it('claims an expired key anew, and lets a claim whose lease ran out be taken over', async () => {
    const done = newKey();
    await store.idempotencyKeys.complete(done, await claimed(done), ANSWER);
    expect(await store.idempotencyKeys.claim(done, ORDER, { ...LIFE, now: at(3599) })).toMatchObject({
      claimed: false,
    });
    expect(await store.idempotencyKeys.claim(done, OTHER, { ...LIFE, now: at(3600) })).toMatchObject({
      claimed: true,
    });

    const abandoned = newKey();
    const stale = await claimed(abandoned);
    expect(await store.idempotencyKeys.claim(abandoned, ORDER, { ...LIFE, now: at(59) })).toMatchObject({
      claimed: false,
    });
    await claimed(abandoned, ORDER, at(60));
    expect(await store.idempotencyKeys.complete(abandoned, stale, ANSWER)).toBe(false);
  });

  it('keeps a claim whose write committed its mark: no release, no takeover, and shows it applied once its lease ran out', async () => {
    const id = newKey();
    const token = await claimed(id);
    await store.transaction(async (tx) => {
      expect(await store.idempotencyKeys.markApplied(tx.db, id, token, { now: at(1) })).toBe(true);
    });
    await store.idempotencyKeys.release(id, token);
    expect(await store.idempotencyKeys.claim(id, ORDER, { ...LIFE, now: at(59) })).toEqual({
      claimed: false,
      record: { state: 'pending', fingerprint: ORDER },
    });
    expect(await store.idempotencyKeys.claim(id, ORDER, { ...LIFE, now: at(61) })).toEqual({
      claimed: false,
      record: { state: 'applied', fingerprint: ORDER },
    });
    // Its answer may still be stored late, and is then replayed.
    expect(await store.idempotencyKeys.complete(id, token, ANSWER)).toBe(true);
    expect(await store.idempotencyKeys.claim(id, ORDER, { ...LIFE, now: at(62) })).toMatchObject({
      record: { state: 'complete', response: ANSWER },
    });
  });

  it('forgets a mark whose transaction rolled back: the claim is released, or taken over after its lease', async () => {
    const released = newKey();
    const first = await claimed(released);
    await expect(
      store.transaction(async (tx) => {
        await store.idempotencyKeys.markApplied(tx.db, released, first);
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    await store.idempotencyKeys.release(released, first);
    await claimed(released, ORDER, at(1));

    const abandoned = newKey();
    const stale = await claimed(abandoned);
    await expect(
      store.transaction(async (tx) => {
        await store.idempotencyKeys.markApplied(tx.db, abandoned, stale);
        throw new Error('the process died before COMMIT');
      }),
    ).rejects.toThrow();
    await claimed(abandoned, ORDER, at(60));
  });

  it('refuses the mark of a claim that was taken over, so that its write rolls back', async () => {
    const id = newKey();
    const stale = await claimed(id);
    const current = await claimed(id, ORDER, at(60));
    expect(await store.transaction((tx) => store.idempotencyKeys.markApplied(tx.db, id, stale))).toBe(false);
    expect(await store.transaction((tx) => store.idempotencyKeys.markApplied(tx.db, id, current))).toBe(true);
  });

  it('prunes the keys expired at a time, and only those', async () => {
    const early = newKey();
    const late = newKey();
    await claimed(early, ORDER, at(-7200));
    await claimed(late, ORDER, at(-1800));
    const pruned = await store.idempotencyKeys.prune({ now: at(-3600) });
    expect(pruned).toBeGreaterThanOrEqual(1);
    const rows = await store.db.query<{ idempotency_key: string }>(
      'SELECT idempotency_key FROM idempotency_keys WHERE idempotency_key = ANY($1::text[])',
      [[early.key, late.key]],
    );
    expect(rows.map((row) => row.idempotency_key)).toEqual([late.key]);
  });

  it('refuses a key the header rule does not allow', async () => {
    await expect(claimed(newKey({ key: 'has space' }))).rejects.toThrow();
    await expect(claimed(newKey({ key: 'x'.repeat(256) }))).rejects.toThrow();
  });
});
