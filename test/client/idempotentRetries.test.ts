import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ClientOptions, createClient } from '../../packages/client/src/index.js';
import { accessToken, STAFF_SCOPES } from '../helpers/accessTokens.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';

/** What the fault proxy does with the next request it sees: pass it on, or fail it after or instead of that. */
type Fault = 'pass' | 'commit-then-503' | 'commit-then-drop' | '503';

interface Arrival {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
}

/**
 * A proxy in front of the app that fails requests as a load balancer or a network would: `commit-then-503`
 * passes the request on (so the app commits it) and answers 503 with `Retry-After: 1` instead of its answer;
 * `commit-then-drop` passes it on and cuts the connection; `503` answers without passing it on.
 */
let app: StartedApp;
let proxy: Server;
let proxyUrl: string;
let arrivals: Arrival[] = [];
let faults: Fault[] = [];

async function forward(request: IncomingMessage, body: Buffer): Promise<Response> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
      headers.set(name, value);
  }
  return fetch(`${app.url}${request.url}`, {
    method: request.method ?? 'GET',
    headers,
    ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
  });
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const key = request.headers['idempotency-key'];
  arrivals.push({
    method: request.method ?? '',
    path: request.url ?? '',
    idempotencyKey: typeof key === 'string' ? key : undefined,
  });
  const fault = faults.shift() ?? 'pass';
  if (fault !== '503') {
    const answer = await forward(request, Buffer.concat(chunks));
    const text = await answer.text();
    if (fault === 'commit-then-drop') return void response.socket?.destroy();
    if (fault === 'pass') {
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      return void response.end(text);
    }
  }
  response.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '1' });
  response.end(JSON.stringify({ type: '/problems/unavailable', title: 'Service unavailable', status: 503 }));
}

beforeAll(async () => {
  app = await startApp();
  proxy = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => response.destroy(error as Error));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await app.close();
});
afterEach(() => {
  arrivals = [];
  faults = [];
});

async function clientOf(options: Partial<ClientOptions> = {}) {
  return createClient({
    baseUrl: proxyUrl,
    token: await accessToken('user-456', { scopes: STAFF_SCOPES }),
    retry: { baseDelayMs: 20 },
    ...options,
  });
}

async function stockedPet(stock = 5): Promise<string> {
  const client = await clientOf();
  const { data } = await client.POST('/v1/pets', {
    body: {
      name: 'Mochi',
      species: 'cat',
      breed: 'Ragdoll',
      size: 'medium',
      ageMonths: 9,
      price: 120,
      stock,
    },
  });
  arrivals = [];
  return data!.id;
}

const ordersOf = async (petId: string): Promise<number> => {
  const [row] = await app.store.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM orders WHERE pet_id = $1',
    [petId],
  );
  return row!.n;
};

describe('client retries of writes with an Idempotency-Key', () => {
  it('retries an order answered 503 after Retry-After with the same key, and the server places it once', async () => {
    const petId = await stockedPet();
    const client = await clientOf();
    faults = ['commit-then-503'];
    const started = performance.now();
    const { data, response } = await client.POST('/v1/orders', {
      body: { petId, quantity: 1, userId: 'user-456' },
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(response.status).toBe(201);
    expect(response.headers.get('idempotency-replayed')).toBe('true');
    expect(data).toMatchObject({ petId, quantity: 1 });
    expect(arrivals).toHaveLength(2);
    const [first, second] = arrivals;
    expect(first?.idempotencyKey).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
    expect(await ordersOf(petId)).toBe(1);
  });

  it('retries after the connection dropped with the same key: one order', async () => {
    const petId = await stockedPet();
    const client = await clientOf();
    faults = ['commit-then-drop'];
    const { data, response } = await client.POST('/v1/orders', {
      body: { petId, quantity: 2, userId: 'user-456' },
    });
    expect(response.status).toBe(201);
    expect(data?.quantity).toBe(2);
    expect(new Set(arrivals.map((arrival) => arrival.idempotencyKey)).size).toBe(1);
    expect(arrivals).toHaveLength(2);
    expect(await ordersOf(petId)).toBe(1);
  });

  it('sends a new key with each call, and the key a call gives instead', async () => {
    const petId = await stockedPet();
    const client = await clientOf();
    await client.PATCH('/v1/inventory/{petId}', { params: { path: { petId } }, body: { stock: 7 } });
    await client.PATCH('/v1/inventory/{petId}', { params: { path: { petId } }, body: { stock: 7 } });
    await client.PATCH('/v1/inventory/{petId}', {
      params: { path: { petId } },
      body: { stock: 7 },
      headers: { 'Idempotency-Key': 'my-own-key' },
    });
    const [one, two, own] = arrivals.map((arrival) => arrival.idempotencyKey);
    expect(one).toBeDefined();
    expect(two).toBeDefined();
    expect(one).not.toBe(two);
    expect(own).toBe('my-own-key');
  });

  it('gives up after its retries and returns the last 503', async () => {
    const client = await clientOf({ retry: { retries: 1, baseDelayMs: 20 } });
    faults = ['503', '503', '503'];
    const { error, response } = await client.GET('/v1/inventory');
    expect(response.status).toBe(503);
    expect(error?.status).toBe(503);
    expect(arrivals).toHaveLength(2);
  });

  it('retries a GET, which needs no key', async () => {
    const client = await clientOf();
    faults = ['503'];
    const { data } = await client.GET('/v1/inventory');
    expect(data?.items.length).toBeGreaterThan(0);
    expect(arrivals.map((arrival) => arrival.idempotencyKey)).toEqual([undefined, undefined]);
  });

  it('never retries a write without a key: with idempotencyKeys off, or with retry off', async () => {
    const petId = await stockedPet();
    for (const options of [{ idempotencyKeys: false }, { retry: false as const }]) {
      arrivals = [];
      const client = await clientOf(options);
      faults = ['commit-then-503'];
      const { error } = await client.POST('/v1/orders', { body: { petId, quantity: 1, userId: 'user-456' } });
      expect(error?.status).toBe(503);
      expect(arrivals).toHaveLength(1);
    }
    expect(arrivals[0]?.idempotencyKey).toBeDefined();
    expect(await ordersOf(petId)).toBe(2);
  });

  it('does not retry a POST the contract gives no key', async () => {
    const client = await clientOf();
    faults = ['503'];
    const { error } = await client.POST('/v1/chat/completions', {
      body: { model: 'PET_ADVISOR_1', messages: [{ role: 'user', content: 'a calm cat?' }] },
    });
    expect(error?.status).toBe(503);
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]?.idempotencyKey).toBeUndefined();
  });
});
