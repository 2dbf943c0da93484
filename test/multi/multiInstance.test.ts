import { randomUUID } from 'node:crypto';
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventsRepository, openPostgres } from '../../src/store/index.js';
import { bearer, STAFF_SCOPES, TEST_JWT_SECRET } from '../helpers/accessTokens.js';
import { collectSse, sseRecorder } from '../helpers/collectSse.js';
import { type ServerProcess, spawnServer } from '../helpers/spawnServer.js';
import { createTestDatabase } from '../helpers/testStore.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let database: { url: string; drop(): Promise<void> };
let servers: ServerProcess[] = [];
let env: Record<string, string>;
let petId: string;
/** A token of user-456 with the staff scopes, valid on every instance: they share AUTH_JWT_SECRET. */
let owner: Record<string, string>;

const json = (method: string, url: string, body?: unknown) =>
  fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...owner },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const setPrice = (server: ServerProcess, price: number) =>
  json('PATCH', `${server.url}/v1/inventory/${petId}`, { price });

beforeAll(async () => {
  database = await createTestDatabase();
  env = {
    DATABASE_URL: database.url,
    REDIS_URL,
    REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
    ORDER_STEP_MS: '60000',
    EVENT_RELAY_SWEEP_MS: '100',
    SSE_RETRY_MS: '100',
    SSE_RETRY_MIN_MS: '0', // a short retry, allowed for tests only
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    // One test opens 100 streams from this one address over the three: the cap is shared by the instances.
    MAX_STREAMS_PER_CLIENT: '1000',
  };
  owner = await bearer('user-456', { scopes: STAFF_SCOPES });
  servers = await Promise.all([spawnServer(env), spawnServer(env), spawnServer(env)]);
  const pets = (await (await fetch(`${servers[0]!.url}/v1/pets?limit=100`)).json()) as {
    items: { id: string; stock: number }[];
  };
  petId = pets.items.find((pet) => pet.stock >= 2)!.id;
}, 90_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.kill()));
  await database?.drop();
});

