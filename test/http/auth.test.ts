import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import type { OperationId } from '../../generated/operations.js';
import { type Store, uuidv7 } from '../../src/store/index.js';
import { accessToken, bearer, TEST_JWT_SECRET } from '../helpers/accessTokens.js';
import { expectMatchesSpec } from '../helpers/expectMatchesSpec.js';
import { rawGet } from '../helpers/rawGet.js';
import { restClient, type Send } from '../helpers/restClient.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';

type Order = components['schemas']['Order'];

let store: Store;
let app: StartedApp;
let petId: string;
/** An order of user-456. */
let order: Order;
let anonymous: Send;
beforeAll(async () => {
  store = await openTestStore();
  app = await startApp({ store });
  anonymous = restClient(app.url);
  petId = (await store.pets.all()).find((pet) => pet.stock >= 5)!.id;
  await app.services.inventory.update(petId, { stock: 1000 });
  order = await app.services.orders.place({ petId, quantity: 1, userId: 'user-456' });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const stockOf = async () => (await store.pets.get(petId))!.stock;

/** The protected operations: each documents a 401. */
type Protected =
  | Extract<OperationId, 'createOrder' | 'getOrder' | 'cancelOrder' | 'streamOrderStatus'>
  | Extract<OperationId, 'createStreamTicket' | 'getUser' | 'putPreferences' | 'likePet'>;
/** Each protected operation, as a request with no credentials of its own. */
const OPERATIONS: [Protected, string, () => string, unknown][] = [
  ['createOrder', 'POST', () => '/v1/orders', { petId: '', quantity: 1, userId: 'user-456' }],
  ['getOrder', 'GET', () => `/v1/orders/${order.id}`, undefined],
  ['cancelOrder', 'POST', () => `/v1/orders/${order.id}/cancel`, undefined],
  ['streamOrderStatus', 'GET', () => `/v1/orders/${order.id}/status/stream`, undefined],
  ['createStreamTicket', 'POST', () => '/v1/stream-tickets', { orderId: '' }],
  ['getUser', 'GET', () => '/v1/users/user-456', undefined],
  ['putPreferences', 'PUT', () => '/v1/users/user-456/preferences', {}],
  ['likePet', 'POST', () => '/v1/users/user-456/likes', { petId: '' }],
];
const bodyOf = (body: unknown) =>
  body && typeof body === 'object'
    ? Object.fromEntries(
        Object.entries(body).map(([key, value]) => [
          key,
          value === '' ? (key === 'orderId' ? order.id : petId) : value,
        ]),
      )
    : body;

describe('without credentials', () => {
  it.each(OPERATIONS)(
    'refuses %s with 401, a Bearer challenge and a problem',
    async (operationId, method, path, body) => {
      const response = await anonymous(method, path(), bodyOf(body), { accept: 'text/event-stream, */*' });
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="petstore-sse"');
      const problem = await expectMatchesSpec<Protected, 401>(operationId, response, 401);
      expect(problem).toMatchObject({ type: '/problems/unauthorized', status: 401 });
      expect(problem.detail).toContain('Authorization: Bearer');
    },
  );

  it('takes no stock and cancels nothing', async () => {
    const stock = await stockOf();
    await anonymous('POST', '/v1/orders', { petId, quantity: 1, userId: 'user-456' });
    await anonymous('POST', `/v1/orders/${order.id}/cancel`);
    expect(await stockOf()).toBe(stock);
    expect((await app.services.orders.get(order.id)).status).toBe('payment_processing');
  });

  it('leaves the public endpoints public', async () => {
    expect((await anonymous('GET', '/v1/pets?limit=1')).status).toBe(200);
    expect((await anonymous('GET', '/v1/inventory')).status).toBe(200);
    const stream = await fetch(`${app.url}/v1/inventory/stream`);
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
  });
});

/** A token signed with an RSA key: an algorithm the HS256 server does not accept. */
async function rs256Token(): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setSubject('user-456')
    .setIssuer('petstore-sse')
    .setAudience('petstore-sse')
    .setExpirationTime('1h')
    .sign(privateKey);
}
const now = () => Math.floor(Date.now() / 1000);
const unsigned = (claims: object) => `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
const withoutClaim = (claim: 'exp' | 'sub') => {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('petstore-sse');
  jwt.setAudience('petstore-sse');
  if (claim !== 'exp') jwt.setExpirationTime('1h');
  if (claim !== 'sub') jwt.setSubject('user-456');
  return jwt.sign(new TextEncoder().encode(TEST_JWT_SECRET));
};

const REFUSED_TOKENS: [string, () => Promise<string>, RegExp][] = [
  ['signed with another secret', () => accessToken('user-456', { secret: 'y'.repeat(48) }), /signature/],
  [
    'with a valid signature whose payload was changed',
    async () => {
      const [head, , signature] = (await accessToken('user-123')).split('.');
      return `${head}.${encode({ sub: 'user-456', iss: 'petstore-sse', aud: 'petstore-sse', exp: now() + 60 })}.${signature}`;
    },
    /signature/,
  ],
  [
    'with alg none',
    async () => unsigned({ sub: 'user-456', iss: 'petstore-sse', aud: 'petstore-sse', exp: now() + 60 }),
    /algorithm/,
  ],
  ['signed with RS256 (an algorithm not on the allow-list)', rs256Token, /algorithm/],
  [
    'signed with HS512 (not on the allow-list)',
    () => accessToken('user-456', { alg: 'HS512', secret: 'z'.repeat(64) }),
    /algorithm/,
  ],
  ['for another issuer', () => accessToken('user-456', { issuer: 'https://evil.example' }), /"iss"/],
  ['for another audience', () => accessToken('user-456', { audience: 'another-api' }), /"aud"/],
  ['that expired', () => accessToken('user-456', { expiresIn: -5 }), /expired/],
  ['that is not valid yet (nbf)', () => accessToken('user-456', { notBefore: 120 }), /nbf/],
  ['without exp', () => withoutClaim('exp'), /"exp"/],
  ['without sub', () => withoutClaim('sub'), /"sub"/],
  ['whose subject is not a user id', () => accessToken('user 456'), /subject/],
  ['that is not a JWT', async () => 'not-a-jwt', /not a valid JWT/],
];

describe('refused access tokens', () => {
  it.each(REFUSED_TOKENS)('refuses a token %s with 401 invalid_token', async (_case, sign, reason) => {
    const token = await sign();
    const response = await anonymous('GET', `/v1/orders/${order.id}`, undefined, {
      authorization: `Bearer ${token}`,
    });
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(
      /^Bearer realm="petstore-sse", error="invalid_token", error_description="[^"\\]+"$/,
    );
    const problem = await expectMatchesSpec('getOrder', response, 401);
    expect(problem.detail).toMatch(reason);
    expect(JSON.stringify(problem)).not.toContain(token);
  });

  it.each(REFUSED_TOKENS)('refuses the status stream to a token %s before it opens', async (_case, token) => {
    const response = await fetch(`${app.url}/v1/orders/${order.id}/status/stream`, {
      headers: { authorization: `Bearer ${await token()}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('refuses another scheme with 401 and a plain challenge', async () => {
    const response = await anonymous('GET', `/v1/orders/${order.id}`, undefined, {
      authorization: 'Basic dXNlcjpwdw==',
    });
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="petstore-sse"');
    await expectMatchesSpec('getOrder', response, 401);
  });

  it('refuses two Authorization headers with 400 invalid_request', async () => {
    const token = await accessToken('user-456');
    const response = await rawGet(app.url, `/v1/orders/${order.id}`, {
      authorization: [`Bearer ${token}`, `Bearer ${token}`] as unknown as string,
    });
    expect(response.status).toBe(400);
    expect(response.type).toBe('application/problem+json');
  });

  it('accepts the scheme in any case', async () => {
    const response = await anonymous('GET', `/v1/orders/${order.id}`, undefined, {
      authorization: `bEaReR ${await accessToken('user-456')}`,
    });
    expect(response.status).toBe(200);
  });
});

