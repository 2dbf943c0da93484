import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSse } from '../helpers/collectSse.js';
import { devStaffBearer } from '../helpers/devStaffToken.js';
import { type ServerProcess, spawnServer } from '../helpers/spawnServer.js';
import { createTestDatabase, listEvents } from '../helpers/testStore.js';

let database: { url: string; drop(): Promise<void> };
let server: ServerProcess;
let petId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await spawnServer({
    DATABASE_URL: database.url,
    REDIS_URL: 'redis://127.0.0.1:6390',
    SSE_RETRY_MS: '1000',
  });
  const pets = (await (await fetch(`${server.url}/v1/pets?limit=1`)).json()) as { items: { id: string }[] };
  petId = pets.items[0]!.id;
}, 60_000);
afterAll(async () => {
  await server?.kill();
  await database?.drop();
});

describe('an instance whose Redis is down', () => {
  it('answers a stream with 200, a jittered retry and stream-error unavailable, then ends, so browsers come back', async () => {
    const started = performance.now();
    const response = await fetch(`${server.url}/v1/inventory/stream`, {
      headers: { 'last-event-id': '1732441234567-0' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const capture = await collectSse(response.body!);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(capture.retries[0]).toBeGreaterThanOrEqual(1000);
    expect(capture.retries[0]).toBeLessThanOrEqual(1500);
    expect(capture.events).toHaveLength(1);
    expect(capture.events[0]).toMatchObject({ event: 'stream-error', id: '1732441234567-0' });
    expect(JSON.parse(capture.events[0]!.data).code).toBe('unavailable');
  });

  it('commits a change and answers 200 (not a 503 that lies): its event is in the outbox, for the relay to carry', async () => {
    const before = (await (await fetch(`${server.url}/v1/pets/${petId}`)).json()) as { price: number };
    const response = await fetch(`${server.url}/v1/inventory/${petId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...(await devStaffBearer(server.url)) },
      body: JSON.stringify({ price: before.price + 1 }),
    });
    expect(response.status).toBe(200);
    const after = (await (await fetch(`${server.url}/v1/pets/${petId}`)).json()) as { price: number };
    expect(after.price).toBe(before.price + 1);
    const outbox = await listEvents(database.url, 'inventory');
    expect(outbox.at(-1)).toMatchObject({
      event: 'price-change',
      data: { petId, newPrice: before.price + 1 },
    });
  });
});
