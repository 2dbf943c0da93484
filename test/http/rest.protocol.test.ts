import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { uuidv7 } from '../../src/store/index.js';
import { STAFF_SCOPES, staffBearer } from '../helpers/accessTokens.js';
import { expectMatchesSpec, expectProblem, mediaType } from '../helpers/expectMatchesSpec.js';
import { restClient, type Send } from '../helpers/restClient.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';
import { startServer } from '../helpers/startServer.js';

let app: StartedApp;
let send: Send;
let petId: string;
/** A staff token of user-456 (both scopes), for the requests sent with `fetch` itself. */
let staff: Record<string, string>;
beforeAll(async () => {
  staff = await staffBearer();
  app = await startApp();
  // A staff token: catalog and inventory writes are refused without one (401) before the body is read.
  send = restClient(app.url, 'user-456', { scopes: STAFF_SCOPES });
  petId = (await app.store.pets.all())[0]!.id;
});
afterAll(async () => {
  await app.close();
});

const catalogSize = async () => (await app.store.pets.all()).length;
const validPet = {
  name: 'Bodyguard',
  species: 'dog',
  breed: 'Boxer',
  size: 'large',
  ageMonths: 20,
  price: 500,
  stock: 1,
};

describe('system routes', () => {
  it('answers GET /healthz with {"status":"ok"}', async () => {
    const health = await expectMatchesSpec('getHealth', await send('GET', '/healthz'), 200);
    expect(health).toEqual({ status: 'ok' });
  });

  it('answers GET /readyz with 503 problem+json until the server is ready, then 200', async () => {
    let ready = false;
    const logger = pino({ level: 'silent' });
    const koa = createApp({
      logger,
      services: app.services,
      streams: { retryMs: 1500, heartbeat: app.heartbeat, logger },
      isReady: () => ready,
    });
    const server = await startServer(koa.callback());
    try {
      const problem = await expectMatchesSpec('getReadiness', await fetch(`${server.url}/readyz`), 503);
      expect(problem.status).toBe(503);
      ready = true;
      const health = await expectMatchesSpec('getReadiness', await fetch(`${server.url}/readyz`), 200);
      expect(health).toEqual({ status: 'ok' });
    } finally {
      await server.close();
    }
  });

  it.each([
    ['/openapi.json', 'openapi.json'],
    ['/asyncapi.json', 'asyncapi.json'],
  ])('serves %s as JSON equal to generated/specs/%s', async (path, file) => {
    const expected: unknown = JSON.parse(
      await readFile(new URL(`../../generated/specs/${file}`, import.meta.url), 'utf8'),
    );
    const response = await send('GET', path);
    expect(response.status).toBe(200);
    expect(mediaType(response)).toBe('application/json');
    expect(await response.json()).toEqual(expected);
  });
});

describe('routes and methods', () => {
  it.each([
    '/index.html',
    '/v1',
    '/v2/pets',
    '/v1/unicorns',
    `/v1/orders/${'0193a5c4-1d2e-7f30-8a41-b2c3d4e5f607'}/refund`,
  ])('answers GET %s, a route that does not exist, with a 404 problem', async (path) => {
    const problem = await expectProblem(await send('GET', path), 404);
    expect(problem.type).toBe('/problems/not-found');
    expect(problem.instance).toBe(path);
  });

  it('keeps the problem for a very long unknown route within the Problem schema', async () => {
    const problem = await expectProblem(await send('GET', `/v1/${'x'.repeat(3000)}`), 404);
    expect(problem.detail?.length).toBeLessThanOrEqual(2000);
  });

  it.each([
    ['DELETE', '/v1/pets', ['GET', 'HEAD', 'POST']],
    ['PUT', '/v1/pets/{petId}', ['GET', 'HEAD', 'PATCH']],
    ['POST', '/v1/inventory', ['GET', 'HEAD']],
    ['DELETE', '/v1/inventory/{petId}', ['PATCH']],
    ['GET', '/v1/orders', ['POST']],
    ['GET', '/v1/orders/{orderId}/cancel', ['POST']],
    ['DELETE', '/v1/users/user-456', ['GET', 'HEAD']],
    ['PATCH', '/v1/users/user-456/preferences', ['PUT']],
    ['GET', '/v1/users/user-456/likes', ['POST']],
    ['POST', '/healthz', ['GET', 'HEAD']],
  ])('answers %s %s with a 405 problem whose Allow header lists %j', async (method, template, allowed) => {
    const path = template.replace('{petId}', petId).replace('{orderId}', uuidv7());
    const response = await send(method, path);
    const allow = response.headers
      .get('allow')
      ?.split(',')
      .map((name) => name.trim());
    const problem = await expectProblem(response, 405);
    expect(problem.type).toBe('/problems/method-not-allowed');
    expect(allow?.sort()).toEqual([...allowed].sort());
  });

  it('answers a method the server does not implement with a 501 problem', async () => {
    await expectProblem(await send('PROPFIND', '/v1/pets'), 501);
  });
});