describe('three instances sharing Redis and Postgres', () => {
  it('delivers a change made through B to a subscriber on A', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const response = await fetch(`${a.url}/v1/inventory/stream?petId=${petId}`);
    const capture = collectSse(response.body!, (c) => c.events.length >= 1);
    expect((await setPrice(b, 11.11)).status).toBe(200);
    const [event] = (await capture).events;
    expect(event?.event).toBe('price-change');
    expect(JSON.parse(event!.data).newPrice).toBe(11.11);
    expect(event?.id).toMatch(/^[0-9a-f]{12}\.[1-9][0-9]*$/);
  });

  it('carries an event committed by an instance that died before publishing it (the relay), in its place', async () => {
    const [a] = servers as [ServerProcess];
    const response = await fetch(`${a.url}/v1/inventory/stream?petId=${petId}`);
    const capture = collectSse(response.body!, (c) => c.events.length >= 1);
    // What a process killed between its COMMIT and its XADD leaves: the change and its event, committed.
    const db = await openPostgres({ connectionString: database.url });
    try {
      const data = { petId, oldPrice: 1, newPrice: 2, timestamp: new Date().toISOString() };
      await db.transaction((tx) =>
        createEventsRepository(db).append(tx, 'inventory', [
          { event: 'price-change', data: JSON.stringify(data) },
        ]),
      );
    } finally {
      await db.close();
    }
    const [event] = (await capture).events;
    expect(event?.event).toBe('price-change');
    expect(JSON.parse(event!.data)).toMatchObject({ oldPrice: 1, newPrice: 2 });
  });

  it('resumes on C with the id from A, losing and repeating nothing', async () => {
    const [a, b, c] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const controller = new AbortController();
    const first = await fetch(`${a.url}/v1/inventory/stream?petId=${petId}`, { signal: controller.signal });
    const seen = collectSse(first.body!, (capture) => capture.events.length >= 2);
    await setPrice(b, 12.01);
    await setPrice(c, 12.02);
    const fromA = await seen;
    controller.abort();
    await setPrice(a, 12.03);
    await setPrice(b, 12.04);
    const resumed = await fetch(`${c.url}/v1/inventory/stream?petId=${petId}`, {
      headers: { 'last-event-id': fromA.events[1]!.id! },
    });
    const rest = collectSse(resumed.body!, (capture) => capture.events.length >= 3);
    await setPrice(c, 12.05);
    const prices = [...fromA.events, ...(await rest).events].map((event) => JSON.parse(event.data).newPrice);
    expect(prices).toEqual([12.01, 12.02, 12.03, 12.04, 12.05]);
  });

  it('gives 100 subscribers spread over the three every event exactly once, in the same order', async () => {
    const events = 15;
    const clients = await Promise.all(
      Array.from(
        { length: 100 },
        (_, index) =>
          new Promise<{ ids: () => string[]; done: Promise<void>; close(): void }>((resolve, reject) => {
            const server = servers[index % 3]!;
            const request = get(
              `${server.url}/v1/inventory/stream?petId=${petId}`,
              { agent: false },
              (response) => {
                const recorder = sseRecorder();
                let finish: () => void = () => {};
                const done = new Promise<void>((r) => {
                  finish = r;
                });
                response.setEncoding('utf8');
                response.on('data', (chunk: string) => {
                  recorder.feed(chunk);
                  if (recorder.capture.events.length >= events) finish();
                });
                resolve({
                  ids: () => recorder.capture.events.map((e) => e.id!),
                  done,
                  close: () => request.destroy(),
                });
              },
            );
            request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
          }),
      ),
    );
    for (let i = 0; i < events; i++) expect((await setPrice(servers[i % 3]!, 20 + i)).status).toBe(200);
    await Promise.all(clients.map((client) => client.done));
    const reference = clients[0]!.ids();
    expect(new Set(reference).size).toBe(events);
    for (const client of clients) {
      expect(client.ids()).toEqual(reference);
      client.close();
    }
  });

  it('sells the last unit once when two instances take it at the same moment', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    expect((await json('PATCH', `${a.url}/v1/inventory/${petId}`, { stock: 1 })).status).toBe(200);
    const order = { petId, quantity: 1, userId: 'user-456' };
    const answers = await Promise.all([
      json('POST', `${a.url}/v1/orders`, order),
      json('POST', `${b.url}/v1/orders`, order),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const pet = (await (await fetch(`${b.url}/v1/pets/${petId}`)).json()) as { stock: number };
    expect(pet.stock).toBe(0);
  });

  it('opens a stream on B with a ticket issued on A, once: C refuses it after', async () => {
    const [a, b, c] = servers as [ServerProcess, ServerProcess, ServerProcess];
    expect((await json('PATCH', `${a.url}/v1/inventory/${petId}`, { stock: 5 })).status).toBe(200);
    const placed = await json('POST', `${a.url}/v1/orders`, { petId, quantity: 1, userId: 'user-456' });
    const { id } = (await placed.json()) as { id: string };
    const issued = await json('POST', `${a.url}/v1/stream-tickets`, { orderId: id });
    const { ticket } = (await issued.json()) as { ticket: string };
    const path = `/v1/orders/${id}/status/stream?ticket=${ticket}`;
    const [onB, onC] = await Promise.all([fetch(`${b.url}${path}`), fetch(`${c.url}${path}`)]);
    expect([onB.status, onC.status].sort()).toEqual([200, 401]);
    const opened = onB.status === 200 ? onB : onC;
    const seen = await collectSse(opened.body!, (capture) => capture.events.length >= 1);
    expect(seen.events[0]).toMatchObject({ id: '1' });
    expect((await fetch(`${b.url}${path}`)).status).toBe(401);
  });

  it('lets a client resume on another instance after its instance is killed mid-stream', async () => {
    const victim = await spawnServer(env);
    const [, b] = servers as [ServerProcess, ServerProcess];
    const response = await fetch(`${victim.url}/v1/inventory/stream?petId=${petId}`);
    const seen = collectSse(response.body!, (capture) => capture.events.length >= 1);
    await setPrice(b, 31.01);
    const before = await seen;
    await victim.kill('SIGKILL');
    await setPrice(b, 31.02);
    const resumed = await fetch(`${b.url}/v1/inventory/stream?petId=${petId}`, {
      headers: { 'last-event-id': before.events[0]!.id! },
    });
    const after = await collectSse(resumed.body!, (capture) => capture.events.length >= 1);
    expect(JSON.parse(after.events[0]!.data).newPrice).toBe(31.02);
  });
});
