import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_AUTH } from '../../src/http/auth/index.js';
import type { Store } from '../../src/store/index.js';
import { accessToken } from '../helpers/accessTokens.js';
import { expectMatchesSpec } from '../helpers/expectMatchesSpec.js';
import { restClient } from '../helpers/restClient.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';

let store: Store;
/** In dev mode, as `npm start` runs without configuration: a random key, demo tokens on. */
let dev: StartedApp;
let petId: string;
beforeAll(async () => {
  store = await openTestStore();
  dev = await startApp({ store, auth: DEV_AUTH });
  petId = (await store.pets.all()).find((pet) => pet.stock > 0)!.id;
});
afterAll(async () => {
  await dev.close();
  await store.close();
});

const devToken = async (url: string, body: unknown) => {
  const response = await restClient(url)('POST', '/v1/dev/tokens', body);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return expectMatchesSpec('createDevToken', response, 201);
};
const placeOrder = (url: string, token: string) =>
  restClient(url)(
    'POST',
    '/v1/orders',
    { petId, quantity: 1, userId: 'user-456' },
    { authorization: `Bearer ${token}` },
  );

describe('POST /v1/dev/tokens in dev mode', () => {
  it('issues an HS256 token for a seeded user, valid for an hour, that places their orders', async () => {
    const issued = await devToken(dev.url, { userId: 'user-456' });
    expect(issued).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
    expect(decodeProtectedHeader(issued.accessToken).alg).toBe('HS256');
    const claims = decodeJwt(issued.accessToken);
    expect(claims).toMatchObject({ sub: 'user-456', iss: 'petstore-sse', aud: 'petstore-sse' });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(Date.parse(issued.expiresAt)).toBe(claims.exp! * 1000);
    await expectMatchesSpec('createOrder', await placeOrder(dev.url, issued.accessToken), 201);
  });

  it('issues a token for as long as asked', async () => {
    const issued = await devToken(dev.url, { userId: 'user-123', expiresIn: 60 });
    const claims = decodeJwt(issued.accessToken);
    expect([issued.expiresIn, claims.exp! - claims.iat!]).toEqual([60, 60]);
  });

  it('answers 404 for a user that does not exist, and 400 for a bad request', async () => {
    const unknown = await restClient(dev.url)('POST', '/v1/dev/tokens', { userId: 'user-nobody' });
    await expectMatchesSpec('createDevToken', unknown, 404);
    const bad = await restClient(dev.url)('POST', '/v1/dev/tokens', { userId: 'user-456', expiresIn: 0 });
    await expectMatchesSpec('createDevToken', bad, 400);
  });

  it("trusts only its own process's random key: no other token, and no other dev server's", async () => {
    const other = await startApp({ store, auth: DEV_AUTH });
    try {
      const theirs = await devToken(other.url, { userId: 'user-456' });
      expect((await placeOrder(dev.url, theirs.accessToken)).status).toBe(401);
      expect((await placeOrder(dev.url, await accessToken('user-456'))).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('never logs the token it issued', async () => {
    const issued = await devToken(dev.url, { userId: 'user-456' });
    await placeOrder(dev.url, issued.accessToken);
    expect(JSON.stringify(dev.logs)).not.toContain(issued.accessToken);
  });
});

describe('POST /v1/dev/tokens with dev tokens off', () => {
  it('does not exist (404), as without AUTH_DEV_TOKENS when a key is configured', async () => {
    const app = await startApp({ store, auth: { devTokens: false } });
    try {
      const response = await restClient(app.url)('POST', '/v1/dev/tokens', { userId: 'user-456' });
      expect(response.status).toBe(404);
      expect((await response.json()) as unknown).toMatchObject({ type: '/problems/not-found' });
    } finally {
      await app.close();
    }
  });
});
