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

describe('dev tokens with staff scopes', () => {
  const token = async (body: Record<string, unknown>) => {
    const send = restClient(server.url);
    const issued = await send('POST', '/v1/dev/tokens', body);
    expect(issued.status).toBe(201);
    const { accessToken, scopes } = (await issued.json()) as { accessToken: string; scopes: string[] };
    return { scopes, auth: { authorization: `Bearer ${accessToken}` } };
  };

  it('changes the inventory only with a token that asked for inventory:write', async () => {
    const send = restClient(server.url);
    const pets = (await (await send('GET', '/v1/pets?limit=1')).json()) as { items: { id: string }[] };
    const path = `/v1/inventory/${pets.items[0]!.id}`;
    const plain = await token({ userId: 'user-456' });
    expect(plain.scopes).toEqual([]);
    expect((await send('PATCH', path, { stock: 3 }, plain.auth)).status).toBe(403);
    const catalog = await token({ userId: 'user-456', scopes: ['catalog:write'] });
    expect((await send('PATCH', path, { stock: 3 }, catalog.auth)).status).toBe(403);
    const staff = await token({ userId: 'user-456', scopes: ['inventory:write'] });
    expect(staff.scopes).toEqual(['inventory:write']);
    const changed = await send('PATCH', path, { stock: 3 }, staff.auth);
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ stock: 3 });
  });

  it('refuses a scope that does not exist with a 400 naming it', async () => {
    const refused = await restClient(server.url)('POST', '/v1/dev/tokens', {
      userId: 'user-456',
      scopes: ['admin'],
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('/scopes/0');
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

  it('refuses AUTH_DEV_TOKENS=true with NODE_ENV=production at start, naming the variable', async () => {
    const secret = 'a production secret of at least thirty-two bytes';
    const started = spawnServer({
      DATABASE_URL: database.url,
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: secret,
      AUTH_DEV_TOKENS: 'true',
    });
    await expect(started).rejects.toThrow(/exited \(1\) before listening/);
    await expect(started).rejects.toThrow(
      /AUTH_DEV_TOKENS="true" is not valid: expected false or unset when NODE_ENV=production/,
    );
    await expect(started).rejects.not.toThrow(secret);
  });

  it('starts in production with a secret and dev tokens off (no /v1/dev/tokens)', async () => {
    const production = await spawnServer({
      DATABASE_URL: database.url,
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: 'a production secret of at least thirty-two bytes',
    });
    try {
      const issued = await restClient(production.url)('POST', '/v1/dev/tokens', { userId: 'user-456' });
      expect(issued.status).toBe(404);
    } finally {
      await production.kill();
    }
  });
});
