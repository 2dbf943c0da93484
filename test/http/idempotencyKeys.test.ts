import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { requestFingerprint } from '../../src/domain/idempotency/index.js';
import { HttpProblem } from '../../src/http/errors/index.js';
import { CommitOutcomeUnknownError, StoreUnavailableError } from '../../src/store/index.js';
import { bearer, STAFF_SCOPES } from '../helpers/accessTokens.js';
import { expectMatchesSpec } from '../helpers/expectMatchesSpec.js';
import { restClient, type Send } from '../helpers/restClient.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';

type Pet = components['schemas']['Pet'];
type Order = components['schemas']['Order'];

// One app for the file; each test uses a pet of its own and new keys, so tests do not see each other's data.
let app: StartedApp;
let send: Send;
beforeAll(async () => {
  app = await startApp();
  // user-456 with the staff scopes: the catalog and inventory writes need them.
  send = restClient(app.url, 'user-456', { scopes: STAFF_SCOPES });
});
afterAll(async () => {
  await app.close();
});

const withKey = (key: string) => ({ 'idempotency-key': key });

const petCreate = (stock: number, name = 'Biscuit') => ({
  name,
  species: 'dog',
  breed: 'Beagle',
  size: 'medium',
  ageMonths: 14,
  traits: ['friendly'],
  description: 'Howls at the doorbell.',
  price: 80,
  stock,
});

async function newPet(stock = 5): Promise<Pet> {
  return expectMatchesSpec('createPet', await send('POST', '/v1/pets', petCreate(stock)), 201);
}

const ordersOf = async (petId: string): Promise<number> => {
  const [row] = await app.store.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM orders WHERE pet_id = $1',
    [petId],
  );
  return row!.n;
};
const stockOf = async (petId: string): Promise<number> => (await app.services.pets.get(petId)).stock;
const order = (pet: Pet, quantity = 1) => ({ petId: pet.id, quantity, userId: 'user-456' });

/** The parts of an answer a replay must repeat, byte for byte. */
async function answerOf(response: Response) {
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    location: response.headers.get('location'),
    body: await response.text(),
  };
}

/** Places an order with `key` whose COMMIT is answered 503 outcome_unknown (the connection dropped during it). */
async function placeWithOutcomeUnknown(pet: Pet, key: string): Promise<void> {
  const unknown = new CommitOutcomeUnknownError(new Error('connection dropped during COMMIT'));
  const failing = vi.spyOn(app.services.orders, 'place').mockRejectedValueOnce(unknown);
  try {
    const first = await send('POST', '/v1/orders', order(pet), withKey(key));
    expect((await expectMatchesSpec('createOrder', first, 503)).type).toBe('/problems/outcome-unknown');
  } finally {
    failing.mockRestore();
  }
}

/** Ends the lease of `key`'s claim now, as if its request's process had died that long ago. */
async function endLease(key: string): Promise<void> {
  await app.store.db.query(
    'UPDATE idempotency_keys SET lease_expires_at = created_at WHERE idempotency_key = $1',
    [key],
  );
}

