import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSse } from '../helpers/collectSse.js';
import { restClient } from '../helpers/restClient.js';
import { type ServerProcess, spawnServer } from '../helpers/spawnServer.js';
import { until } from '../helpers/startApp.js';
import { createTestDatabase } from '../helpers/testStore.js';

let database: { url: string; drop(): Promise<void> };
let server: ServerProcess;
beforeAll(async () => {
  database = await createTestDatabase();
  server = await spawnServer({ DATABASE_URL: database.url, ORDER_STEP_MS: '50' });
}, 60_000);
afterAll(async () => {
  await server?.kill();
  await database?.drop();
});

describe('npm start without auth configuration', () => {
  it('runs in dev mode and says so loudly in the log', () => {
    const warning = server.logs.find((line) => String(line.msg).startsWith('AUTH DEV MODE'));
    expect(warning?.level).toBe(40);
    expect(server.logs.find((line) => String(line.msg).includes('listening'))).toMatchObject({
      auth: 'dev',
      devTokens: true,
    });
  });

  it('lets a demo user order with a dev token and follow the order with a stream ticket, logging neither', async () => {
    const send = restClient(server.url);
    const { accessToken } = (await (await send('POST', '/v1/dev/tokens', { userId: 'user-456' })).json()) as {
      accessToken: string;
    };
    const auth = { authorization: `Bearer ${accessToken}` };
    const pets = (await (await send('GET', '/v1/pets?limit=100')).json()) as {
      items: { id: string; stock: number }[];
    };
    const petId = pets.items.find((pet) => pet.stock > 0)!.id;
    const placed = await send('POST', '/v1/orders', { petId, quantity: 1, userId: 'user-456' }, auth);
    expect(placed.status).toBe(201);
    const { id } = (await placed.json()) as { id: string };
    const { ticket } = (await (await send('POST', '/v1/stream-tickets', { orderId: id }, auth)).json()) as {
      ticket: string;
    };
    const stream = await fetch(`${server.url}/v1/orders/${id}/status/stream?ticket=${ticket}`);
    const capture = await collectSse(stream.body!);
    expect(capture.events.at(-1)).toMatchObject({ event: 'complete', id: '4' });
    await until(() => JSON.stringify(server.logs).includes('ticket=[redacted]'));
    const logged = JSON.stringify(server.logs);
    expect(logged).not.toContain(ticket);
    expect(logged).not.toContain(accessToken);
  });
});

describe('an invalid auth setting', () => {
  it('stops the server at start with a message naming the variable, not its secret value', async () => {
    const secret = 'too-short-secret';
    const started = spawnServer({ DATABASE_URL: database.url, AUTH_JWT_SECRET: secret });
    await expect(started).rejects.toThrow(
      /AUTH_JWT_SECRET="\[redacted\]" is not valid: expected at least 32 bytes/,
    );
    await expect(started).rejects.not.toThrow(secret);
  });
});
