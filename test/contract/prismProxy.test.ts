import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import openapi from '../../generated/specs/openapi.json' with { type: 'json' };
import { bearer, staffBearer } from '../helpers/accessTokens.js';
import { collectSse } from '../helpers/collectSse.js';
import { type OrderingApp, startOrderingApp } from '../helpers/orderingApp.js';
import { type PrismProxy, startPrismProxy } from './prismProxy.js';

/**
 * A third-party check of the contract: every REST operation and the error cases a valid request can meet,
 * driven through Stoplight Prism (`prism proxy --errors`), which validates each request and each real answer
 * against generated/specs/openapi.json and turns any response violation into a 500. Prism reads a whole body
 * before it answers, and validates a `text/event-stream` body as one value, so the streams' frames are not
 * driven through it (the drift check, test/contract/driftCheck.ts, checks them frame by frame); their other
 * answers are. Requests that break the document (400, 413, 415) and methods it does not have (405, 501) are
 * answered by Prism itself (422, 405) and never reach the server; and Prism 5.14 cannot proxy HEAD (it parses the
 * empty body of a JSON answer and fails), so HEAD is left to the drift check too.
 */

const MAX_HEADER_BYTES = 8192;
/** Per minute: room for the ~40 REST requests above the last test, which then uses the rest up. */
const RATE_LIMIT = 60;
const OTHER_PET = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';
const OTHER_ORDER = '0193a5c4-1d2e-7f30-8a41-b2c3d4e5f607';
const schemas = openapi.components.schemas as Record<string, { examples?: unknown[] }>;
const example = (name: string) => schemas[name]!.examples![0] as Record<string, unknown>;

let ordering: OrderingApp;
let prism: PrismProxy;
let owner: Record<string, string>;
/** A token with both staff scopes, for the catalog and inventory writes. */
let staff: Record<string, string>;
const seen: { request: string; status: number; violations: string | null }[] = [];

beforeAll(async () => {
  ordering = await startOrderingApp({
    limits: { rateLimitPerMinute: RATE_LIMIT, maxHeaderBytes: MAX_HEADER_BYTES },
  });
  prism = await startPrismProxy(ordering.app.url);
  owner = await bearer('user-456');
  staff = await staffBearer();
}, 180_000);

afterAll(async () => {
  await prism?.close();
  await ordering?.close();
});

/** Sends a request through Prism and returns the answer, noting any violation Prism reports for it. */
async function send(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers = {
    ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...options.headers,
  };
  const body = options.body === undefined ? null : JSON.stringify(options.body);
  const response = await fetch(`${prism.url}${path}`, { method, headers, body });
  seen.push({
    request: `${method} ${path}`,
    status: response.status,
    violations: response.headers.get('sl-violations'),
  });
  return response;
}

async function expectStatus(response: Response, status: number): Promise<Record<string, unknown>> {
  const text = await response.text();
  expect(response.headers.get('sl-violations'), text).toBeNull();
  expect(response.status, text).toBe(status);
  return text === '' || !/json/.test(response.headers.get('content-type') ?? '') ? {} : JSON.parse(text);
}