describe('Idempotency-Key on POST /v1/orders', () => {
  it('replays the first answer to a retry with the same key and body, and places one order only', async () => {
    const pet = await newPet(5);
    const key = randomUUID();
    const first = await send('POST', '/v1/orders', order(pet, 2), withKey(key));
    expect(first.headers.get('idempotency-replayed')).toBeNull();
    const firstAnswer = await answerOf(first.clone());
    await expectMatchesSpec('createOrder', first, 201);

    const retry = await send('POST', '/v1/orders', order(pet, 2), withKey(key));
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(await answerOf(retry.clone())).toEqual(firstAnswer);
    await expectMatchesSpec('createOrder', retry, 201);
    expect(await ordersOf(pet.id)).toBe(1);
    expect(await stockOf(pet.id)).toBe(3);
  });

  it('treats a body with its keys in another order and other white space as the same request', async () => {
    const pet = await newPet();
    const key = randomUUID();
    await send('POST', '/v1/orders', order(pet), withKey(key));
    const reordered = await fetch(`${app.url}/v1/orders`, {
      method: 'POST',
      headers: {
        ...(await bearer('user-456')),
        'content-type': 'application/json',
        ...withKey(key),
      },
      body: `{ "userId": "user-456",\n "quantity": 1, "petId": "${pet.id}" }`,
    });
    expect(reordered.status).toBe(201);
    expect(reordered.headers.get('idempotency-replayed')).toBe('true');
    expect(await ordersOf(pet.id)).toBe(1);
  });

  it('answers 422 to the same key with another body, and changes nothing', async () => {
    const pet = await newPet(5);
    const key = randomUUID();
    await expectMatchesSpec(
      'createOrder',
      await send('POST', '/v1/orders', order(pet, 1), withKey(key)),
      201,
    );
    const reused = await send('POST', '/v1/orders', order(pet, 2), withKey(key));
    const problem = await expectMatchesSpec('createOrder', reused, 422);
    expect(problem.type).toBe('/problems/idempotency-key-reused');
    expect(await ordersOf(pet.id)).toBe(1);
    expect(await stockOf(pet.id)).toBe(4);
  });

  it('runs one of two concurrent requests with one key: one order, and the other is told so', async () => {
    const pet = await newPet(5);
    const key = randomUUID();
    const answers = await Promise.all([
      send('POST', '/v1/orders', order(pet), withKey(key)),
      send('POST', '/v1/orders', order(pet), withKey(key)),
    ]);
    const statuses = answers.map((response) => response.status).sort();
    expect([
      [201, 201],
      [201, 409],
    ]).toContainEqual(statuses);
    const ran = answers.filter(
      (response) => response.status === 201 && response.headers.get('idempotency-replayed') === null,
    );
    expect(ran).toHaveLength(1);
    expect(await ordersOf(pet.id)).toBe(1);
    expect(await stockOf(pet.id)).toBe(4);
  });

  it('answers 409 with Retry-After while the first request with the key has not answered, then replays it', async () => {
    const pet = await newPet(5);
    const key = randomUUID();
    const place = app.services.orders.place;
    let proceed!: () => void;
    const gate = new Promise<void>((resolve) => {
      proceed = resolve;
    });
    const held = vi.spyOn(app.services.orders, 'place').mockImplementationOnce(async (input) => {
      await gate;
      return place(input);
    });
    try {
      const first = send('POST', '/v1/orders', order(pet), withKey(key));
      await until(() => held.mock.calls.length === 1);
      const second = await send('POST', '/v1/orders', order(pet), withKey(key));
      expect(second.headers.get('retry-after')).toBe('1');
      const problem = await expectMatchesSpec('createOrder', second, 409);
      expect(problem.type).toBe('/problems/idempotency-key-in-flight');
      proceed();
      const placed = await expectMatchesSpec('createOrder', await first, 201);
      const third = await send('POST', '/v1/orders', order(pet), withKey(key));
      expect(third.headers.get('idempotency-replayed')).toBe('true');
      expect(((await third.json()) as Order).id).toBe(placed.id);
    } finally {
      held.mockRestore();
    }
    expect(await ordersOf(pet.id)).toBe(1);
  });

  it('keeps no 503 answer (nothing was changed): a retry runs, and places the order', async () => {
    const pet = await newPet(5);
    const key = randomUUID();
    const unavailable = new HttpProblem('unavailable', 503, 'Service unavailable', 'Nothing was changed.');
    const failing = vi.spyOn(app.services.orders, 'place').mockRejectedValueOnce(unavailable);
    try {
      const refused = await send('POST', '/v1/orders', order(pet), withKey(key));
      expect(refused.headers.get('idempotency-replayed')).toBeNull();
      await expectMatchesSpec('createOrder', refused, 503);
    } finally {
      failing.mockRestore();
    }
    expect(await ordersOf(pet.id)).toBe(0);
    const retry = await send('POST', '/v1/orders', order(pet), withKey(key));
    expect(retry.headers.get('idempotency-replayed')).toBeNull();
    await expectMatchesSpec('createOrder', retry, 201);
    expect(await ordersOf(pet.id)).toBe(1);
    const again = await send('POST', '/v1/orders', order(pet), withKey(key));
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(await ordersOf(pet.id)).toBe(1);
  });

  it('keeps the key in flight after a 503 outcome_unknown (the commit may have happened): no second run', async () => {
    const pet = await newPet(5);
    const key = randomUUID();
    await placeWithOutcomeUnknown(pet, key);
    const retry = await send('POST', '/v1/orders', order(pet), withKey(key));
    expect((await expectMatchesSpec('createOrder', retry, 409)).type).toBe(
      '/problems/idempotency-key-in-flight',
    );
    expect(await ordersOf(pet.id)).toBe(0);
  });

  it('never runs a committed write again when its answer was lost: 409 answer-lost after the lease, one order', async () => {
    const pet = await newPet(5);
    const key = randomUUID();
    const place = app.services.orders.place.bind(app.services.orders);
    // The order commits, then the request fails before its answer is kept (as if its process stopped there;
    // a store fault stands in for that here, and its answer says nothing was kept).
    const failing = vi.spyOn(app.services.orders, 'place').mockImplementationOnce(async (...args) => {
      await place(...args);
      throw new StoreUnavailableError(new Error('the process stopped after COMMIT'));
    });
    try {
      const first = await send('POST', '/v1/orders', order(pet), withKey(key));
      expect(first.status).toBe(503);
    } finally {
      failing.mockRestore();
    }
    expect(await ordersOf(pet.id)).toBe(1);
    const [row] = await app.store.db.query<{ state: string; applied: boolean }>(
      'SELECT state, applied_at IS NOT NULL AS applied FROM idempotency_keys WHERE idempotency_key = $1',
      [key],
    );
    expect(row).toEqual({ state: 'pending', applied: true });
    const during = await send('POST', '/v1/orders', order(pet), withKey(key));
    expect((await expectMatchesSpec('createOrder', during, 409)).type).toBe(
      '/problems/idempotency-key-in-flight',
    );

    await endLease(key);
    const after = await send('POST', '/v1/orders', order(pet), withKey(key));
    expect((await expectMatchesSpec('createOrder', after, 409)).type).toBe(
      '/problems/idempotency-key-answer-lost',
    );
    expect(await ordersOf(pet.id)).toBe(1);
  });

  it('runs a write again after the lease when its transaction never committed (its mark rolled back with it)', async () => {
    const pet = await newPet(5);
    const key = randomUUID();
    await placeWithOutcomeUnknown(pet, key);
    await endLease(key);
    const retry = await send('POST', '/v1/orders', order(pet), withKey(key));
    await expectMatchesSpec('createOrder', retry, 201);
    expect(await ordersOf(pet.id)).toBe(1);
  });

  it('keeps a 4xx refusal: a retry gets the same 409 even once stock is back', async () => {
    const pet = await newPet(1);
    const key = randomUUID();
    const refused = await send('POST', '/v1/orders', order(pet, 2), withKey(key));
    const firstAnswer = await answerOf(refused.clone());
    await expectMatchesSpec('createOrder', refused, 409);
    await app.services.inventory.update(pet.id, { stock: 5 });
    const retry = await send('POST', '/v1/orders', order(pet, 2), withKey(key));
    expect(await answerOf(retry)).toEqual(firstAnswer);
    expect(await ordersOf(pet.id)).toBe(0);
  });

  it('does not keep a 401: the same key with a valid token then runs', async () => {
    const pet = await newPet(5);
    const key = randomUUID();
    const anonymous = restClient(app.url);
    await expectMatchesSpec(
      'createOrder',
      await anonymous('POST', '/v1/orders', order(pet), withKey(key)),
      401,
    );
    await expectMatchesSpec('createOrder', await send('POST', '/v1/orders', order(pet), withKey(key)), 201);
    expect(await ordersOf(pet.id)).toBe(1);
  });

  it("scopes a key to its user: another user's request with the same key runs", async () => {
    const pet = await newPet(5);
    const key = randomUUID();
    await expectMatchesSpec('createOrder', await send('POST', '/v1/orders', order(pet), withKey(key)), 201);
    const other = restClient(app.url, 'user-123');
    const theirs = await other('POST', '/v1/orders', { ...order(pet), userId: 'user-123' }, withKey(key));
    expect(theirs.headers.get('idempotency-replayed')).toBeNull();
    await expectMatchesSpec('createOrder', theirs, 201);
    expect(await ordersOf(pet.id)).toBe(2);
  });

  it('runs the request again once its key expired, and prunes expired keys', async () => {
    const pet = await newPet(5);
    const key = randomUUID();
    await send('POST', '/v1/orders', order(pet), withKey(key));
    const [kept] = await app.store.db.query<{ seconds: number }>(
      `SELECT extract(epoch FROM expires_at - created_at)::int AS seconds FROM idempotency_keys
        WHERE idempotency_key = $1`,
      [key],
    );
    expect(kept?.seconds).toBe(86_400);
    await app.store.db.query(
      `UPDATE idempotency_keys SET expires_at = created_at + interval '1 millisecond', created_at = created_at
        WHERE idempotency_key = $1`,
      [key],
    );
    const again = await send('POST', '/v1/orders', order(pet), withKey(key));
    expect(again.headers.get('idempotency-replayed')).toBeNull();
    await expectMatchesSpec('createOrder', again, 201);
    expect(await ordersOf(pet.id)).toBe(2);

    await app.store.db.query(
      `UPDATE idempotency_keys SET expires_at = created_at + interval '1 millisecond' WHERE idempotency_key = $1`,
      [key],
    );
    expect(await app.services.idempotency.prune()).toBeGreaterThanOrEqual(1);
    const left = await app.store.db.query('SELECT 1 FROM idempotency_keys WHERE idempotency_key = $1', [key]);
    expect(left).toEqual([]);
  });

  it('refuses a malformed key with 400 and runs nothing', async () => {
    const pet = await newPet(5);
    for (const key of ['x'.repeat(256), 'with space', 'tab\there', 'ünï']) {
      const response = await fetch(`${app.url}/v1/orders`, {
        method: 'POST',
        headers: {
          ...(await bearer('user-456')),
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(order(pet)),
      }).catch(() => undefined);
      // fetch itself refuses to send some values (a header value outside Latin-1); those never reach the server.
      if (response === undefined) continue;
      const problem = await expectMatchesSpec('createOrder', response, 400);
      expect(problem.errors?.[0]).toMatchObject({ in: 'header', pointer: '/Idempotency-Key' });
    }
    expect(await ordersOf(pet.id)).toBe(0);
  });

  it('accepts a key of 255 visible ASCII characters', async () => {
    const pet = await newPet(5);
    const key = `${'!~'.repeat(127)}k`;
    await expectMatchesSpec('createOrder', await send('POST', '/v1/orders', order(pet), withKey(key)), 201);
    const retry = await send('POST', '/v1/orders', order(pet), withKey(key));
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(await ordersOf(pet.id)).toBe(1);
  });

  it('keeps a key the first request claimed on another instance (the claim is in the shared database)', async () => {
    const pet = await newPet(5);
    const key = randomUUID();
    const decision = await app.services.idempotency.begin({
      operationId: 'createOrder',
      principal: 'user-456',
      key,
      fingerprint: requestFingerprint('POST', '/v1/orders', order(pet)),
    });
    expect(decision.kind).toBe('run');
    await expectMatchesSpec('createOrder', await send('POST', '/v1/orders', order(pet), withKey(key)), 409);
    expect(await ordersOf(pet.id)).toBe(0);
  });
});

describe('Idempotency-Key on the other writes', () => {
  type Write = [method: string, path: string, body: unknown, otherBody: unknown];
  const writes: {
    operationId: 'createPet' | 'updatePet' | 'updateInventory' | 'cancelOrder' | 'likePet';
    request: (pet: Pet) => Promise<Write>;
    status: 200 | 201;
  }[] = [
    {
      operationId: 'createPet',
      request: async () => ['POST', '/v1/pets', petCreate(2, 'Twin'), petCreate(3, 'Twin')],
      status: 201,
    },
    {
      operationId: 'updatePet',
      request: async (pet) => ['PATCH', `/v1/pets/${pet.id}`, { ageMonths: 15 }, { ageMonths: 16 }],
      status: 200,
    },
    {
      operationId: 'updateInventory',
      request: async (pet) => ['PATCH', `/v1/inventory/${pet.id}`, { stock: 9 }, { stock: 8 }],
      status: 200,
    },
    {
      operationId: 'cancelOrder',
      request: async (pet) => {
        const placed = await expectMatchesSpec(
          'createOrder',
          await send('POST', '/v1/orders', order(pet)),
          201,
        );
        return ['POST', `/v1/orders/${placed.id}/cancel`, undefined, undefined];
      },
      status: 200,
    },
    {
      operationId: 'likePet',
      request: async (pet) => [
        'POST',
        '/v1/users/user-456/likes',
        { petId: pet.id },
        { petId: (await newPet()).id },
      ],
      status: 200,
    },
  ];

  it.each(writes)(
    '$operationId replays its first answer to a retry, and refuses the key with another body',
    async ({ operationId, request, status }) => {
      const pet = await newPet(5);
      const [method, path, body, otherBody] = await request(pet);
      const key = randomUUID();
      const first = await send(method, path, body, withKey(key));
      const firstAnswer = await answerOf(first.clone());
      await expectMatchesSpec(operationId, first, status as never);
      const retry = await send(method, path, body, withKey(key));
      expect(retry.headers.get('idempotency-replayed')).toBe('true');
      expect(await answerOf(retry.clone())).toEqual(firstAnswer);
      await expectMatchesSpec(operationId, retry, status as never);
      if (otherBody !== undefined) {
        await expectMatchesSpec(operationId, await send(method, path, otherBody, withKey(key)), 422);
      }
    },
  );

  it('creates one pet for two requests with one key', async () => {
    const key = randomUUID();
    const body = petCreate(1, `Twin ${key.slice(0, 8)}`);
    await send('POST', '/v1/pets', body, withKey(key));
    await send('POST', '/v1/pets', body, withKey(key));
    const [row] = await app.store.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pets WHERE name = $1',
      [body.name],
    );
    expect(row?.n).toBe(1);
  });

  it('answers a request without a key as before: each one runs', async () => {
    const body = petCreate(1, `Untwin ${randomUUID().slice(0, 8)}`);
    await send('POST', '/v1/pets', body);
    await send('POST', '/v1/pets', body);
    const [row] = await app.store.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pets WHERE name = $1',
      [body.name],
    );
    expect(row?.n).toBe(2);
  });
});
