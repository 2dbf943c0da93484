import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_TOPIC } from '../../src/domain/inventory/index.js';
import { staffBearer } from '../helpers/accessTokens.js';
import { launchChromium } from '../helpers/launchChromium.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';
import { type StartedServer, startServer } from '../helpers/startServer.js';

/** A page of another origin than the API (`localhost` vs `127.0.0.1`, another port), as a web shop would be. */
const blankPage = () =>
  startServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>shop</title>');
  });
const localhost = (server: StartedServer) => server.url.replace('127.0.0.1', 'localhost');

let shop: StartedServer;
let stranger: StartedServer;
let app: StartedApp;
let browser: Browser;
let page: Page;
let petId: string;
beforeAll(async () => {
  [shop, stranger, browser] = await Promise.all([blankPage(), blankPage(), launchChromium()]);
  app = await startApp({ corsOrigins: [localhost(shop)] });
  petId = (await app.store.pets.all())[0]!.id;
  page = await browser.newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([app?.close(), shop?.close(), stranger?.close()]);
});

const preflights = () => app.logs.filter((line) => line.msg === 'request' && line.method === 'OPTIONS');

describe('a browser page on an allowed origin', () => {
  it('passes the preflight of a JSON PATCH and reads the answer', async () => {
    await page.goto(localhost(shop));
    const before = preflights().length;
    const answer = await page.evaluate(
      async ([api, pet, staff]) => {
        const response = await fetch(`${api}/v1/inventory/${pet}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', ...staff },
          body: JSON.stringify({ stock: 4 }),
        });
        return { status: response.status, body: await response.json() };
      },
      [app.url, petId, await staffBearer()] as const,
    );
    expect(answer).toMatchObject({ status: 200, body: { petId, stock: 4 } });
    expect(preflights().slice(before)).toEqual([expect.objectContaining({ status: 204 })]);
  });

  it('passes the preflight of a stream request that resumes with a Last-Event-ID header', async () => {
    const resumeId = (await app.eventLog.head(INVENTORY_TOPIC)) ?? app.eventLog.log.idOf(0);
    await app.eventLog.append(INVENTORY_TOPIC, 'stock-change', {
      petId,
      oldStock: 4,
      newStock: 3,
      timestamp: new Date().toISOString(),
    });
    const before = preflights().length;
    const first = await page.evaluate(
      async ([api, lastEventId]) => {
        const response = await fetch(`${api}/v1/inventory/stream`, {
          headers: { 'last-event-id': lastEventId },
        });
        const reader = response.body!.getReader();
        let text = '';
        while (!text.includes('event: stock-change'))
          text += new TextDecoder().decode((await reader.read()).value);
        await reader.cancel();
        return { status: response.status, type: response.headers.get('content-type'), text };
      },
      [app.url, resumeId] as const,
    );
    expect(first.status).toBe(200);
    expect(first.type).toBe('text/event-stream; charset=utf-8');
    expect(first.text).toContain('event: stock-change');
    expect(preflights().slice(before)).toEqual([expect.objectContaining({ status: 204 })]);
  });

  it('receives live events through EventSource', async () => {
    type Received = { type: string; id: string };
    type PageGlobals = typeof globalThis & { source?: EventSource; received?: Promise<Received> };
    await page.evaluate(
      (api) =>
        new Promise<void>((resolve, reject) => {
          const source = new EventSource(`${api}/v1/inventory/stream`);
          (globalThis as PageGlobals).source = source;
          (globalThis as PageGlobals).received = new Promise((done) =>
            source.addEventListener('price-change', (event) =>
              done({ type: event.type, id: event.lastEventId }),
            ),
          );
          source.onopen = () => resolve();
          source.onerror = () => reject(new Error('EventSource failed'));
        }),
      app.url,
    );
    const id = await app.eventLog.append(INVENTORY_TOPIC, 'price-change', {
      petId,
      oldPrice: 10,
      newPrice: 11,
      timestamp: new Date().toISOString(),
    });
    const received = await page.evaluate(async () => {
      const event = await (globalThis as PageGlobals).received!;
      (globalThis as PageGlobals).source!.close();
      return event;
    });
    expect(received).toEqual({ type: 'price-change', id });
  });
});

describe('a browser page on another origin', () => {
  it('cannot read the API: the preflight fails', async () => {
    await page.goto(localhost(stranger));
    const outcome = await page.evaluate(
      async ([api, pet, staff]) =>
        fetch(`${api}/v1/inventory/${pet}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', ...staff },
          body: JSON.stringify({ stock: 5 }),
        }).then(
          (response) => `answered ${response.status}`,
          (error: Error) => error.name,
        ),
      [app.url, petId, await staffBearer()] as const,
    );
    expect(outcome).toBe('TypeError');
    expect((await app.store.pets.get(petId))?.stock).toBe(4);
  });
});