interface BodyRequest {
  method: string;
  path: string;
  body: unknown;
}
/** Every operation that takes a JSON body, with a request it would accept (ids exist once the app runs). */
const BODY_REQUESTS: Record<string, () => BodyRequest> = {
  createPet: () => ({ method: 'POST', path: '/v1/pets', body: validPet }),
  updatePet: () => ({ method: 'PATCH', path: `/v1/pets/${petId}`, body: { name: 'Renamed' } }),
  updateInventory: () => ({ method: 'PATCH', path: `/v1/inventory/${petId}`, body: { stock: 9 } }),
  createOrder: () => ({
    method: 'POST',
    path: '/v1/orders',
    body: { petId, quantity: 1, userId: 'user-456' },
  }),
  putPreferences: () => ({
    method: 'PUT',
    path: '/v1/users/user-456/preferences',
    body: { species: ['dog'] },
  }),
  likePet: () => ({ method: 'POST', path: '/v1/users/user-456/likes', body: { petId } }),
};

describe('request bodies', () => {
  it.each(Object.keys(BODY_REQUESTS))(
    'answers %s with a body that is not JSON with 415 and changes nothing',
    async (operationId) => {
      const { method, path, body } = BODY_REQUESTS[operationId]!();
      const [pet, user, count] = [
        await app.store.pets.get(petId),
        await app.store.users.get('user-456'),
        await catalogSize(),
      ];
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        await expectProblem(await send(method, path, undefined, { 'content-type': type }), 415);
        const response = await fetch(`${app.url}${path}`, {
          method,
          headers: { 'content-type': type, ...staff },
          body: JSON.stringify(body),
        });
        const problem = await expectProblem(response, 415);
        expect(problem.type).toBe('/problems/unsupported-media-type');
      }
      const untyped = new TextEncoder().encode(JSON.stringify(body));
      await expectProblem(await fetch(`${app.url}${path}`, { method, headers: staff, body: untyped }), 415);
      expect(await app.store.pets.get(petId)).toEqual(pet);
      expect(await app.store.users.get('user-456')).toEqual(user);
      expect(await catalogSize()).toBe(count);
    },
  );

  it.each(Object.keys(BODY_REQUESTS))('answers %s with a body over 64 KiB with 413', async (operationId) => {
    const { method, path } = BODY_REQUESTS[operationId]!();
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...staff },
      body: `"${'x'.repeat(64 * 1024)}"`,
    });
    const problem = await expectProblem(response, 413);
    expect(problem.type).toBe('/problems/payload-too-large');
  });

  it('answers 413 to a body over 64 KiB sent in chunks without a Content-Length', async () => {
    const count = await catalogSize();
    const chunk = new TextEncoder().encode(' '.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode(JSON.stringify(validPet)));
        if (sent++ < 5) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const headers = { 'content-type': 'application/json', ...(await staffBearer()) };
    const init = { method: 'POST', headers, body, duplex: 'half' };
    const response = await fetch(`${app.url}/v1/pets`, init as RequestInit);
    await expectProblem(response, 413);
    expect(await catalogSize()).toBe(count);
  });

  it('accepts a body of exactly 64 KiB', async () => {
    const json = JSON.stringify(validPet);
    const body = json + ' '.repeat(64 * 1024 - Buffer.byteLength(json));
    expect(Buffer.byteLength(body)).toBe(64 * 1024);
    const response = await fetch(`${app.url}/v1/pets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await staffBearer()) },
      body,
    });
    await expectMatchesSpec('createPet', response, 201);
  });

  it('accepts application/json with a charset parameter', async () => {
    const response = await send('POST', '/v1/pets', validPet, {
      'content-type': 'application/json; charset=utf-8',
    });
    await expectMatchesSpec('createPet', response, 201);
  });

  it('lists at most 100 field errors, so the problem stays within its schema', async () => {
    const extra = Object.fromEntries(Array.from({ length: 150 }, (_, index) => [`extra${index}`, index]));
    const problem = await expectMatchesSpec(
      'createPet',
      await send('POST', '/v1/pets', { ...validPet, ...extra }),
      400,
    );
    expect(problem.errors).toHaveLength(100);
  });
});

const v7 = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';
const BAD_UUIDS: [string, string][] = [
  ['a word', 'not-a-uuid'],
  ['a UUIDv4', randomUUID()],
  ['a UUIDv7 in upper case', v7.toUpperCase()],
  ['a UUIDv7 followed by an encoded LF', `${v7}%0A`],
  ['an encoded CR LF before a UUIDv7', `%0D%0A${v7}`],
  ['a UUIDv7 with an encoded NUL inside', `${v7.slice(0, 8)}%00${v7.slice(8)}`],
  ['a UUIDv7 with one character too many', `${v7}0`],
  ['3000 characters', 'a'.repeat(3000)],
  ['malformed percent-encoding', '%E0%A4%A'],
];
const BAD_USER_IDS: [string, string][] = [
  ['an encoded LF', 'user-456%0A'],
  ['an encoded CR LF', 'user%0D%0A456'],
  ['an encoded NUL', 'user%00'],
  ['an encoded space', 'user%20456'],
  ['a dot', 'user.456'],
  ['65 characters', 'u'.repeat(65)],
];
type IdOperation =
  | 'getPet'
  | 'updatePet'
  | 'updateInventory'
  | 'getOrder'
  | 'cancelOrder'
  | 'getUser'
  | 'putPreferences'
  | 'likePet';
type IdRoute = [IdOperation, string, string, string, unknown];
const ID_ROUTES = (): IdRoute[] => [
  ['getPet', 'GET', '/v1/pets/{id}', '/petId', undefined],
  ['updatePet', 'PATCH', '/v1/pets/{id}', '/petId', { name: 'Renamed' }],
  ['updateInventory', 'PATCH', '/v1/inventory/{id}', '/petId', { stock: 1 }],
  ['getOrder', 'GET', '/v1/orders/{id}', '/orderId', undefined],
  ['cancelOrder', 'POST', '/v1/orders/{id}/cancel', '/orderId', undefined],
];
const USER_ROUTES = (): IdRoute[] => [
  ['getUser', 'GET', '/v1/users/{id}', '/userId', undefined],
  ['putPreferences', 'PUT', '/v1/users/{id}/preferences', '/userId', {}],
  ['likePet', 'POST', '/v1/users/{id}/likes', '/userId', { petId: v7 }],
];

describe('malformed path ids', () => {
  const cases = [
    ...ID_ROUTES().flatMap((route) => BAD_UUIDS.map(([label, id]) => [route, label, id] as const)),
    ...USER_ROUTES().flatMap((route) => BAD_USER_IDS.map(([label, id]) => [route, label, id] as const)),
  ].map(([route, label, id]) => [`${route[1]} ${route[2]} with ${label}`, route, id] as const);

  it.each(cases)('refuses %s with a 400 naming the path parameter', async (_name, route, id) => {
    const [operationId, method, template, pointer, body] = route;
    const response = await send(method, template.replace('{id}', id), body);
    const problem = await expectMatchesSpec(operationId, response, 400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ in: 'path', pointer }));
  });
});

describe('problem instance', () => {
  it.each([
    ['a raw | in the path', '/v1/pets/a|b', '/v1/pets/a%7Cb'],
    ['raw brackets in the query', '/v1/pets?limit=[1]', '/v1/pets?limit=%5B1%5D'],
    ['a lone % in the query', '/v1/pets?limit=%', '/v1/pets?limit=%25'],
    [
      'an escape that the 2000-character cut would split',
      `/v1/pets/${'a'.repeat(1989)}%0A%0A`,
      `/v1/pets/${'a'.repeat(1989)}`,
    ],
  ])('is a valid URI reference of the request even with %s', async (_case, target, instance) => {
    const operationId = target.startsWith('/v1/pets?') ? 'listPets' : 'getPet';
    const problem = await expectMatchesSpec(operationId, await send('GET', target), 400);
    expect(problem.instance).toBe(instance);
  });
});
