import { createPublicKey } from 'node:crypto';
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import type { Store } from '../../src/store/index.js';
import { accessToken } from '../helpers/accessTokens.js';
import { expectMatchesSpec } from '../helpers/expectMatchesSpec.js';
import { restClient } from '../helpers/restClient.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';
import { type StartedServer, startServer } from '../helpers/startServer.js';
import { openTestStore } from '../helpers/testStore.js';

type Order = components['schemas']['Order'];

const ISSUER = 'https://idp.example';
const AUDIENCE = 'petstore-api';
const jwksAuth = (url: string) => ({
  key: { kind: 'jwks' as const, url },
  algorithms: ['RS256', 'ES256'],
  issuer: ISSUER,
  audience: AUDIENCE,
  devTokens: false,
});

let store: Store;
let keyServer: StartedServer;
let app: StartedApp;
let order: Order;
let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
let ec: { privateKey: CryptoKey; publicKey: CryptoKey };
let keySetRequests = 0;

beforeAll(async () => {
  rsa = await generateKeyPair('RS256', { extractable: true });
  ec = await generateKeyPair('ES256', { extractable: true });
  const keys = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  keyServer = await startServer((_request, response) => {
    keySetRequests += 1;
    response.writeHead(200, { 'content-type': 'application/jwk-set+json' });
    response.end(JSON.stringify({ keys }));
  });
  store = await openTestStore();
  app = await startApp({ store, auth: jwksAuth(`${keyServer.url}/.well-known/jwks.json`) });
  const petId = (await store.pets.all()).find((pet) => pet.stock > 0)!.id;
  order = await app.services.orders.place({ petId, quantity: 1, userId: 'user-456' });
});
afterAll(async () => {
  await app?.close();
  await keyServer?.close();
  await store?.close();
});

function sign(key: CryptoKey | Uint8Array, alg: string, kid: string | undefined, issuer = ISSUER) {
  return new SignJWT({})
    .setProtectedHeader(kid === undefined ? { alg } : { alg, kid })
    .setSubject('user-456')
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m')
    .sign(key);
}
const getOrder = (token: string, url = app.url) =>
  restClient(url)('GET', `/v1/orders/${order.id}`, undefined, { authorization: `Bearer ${token}` });

describe('access tokens verified with a JWKS (AUTH_JWKS_URL)', () => {
  it('accepts RS256 and ES256 tokens signed by keys of the set, fetching the set once', async () => {
    for (const token of [
      await sign(rsa.privateKey, 'RS256', 'rsa-1'),
      await sign(ec.privateKey, 'ES256', 'ec-1'),
    ]) {
      const found = await expectMatchesSpec('getOrder', await getOrder(token), 200);
      expect(found.id).toBe(order.id);
    }
    const stream = await fetch(`${app.url}/v1/orders/${order.id}/status/stream`, {
      headers: { authorization: `Bearer ${await sign(rsa.privateKey, 'RS256', 'rsa-1')}` },
    });
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
    expect(keySetRequests).toBe(1);
  });

  it('refuses a token signed by a key outside the set, even under a kid of the set', async () => {
    const stranger = await generateKeyPair('RS256');
    for (const kid of ['rsa-1', 'unknown-kid']) {
      const response = await getOrder(await sign(stranger.privateKey, 'RS256', kid));
      const problem = await expectMatchesSpec('getOrder', response, 401);
      expect(problem.detail).toMatch(/signature/);
    }
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const pem = await exportSPKI(rsa.publicKey);
    const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    for (const secret of [new TextEncoder().encode(pem), new Uint8Array(der)]) {
      const response = await getOrder(await sign(secret, 'HS256', 'rsa-1'));
      const problem = await expectMatchesSpec('getOrder', response, 401);
      expect(problem.detail).toMatch(/algorithm/);
    }
  });

  it('refuses a token of another issuer, and a token signed with a shared secret', async () => {
    await expectMatchesSpec(
      'getOrder',
      await getOrder(await sign(rsa.privateKey, 'RS256', 'rsa-1', 'https://other.example')),
      401,
    );
    await expectMatchesSpec('getOrder', await getOrder(await accessToken('user-456')), 401);
  });

  it('issues no dev tokens: the route does not exist', async () => {
    const response = await restClient(app.url)('POST', '/v1/dev/tokens', { userId: 'user-456' });
    expect(response.status).toBe(404);
  });

  it('answers 503 with Retry-After, not 401, while the key set cannot be fetched', async () => {
    const failing = await startServer((_request, response) => {
      response.writeHead(500);
      response.end();
    });
    const cut = await startApp({ store, auth: jwksAuth(`${failing.url}/jwks.json`) });
    try {
      const response = await getOrder(await sign(rsa.privateKey, 'RS256', 'rsa-1'), cut.url);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 503, type: '/problems/unavailable' });
    } finally {
      await cut.close();
      await failing.close();
    }
  });
});