// Each request passes through a second process that validates it: allow for a loaded machine.
describe('the server through a validating proxy (Prism 5, proxy --errors)', { timeout: 120_000 }, () => {
  it('answers the catalog and inventory operations as declared', async () => {
    const page = await expectStatus(await send('GET', '/v1/pets?limit=2'), 200);
    const petId = (page.items as { id: string }[])[0]!.id;
    await expectStatus(await send('OPTIONS', '/v1/pets'), 405);
    const headers = staff;
    const pet = example('PetCreate');
    await expectStatus(await send('POST', '/v1/pets', { body: pet }), 401);
    await expectStatus(await send('POST', '/v1/pets', { headers: owner, body: pet }), 403);
    await expectStatus(await send('POST', '/v1/pets', { headers, body: pet }), 201);
    await expectStatus(await send('GET', `/v1/pets/${petId}`), 200);
    await expectStatus(await send('GET', `/v1/pets/${OTHER_PET}`), 404);
    await expectStatus(await send('PATCH', `/v1/pets/${petId}`, { headers, body: { name: 'Biscuit' } }), 200);
    await expectStatus(
      await send('PATCH', `/v1/pets/${petId}`, { headers: owner, body: { name: 'B' } }),
      403,
    );
    await expectStatus(
      await send('PATCH', `/v1/pets/${OTHER_PET}`, { headers, body: { name: 'Nobody' } }),
      404,
    );
    await expectStatus(await send('GET', '/v1/inventory'), 200);
    await expectStatus(
      await send('PATCH', `/v1/inventory/${petId}`, { headers, body: { price: 19.99 } }),
      200,
    );
    await expectStatus(await send('PATCH', `/v1/inventory/${petId}`, { body: { price: 19.99 } }), 401);
    await expectStatus(
      await send('PATCH', `/v1/inventory/${petId}`, { headers: owner, body: { price: 19.99 } }),
      403,
    );
    await expectStatus(
      await send('PATCH', `/v1/inventory/${OTHER_PET}`, { headers, body: { stock: 1 } }),
      404,
    );
  });

  it('answers the user operations as declared, the owner’s and everyone else’s', async () => {
    const { petId } = ordering;
    const headers = owner;
    await expectStatus(await send('GET', '/v1/users/user-456', { headers }), 200);
    await expectStatus(await send('GET', '/v1/users/user-789', { headers }), 404);
    await expectStatus(
      await send('GET', '/v1/users/user-456', { headers: { authorization: 'Bearer x' } }),
      401,
    );
    const preferences = example('Preferences');
    await expectStatus(
      await send('PUT', '/v1/users/user-456/preferences', { headers, body: preferences }),
      200,
    );
    await expectStatus(await send('POST', '/v1/users/user-456/likes', { headers, body: { petId } }), 200);
    await expectStatus(
      await send('POST', '/v1/users/user-456/likes', { headers, body: { petId: OTHER_PET } }),
      404,
    );
    await expectStatus(await send('POST', '/v1/dev/tokens', { body: { userId: 'user-456' } }), 201);
    const scopes = ['inventory:write'];
    await expectStatus(await send('POST', '/v1/dev/tokens', { body: { userId: 'user-456', scopes } }), 201);
  });

  it('answers the order operations, their refusals and the order status stream’s refusals as declared', async () => {
    const { petId } = ordering;
    const headers = owner;
    const order = { petId, quantity: 1, userId: 'user-456' };
    const placed = await expectStatus(await send('POST', '/v1/orders', { headers, body: order }), 201);
    const orderId = String(placed.id);
    await expectStatus(
      await send('POST', '/v1/orders', { headers, body: { ...order, userId: 'user-789' } }),
      403,
    );
    const soldOut = (await ordering.store.pets.all()).find((pet) => pet.id !== petId)!.id;
    await expectStatus(
      await send('PATCH', `/v1/inventory/${soldOut}`, { headers: staff, body: { stock: 0 } }),
      200,
    );
    await expectStatus(
      await send('POST', '/v1/orders', { headers, body: { ...order, petId: soldOut } }),
      409,
    );
    await expectStatus(
      await send('POST', '/v1/orders', { headers, body: { ...order, petId: OTHER_PET } }),
      404,
    );
    await expectStatus(await send('GET', `/v1/orders/${orderId}`, { headers }), 200);
    await expectStatus(await send('GET', `/v1/orders/${OTHER_ORDER}`, { headers }), 404);
    await expectStatus(await send('POST', '/v1/stream-tickets', { headers, body: { orderId } }), 201);
    await expectStatus(
      await send('POST', '/v1/stream-tickets', { headers, body: { orderId: OTHER_ORDER } }),
      404,
    );
    await expectStatus(await send('POST', `/v1/orders/${orderId}/cancel`, { headers }), 200);
    await expectStatus(await send('POST', `/v1/orders/${orderId}/cancel`, { headers }), 409);

    const stream = `/v1/orders/${orderId}/status/stream`;
    const direct = await fetch(`${ordering.app.url}${stream}`, {
      headers: { ...headers, accept: 'text/event-stream' },
    });
    const lastId = (await collectSse(direct.body!)).events.at(-1)!.id!;
    const sse = { ...headers, accept: 'text/event-stream' };
    await expectStatus(await send('GET', stream, { headers: { ...sse, 'last-event-id': lastId } }), 204);
    await expectStatus(await send('GET', `/v1/orders/${OTHER_ORDER}/status/stream`, { headers: sse }), 404);
    await expectStatus(
      await send('GET', stream, { headers: { accept: 'text/event-stream', authorization: 'Bearer x' } }),
      401,
    );
  });

  it('refuses a stream request that does not accept text/event-stream (406) and answers OPTIONS', async () => {
    const json = { accept: 'application/json' };
    await expectStatus(await send('GET', '/v1/inventory/stream', { headers: json }), 406);
    await expectStatus(
      await send('GET', '/v1/pets/recommendations/stream?userId=user-456', { headers: json }),
      406,
    );
    await expectStatus(await send('OPTIONS', '/v1/inventory/stream'), 405);
    await expectStatus(
      await send('GET', '/v1/pets/recommendations/stream?userId=nobody-at-all', {
        headers: { accept: 'text/event-stream' },
      }),
      404,
    );
  });

  it('answers an Idempotency-Key write, its replay and its reuse with another body as declared', async () => {
    const { petId } = ordering;
    const body = { petId, quantity: 1, userId: 'user-456' };
    const keyed = (key: string) => ({ ...owner, 'idempotency-key': key });
    const key = `prism-${Date.now()}`;
    const placed = await expectStatus(await send('POST', '/v1/orders', { headers: keyed(key), body }), 201);
    const replay = await send('POST', '/v1/orders', { headers: keyed(key), body });
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    expect((await expectStatus(replay, 201)).id).toBe(placed.id);
    await expectStatus(
      await send('POST', '/v1/orders', { headers: keyed(key), body: { ...body, quantity: 2 } }),
      422,
    );
  });

  it('answers the chat, system and document operations as declared', async () => {
    const question = {
      model: 'PET_ADVISOR_1',
      messages: [{ role: 'user', content: 'Which cats are calm?' }],
    };
    await expectStatus(await send('POST', '/v1/chat/completions', { body: question }), 200);
    for (const path of [
      '/healthz',
      '/readyz',
      '/metrics',
      '/openapi.json',
      '/openapi-3.2.json',
      '/asyncapi.json',
    ])
      await expectStatus(await send('GET', path), 200);
  });

  it('answers headers over MAX_HEADER_BYTES with 431 and requests over the rate limit with 429', async () => {
    await expectStatus(
      await send('GET', '/v1/inventory', { headers: { 'x-padding': 'x'.repeat(MAX_HEADER_BYTES) } }),
      431,
    );
    // The cheapest REST answer, a 404, until the limit is reached.
    let response = await send('GET', `/v1/pets/${OTHER_PET}`);
    // Sent faster than the bucket refills (one a second), however loaded the machine.
    for (let sent = 1; response.status === 404 && sent < 2000; sent += 1) {
      await response.body?.cancel();
      response = await send('GET', `/v1/pets/${OTHER_PET}`);
    }
    await expectStatus(response, 429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('found no violation in any request or answer', () => {
    expect(seen.length).toBeGreaterThan(50);
    expect(seen.filter((entry) => entry.violations !== null)).toEqual([]);
    expect(prism.lines.filter((line) => /Violation/.test(line))).toEqual([]);
  });
});
