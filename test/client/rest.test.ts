import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient, type FetchLike } from '../../packages/client/src/index.js';
import type { Store } from '../../src/store/index.js';
import { accessToken, STAFF_SCOPES } from '../helpers/accessTokens.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';

const UNKNOWN_PET = '0193a5b2-7c1e-7d3a-9f2b-000000000000';

let store: Store;
let app: StartedApp;
let client: Client;
let petId: string;
beforeAll(async () => {
  store = await openTestStore();
  app = await startApp({ store });
  client = createClient({ baseUrl: app.url, token: await accessToken('user-456', { scopes: STAFF_SCOPES }) });
  const { items } = await store.pets.list({ limit: 100, offset: 0 });
  petId = items.find((pet) => pet.stock >= 5)!.id;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

describe('client REST calls', () => {
  it('returns the pet of GET /v1/pets/{petId} as data', async () => {
    const { data, error, response } = await client.GET('/v1/pets/{petId}', { params: { path: { petId } } });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ id: petId, name: expect.any(String) });
  });

  it('sends query parameters and leaves out the undefined ones', async () => {
    const { data } = await client.GET('/v1/pets', { params: { query: { species: 'cat', limit: 3 } } });
    expect(data?.items).toHaveLength(3);
    expect(data?.items.every((pet) => pet.species === 'cat')).toBe(true);
    expect(data?.total).toBeGreaterThan(3);
  });

  it('creates an order with POST and reads the 201 body', async () => {
    const result = await client.POST('/v1/orders', { body: { petId, quantity: 1, userId: 'user-456' } });
    expect(result.response.status).toBe(201);
    expect(result.data).toMatchObject({ petId, quantity: 1, status: 'payment_processing' });
    const order = await client.GET('/v1/orders/{orderId}', {
      params: { path: { orderId: result.data!.id } },
    });
    expect(order.data?.id).toBe(result.data!.id);
  });

  it('changes inventory with PATCH and preferences with PUT', async () => {
    const inventory = await client.PATCH('/v1/inventory/{petId}', {
      params: { path: { petId } },
      body: { price: 77.5 },
    });
    expect(inventory.data).toMatchObject({ petId, price: 77.5 });
    const asUser654 = createClient({ baseUrl: app.url, token: await accessToken('user-654') });
    const user = await asUser654.PUT('/v1/users/{userId}/preferences', {
      params: { path: { userId: 'user-654' } },
      body: { species: ['dog'], maxPrice: 300 },
    });
    expect(user.data?.preferences).toEqual({ species: ['dog'], maxPrice: 300 });
  });

  it('returns a 400 problem with one field error per invalid value', async () => {
    const { data, error, response } = await client.POST('/v1/orders', {
      body: { petId: 'not-a-uuid', quantity: 0, userId: 'user-456' },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ status: 400, type: '/problems/validation-error' });
    expect(error?.errors?.map((field) => [field.in, field.pointer])).toEqual(
      expect.arrayContaining([
        ['body', '/petId'],
        ['body', '/quantity'],
      ]),
    );
  });

  it('returns a 404 problem for an unknown pet', async () => {
    const { error, response } = await client.GET('/v1/pets/{petId}', {
      params: { path: { petId: UNKNOWN_PET } },
    });
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ status: 404, title: expect.any(String) });
  });

  it('percent-encodes path parameters, so a value cannot reach another route', async () => {
    const { error } = await client.GET('/v1/pets/{petId}', { params: { path: { petId: '../inventory' } } });
    expect(error?.status).toBe(400);
    expect(error?.errors?.[0]).toMatchObject({ in: 'path', pointer: '/petId' });
  });

  it('calls the injected fetch with the client headers, per-call headers winning', async () => {
    const sent: Headers[] = [];
    const recording: FetchLike = (url, init) => {
      sent.push(new Headers(init.headers));
      return fetch(url, init);
    };
    const authed = createClient({
      baseUrl: `${app.url}/`,
      fetch: recording,
      headers: { authorization: 'Bearer client', 'x-trace': 'client' },
    });
    const { data } = await authed.GET('/v1/inventory', { headers: { 'x-trace': 'call' } });
    expect(data?.items.length).toBeGreaterThan(0);
    expect(sent[0]?.get('authorization')).toBe('Bearer client');
    expect(sent[0]?.get('x-trace')).toBe('call');
    expect(sent[0]?.get('accept')).toBe('application/json');
  });

  it('turns an error answer without a problem body into an about:blank problem', async () => {
    const proxy = createClient({
      baseUrl: app.url,
      fetch: async () => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    });
    const { error } = await proxy.GET('/v1/inventory');
    expect(error).toEqual({
      type: 'about:blank',
      title: 'Bad Gateway',
      status: 502,
      detail: '<html>Bad Gateway</html>',
    });
  });

  it('rejects instead of reading an event stream as JSON', async () => {
    const streaming = createClient({
      baseUrl: app.url,
      fetch: async () =>
        new Response('retry: 3000\n\n', { headers: { 'content-type': 'text/event-stream' } }),
    });
    await expect(streaming.GET('/v1/inventory')).rejects.toThrow(/event stream; read streams with subscribe/);
  });
});
