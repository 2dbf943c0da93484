import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, staffBearer } from '../helpers/accessTokens.js';
import { expectProblem } from '../helpers/expectMatchesSpec.js';
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

const STREAM = { accept: 'text/event-stream' };

describe('query strings are closed as the spec declares them', () => {
  it.each([
    ['recommendations', '/v1/pets/recommendations/stream?userId=user-456&bogus=1'],
    ['inventory', '/v1/inventory/stream?lastEventId=0&bogus=1'],
  ])(
    'refuses an unknown parameter on the %s stream with 400 naming it, before any frame',
    async (_name, path) => {
      const response = await fetch(`${app.url}${path}`, { headers: STREAM });
      const problem = await expectProblem(response, 400);
      expect(problem.errors).toEqual([
        { in: 'query', pointer: '/bogus', message: 'is not an allowed property' },
      ]);
      expect(app.eventLog.readerCount('inventory')).toBe(0);
    },
  );

  it('refuses an unknown parameter on the order status stream, yet takes its ticket credential', async () => {
    const [pet] = await app.services.inventory.list();
    const order = await app.services.orders.place({ petId: pet!.petId, quantity: 1, userId: 'user-456' });
    const path = `/v1/orders/${order.id}/status/stream`;
    const bogus = await fetch(`${app.url}${path}?bogus=1`, {
      headers: { ...STREAM, ...(await bearer('user-456')) },
    });
    expect((await expectProblem(bogus, 400)).errors).toEqual([
      { in: 'query', pointer: '/bogus', message: 'is not an allowed property' },
    ]);
    // A ticket is not refused as unknown: it gets as far as authentication (a forged one: 401).
    const ticket = `st_${'A'.repeat(43)}`;
    const forged = await fetch(`${app.url}${path}?ticket=${ticket}`, { headers: STREAM });
    await expectProblem(forged, 401);
  });

  it.each([
    ['GET', `/v1/pets?limit=5&limt=6`, '/limt'],
    ['GET', '/v1/inventory?cacheBust=1', '/cacheBust'],
  ])('refuses an unknown parameter on REST %s %s with 400 naming it', async (method, path, pointer) => {
    const response = await fetch(`${app.url}${path}`, { method });
    expect((await expectProblem(response, 400)).errors).toEqual([
      { in: 'query', pointer, message: 'is not an allowed property' },
    ]);
  });

  it('refuses an unknown parameter on a REST write without changing anything', async () => {
    const before = await app.services.inventory.list();
    const response = await fetch(`${app.url}/v1/inventory/${petId}?dryRun=1`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...(await staffBearer()) },
      body: JSON.stringify({ stock: 77 }),
    });
    expect((await expectProblem(response, 400)).errors).toEqual([
      { in: 'query', pointer: '/dryRun', message: 'is not an allowed property' },
    ]);
    expect(await app.services.inventory.list()).toEqual(before);
  });

  it('leaves the probes open: health, readiness and metrics declare no 400', async () => {
    for (const path of ['/healthz?probe=1', '/readyz?probe=1', '/metrics?probe=1']) {
      expect((await fetch(`${app.url}${path}`)).status, path).toBe(200);
    }
  });
});
