import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';

const SHOP = 'https://shop.example.com';
const OTHER = 'https://evil.example.com';

let store: Store;
let app: StartedApp;
let plain: StartedApp;
beforeAll(async () => {
  store = await openTestStore();
  [app, plain] = await Promise.all([startApp({ store, corsOrigins: [SHOP] }), startApp({ store })]);
});
afterAll(async () => {
  await Promise.all([app.close(), plain.close()]);
  await store.close();
});

const preflight = (base: string, path: string, origin: string, method: string, headers = '') =>
  fetch(`${base}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      ...(headers ? { 'access-control-request-headers': headers } : {}),
    },
  });

const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'access-control-max-age',
];
const corsHeadersOf = (response: Response) =>
  Object.fromEntries(
    CORS_HEADERS.flatMap((name) => (response.headers.has(name) ? [[name, response.headers.get(name)]] : [])),
  );

describe('CORS with CORS_ORIGINS', () => {
  it('answers a preflight for a stream reconnect with Last-Event-ID from an allowed origin', async () => {
    const response = await preflight(app.url, '/v1/inventory/stream', SHOP, 'GET', 'last-event-id');
    expect(response.status).toBe(204);
    expect(corsHeadersOf(response)).toEqual({
      'access-control-allow-origin': SHOP,
      'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH',
      'access-control-allow-headers': 'Content-Type, Last-Event-ID, Authorization, Idempotency-Key',
      'access-control-max-age': '600',
    });
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('answers a preflight for a JSON PATCH from an allowed origin', async () => {
    const response = await preflight(
      app.url,
      '/v1/inventory/0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90',
      SHOP,
      'PATCH',
      'content-type',
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(response.headers.get('access-control-allow-headers')).toContain('Content-Type');
  });

  it('gives a preflight from an origin not on the list no CORS headers', async () => {
    const response = await preflight(app.url, '/v1/inventory/stream', OTHER, 'GET', 'last-event-id');
    expect(corsHeadersOf(response)).toEqual({});
    await response.body?.cancel();
  });

  it('lets an allowed origin read a stream and a REST answer, and exposes only what a retry needs', async () => {
    const allowed = {
      'access-control-allow-origin': SHOP,
      'access-control-expose-headers': 'Location, Retry-After, Idempotency-Replayed',
    };
    const stream = await fetch(`${app.url}/v1/inventory/stream`, { headers: { origin: SHOP } });
    expect(stream.status).toBe(200);
    expect(corsHeadersOf(stream)).toEqual(allowed);
    expect(stream.headers.get('vary')).toBe('Origin');
    await stream.body!.cancel();
    const rest = await fetch(`${app.url}/v1/pets?limit=1`, { headers: { origin: SHOP } });
    expect(corsHeadersOf(rest)).toEqual(allowed);
    const problem = await fetch(`${app.url}/v1/pets?limit=0`, { headers: { origin: SHOP } });
    expect(problem.status).toBe(400);
    expect(corsHeadersOf(problem)).toEqual(allowed);
  });

  it('answers a preflight for a write with an Idempotency-Key from an allowed origin', async () => {
    const response = await preflight(app.url, '/v1/orders', SHOP, 'POST', 'content-type, idempotency-key');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
  });

  it('gives a request from an origin not on the list no CORS headers', async () => {
    const response = await fetch(`${app.url}/v1/pets?limit=1`, { headers: { origin: OTHER } });
    expect(response.status).toBe(200);
    expect(corsHeadersOf(response)).toEqual({});
  });
});

describe('CORS by default (no CORS_ORIGINS)', () => {
  it('adds no CORS header for any origin: same-origin only', async () => {
    const response = await preflight(plain.url, '/v1/inventory/stream', SHOP, 'GET', 'last-event-id');
    expect(corsHeadersOf(response)).toEqual({});
    const rest = await fetch(`${plain.url}/v1/pets?limit=1`, { headers: { origin: SHOP } });
    expect(corsHeadersOf(rest)).toEqual({});
    expect(rest.headers.get('vary')).toBeNull();
  });
});