describe("another user's order", () => {
  const asOther = () => restClient(app.url, 'user-123');

  it('answers 404 to GET, exactly as for an id no order has', async () => {
    const unknown = uuidv7();
    const theirs = await expectMatchesSpec('getOrder', await asOther()('GET', `/v1/orders/${order.id}`), 404);
    const none = await expectMatchesSpec('getOrder', await asOther()('GET', `/v1/orders/${unknown}`), 404);
    expect(theirs.detail).toBe(none.detail?.replace(unknown, order.id));
  });

  it('answers 404 to cancel and leaves the order and the stock as they were', async () => {
    const stock = await stockOf();
    await expectMatchesSpec('cancelOrder', await asOther()('POST', `/v1/orders/${order.id}/cancel`), 404);
    expect((await app.services.orders.get(order.id)).status).toBe('payment_processing');
    expect(await stockOf()).toBe(stock);
  });

  it('answers 404 to its status stream before it opens', async () => {
    const response = await fetch(`${app.url}/v1/orders/${order.id}/status/stream`, {
      headers: await bearer('user-123'),
    });
    await expectMatchesSpec('streamOrderStatus', response, 404);
  });

  it('answers 404 to a stream ticket for it', async () => {
    const response = await asOther()('POST', '/v1/stream-tickets', { orderId: order.id });
    await expectMatchesSpec('createStreamTicket', response, 404);
  });

  it('lets the owner read and follow it', async () => {
    const owner = restClient(app.url, 'user-456');
    expect(
      await expectMatchesSpec('getOrder', await owner('GET', `/v1/orders/${order.id}`), 200),
    ).toMatchObject({
      id: order.id,
    });
  });
});

