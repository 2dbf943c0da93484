import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationId, operations } from '../../generated/operations.js';
import { accessToken, bearer, STAFF_SCOPES, staffBearer } from '../helpers/accessTokens.js';
import { expectMatchesSpec, expectProblem } from '../helpers/expectMatchesSpec.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';

let app: StartedApp;
let petId: string;
beforeAll(async () => {
  app = await startApp();
  petId = (await app.store.pets.all())[0]!.id;
});
afterAll(async () => {
  await app.close();
});

/** A request each write would accept, with the body it sends. */
const WRITES: Record<string, () => { method: string; path: string; body: unknown }> = {
  createPet: () => ({
    method: 'POST',
    path: '/v1/pets',
    body: {
      name: 'Scout',
      species: 'dog',
      breed: 'Collie',
      size: 'large',
      ageMonths: 30,
      price: 300,
      stock: 1,
    },
  }),
  updatePet: () => ({ method: 'PATCH', path: `/v1/pets/${petId}`, body: { ageMonths: 44 } }),
  updateInventory: () => ({ method: 'PATCH', path: `/v1/inventory/${petId}`, body: { stock: 17 } }),
};

/** The operations whose spec requirement lists scopes, read from the generated model (not a hand list). */
const scoped = (Object.keys(operations) as OperationId[])
  .map((id) => [id, [...operations[id].scopes] as string[]] as const)
  .filter(([, scopes]) => scopes.length > 0);

const send = (id: string, headers: Record<string, string> = {}) => {
  const { method, path, body } = WRITES[id]!();
  return fetch(`${app.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
};
const snapshot = async () => JSON.stringify(await app.store.pets.all());

describe('the scopes the spec requires', () => {
  it('are catalog:write for the catalog writes and inventory:write for the inventory write', () => {
    expect(Object.fromEntries(scoped)).toEqual({
      createPet: ['catalog:write'],
      updatePet: ['catalog:write'],
      updateInventory: ['inventory:write'],
    });
  });
});

describe.each(scoped)('%s', (id, [scope]) => {
  it('answers 401 problem+json with a Bearer challenge without a token, and changes nothing', async () => {
    const before = await snapshot();
    const response = await send(id);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="petstore-sse"');
    const problem = await expectProblem(response, 401);
    expect(problem.detail).toContain(scope);
    expect(await snapshot()).toBe(before);
  });

  it('answers 403 problem+json naming the missing scope to a valid token without it, and changes nothing', async () => {
    const before = await snapshot();
    const other = STAFF_SCOPES.filter((candidate) => candidate !== scope);
    for (const headers of [await bearer('user-456'), await bearer('user-456', { scopes: other })]) {
      const response = await send(id, headers);
      expect(response.headers.get('www-authenticate')).toMatch(
        new RegExp(`^Bearer realm="petstore-sse", error="insufficient_scope", .*scope="${scope}"$`),
      );
      const problem = await expectMatchesSpec(id as 'updateInventory', response, 403);
      expect(problem).toMatchObject({ type: '/problems/forbidden', status: 403 });
      expect(problem.detail).toContain(`scope ${scope}`);
    }
    expect(await snapshot()).toBe(before);
  });

  it('answers 401 to a token that is not valid, even one claiming the scope', async () => {
    const forged = await bearer('user-456', { scopes: scope!, secret: 'x'.repeat(48) });
    await expectProblem(await send(id, forged), 401);
  });

  it('runs for a token with the scope, as a string or as an array', async () => {
    const status = id === 'createPet' ? 201 : 200;
    expect((await send(id, await bearer('staff-1', { scopes: scope! }))).status).toBe(status);
    expect((await send(id, await bearer('staff-1', { scopes: ['openid', scope!] }))).status).toBe(status);
  });
});

describe('the scopes claim', () => {
  it('is refused (401) when it is neither a string nor an array of strings', async () => {
    for (const scopes of [42, ['inventory:write', 7], { 'inventory:write': true }]) {
      const token = await accessToken('staff-1', { scopes: scopes as never });
      const response = await send('updateInventory', { authorization: `Bearer ${token}` });
      const problem = await expectProblem(response, 401);
      expect(problem.detail).toContain('"scope" claim');
    }
  });

  it('does not take a scope by prefix or case', async () => {
    for (const scopes of ['inventory:writer', 'INVENTORY:WRITE', 'inventory', 'inventory:write:all']) {
      await expectProblem(await send('updateInventory', await bearer('staff-1', { scopes })), 403);
    }
  });

  it('is read from the claim AUTH_SCOPES_CLAIM names', async () => {
    const roles = await startApp({ store: app.store, auth: { scopesClaim: 'roles' } });
    try {
      const { method, path, body } = WRITES.updateInventory!();
      const patch = (headers: Record<string, string>) =>
        fetch(`${roles.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
      expect((await patch(await staffBearer())).status).toBe(403);
      const inRoles = await bearer('staff-1', { scopes: ['inventory:write'], scopesClaim: 'roles' });
      expect((await patch(inRoles)).status).toBe(200);
    } finally {
      await roles.close();
    }
  });
});

describe('POST /v1/dev/tokens', () => {
  const issue = async (body: unknown) =>
    fetch(`${app.url}/v1/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('issues a token with the scopes asked for, and it is accepted for those writes only', async () => {
    const issued = await expectMatchesSpec(
      'createDevToken',
      await issue({ userId: 'user-456', scopes: ['catalog:write'] }),
      201,
    );
    expect(issued.scopes).toEqual(['catalog:write']);
    const auth = { authorization: `Bearer ${issued.accessToken}` };
    expect((await send('updatePet', auth)).status).toBe(200);
    await expectProblem(await send('updateInventory', auth), 403);
  });

  it('issues a token without write scopes when none are asked for', async () => {
    const issued = await expectMatchesSpec('createDevToken', await issue({ userId: 'user-456' }), 201);
    expect(issued.scopes).toEqual([]);
    const auth = { authorization: `Bearer ${issued.accessToken}` };
    await expectProblem(await send('createPet', auth), 403);
  });

  it('refuses an unknown or repeated scope with a 400 naming it', async () => {
    const unknown = await expectProblem(await issue({ userId: 'user-456', scopes: ['admin'] }), 400);
    expect(unknown.errors).toContainEqual(expect.objectContaining({ in: 'body', pointer: '/scopes/0' }));
    const twice = ['inventory:write', 'inventory:write'];
    const repeated = await expectProblem(await issue({ userId: 'user-456', scopes: twice }), 400);
    expect(repeated.errors).toContainEqual(expect.objectContaining({ in: 'body', pointer: '/scopes' }));
  });
});