describe('placing an order', () => {
  it('refuses an order for another user with 403 and takes no stock', async () => {
    const stock = await stockOf();
    const response = await restClient(app.url, 'user-123')('POST', '/v1/orders', {
      petId,
      quantity: 1,
      userId: 'user-456',
    });
    const problem = await expectMatchesSpec('createOrder', response, 403);
    expect(problem.detail).toContain('user-123');
    expect(await stockOf()).toBe(stock);
  });
});

describe("another user's data", () => {
  it.each([
    ['getUser', 'GET', '/v1/users/user-123', undefined],
    ['putPreferences', 'PUT', '/v1/users/user-123/preferences', { species: ['cat'] }],
    ['likePet', 'POST', '/v1/users/user-123/likes', { petId: '' }],
  ] as const)(
    'answers %s with 404, as for a user that does not exist',
    async (operationId, method, path, body) => {
      const before = await store.users.get('user-123');
      const response = await restClient(app.url, 'user-456')(method, path, bodyOf(body));
      const problem = await expectMatchesSpec(operationId, response, 404);
      expect(problem.detail).toBe('No user has the id "user-123".');
      expect(await store.users.get('user-123')).toEqual(before);
    },
  );
});

describe('clock tolerance', () => {
  it('accepts a token that expired within AUTH_CLOCK_TOLERANCE_SECONDS, and refuses it without', async () => {
    const tolerant = await startApp({ store, auth: { clockToleranceSeconds: 60 } });
    try {
      const headers = await bearer('user-456', { expiresIn: -5 });
      expect((await fetch(`${tolerant.url}/v1/orders/${order.id}`, { headers })).status).toBe(200);
      expect((await fetch(`${app.url}/v1/orders/${order.id}`, { headers })).status).toBe(401);
    } finally {
      await tolerant.close();
    }
  });
});

describe('logs', () => {
  it('never hold an access token', async () => {
    const token = await accessToken('user-456');
    await anonymous('GET', `/v1/orders/${order.id}`, undefined, { authorization: `Bearer ${token}` });
    await anonymous('GET', `/v1/orders/${order.id}?token=${token}`);
    const logged = JSON.stringify(app.logs);
    expect(app.logs.length).toBeGreaterThan(0);
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(token.split('.')[2]!);
  });
});
