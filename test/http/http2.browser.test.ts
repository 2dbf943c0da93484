import type { Http2ServerRequest } from 'node:http2';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_TOPIC } from '../../src/domain/inventory/index.js';
import type { Store } from '../../src/store/index.js';
import { staffBearer } from '../helpers/accessTokens.js';
import { CHROMIUM, CHROMIUM_ARGS, trustCertificateFlag } from '../helpers/launchChromium.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { createTestCertificate, type TestCertificate } from '../helpers/testCertificate.js';
import { openTestStore } from '../helpers/testStore.js';

type SourcesGlobals = typeof globalThis & { sources: EventSource[]; received: number[] };

/** Opens `count` EventSources at once in the page; each counts the `price-change` events it receives. */
function openSources(page: Page, path: string, count: number): Promise<void> {
  return page.evaluate(
    ([url, n]) => {
      const globals = globalThis as SourcesGlobals;
      globals.received = Array(n).fill(0);
      globals.sources = Array.from({ length: n }, (_, i) => {
        const source = new EventSource(url);
        source.addEventListener('price-change', () => {
          globals.received[i]! += 1;
        });
        return source;
      });
    },
    [path, count] as const,
  );
}

/** Per source: `connecting`, `open` or `closed`, and the events it received. */
const sourceStates = (page: Page) =>
  page.evaluate(() => {
    const { sources, received } = globalThis as SourcesGlobals;
    return sources.map((source, i) => ({
      state: ['connecting', 'open', 'closed'][source.readyState]!,
      received: received[i]!,
    }));
  });

let certificate: TestCertificate;
let store: Store;
let browser: Browser;
let petId: string;
beforeAll(async () => {
  [certificate, store] = await Promise.all([createTestCertificate(), openTestStore()]);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, trustCertificateFlag(certificate.cert)],
  });
  petId = (await store.pets.list({ limit: 1, offset: 0 })).items[0]!.id;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await store?.close();
  await certificate?.remove();
});

describe('Chromium and the TLS server', () => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp({ store, tls: certificate });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('opens 10 EventSources at once over one HTTP/2 connection, and every one gets the events', async () => {
    const streamRequests: { version: string; session: unknown }[] = [];
    app.server.on('request', (request: Http2ServerRequest) => {
      if (request.url.startsWith('/v1/inventory/stream'))
        streamRequests.push({ version: request.httpVersion, session: request.stream?.session });
    });
    const page = await browser.newPage();
    await page.goto(`${app.url}/healthz`);
    await openSources(page, `/v1/inventory/stream?petId=${petId}`, 10);
    await page.waitForFunction(() =>
      (globalThis as SourcesGlobals).sources.every((source) => source.readyState === EventSource.OPEN),
    );
    expect(app.openStreams.size).toBe(10);

    const status = await page.evaluate(
      ([pet, staff]) =>
        fetch(`/v1/inventory/${pet}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', ...staff },
          body: JSON.stringify({ price: 123.45 }),
        }).then((response) => response.status),
      [petId, await staffBearer()] as const,
    );
    expect(status).toBe(200);
    await page.waitForFunction(() => (globalThis as SourcesGlobals).received.every((count) => count === 1));

    const protocol = await page.evaluate(
      () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).nextHopProtocol,
    );
    expect(protocol).toBe('h2');
    expect(streamRequests).toHaveLength(10);
    expect(streamRequests.every((request) => request.version === '2.0')).toBe(true);
    expect(new Set(streamRequests.map((request) => request.session)).size).toBe(1);
    await page.close();
    await until(() => app.openStreams.size === 0);
  });
});

describe('Chromium and a plain HTTP/1.1 server, for contrast', () => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp({ store });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('holds the 7th to 10th EventSource back until one of the 6 connections per origin is free', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/healthz`);
    await openSources(page, `/v1/inventory/stream?petId=${petId}`, 10);
    await until(() => app.openStreams.size === 6);
    await page.waitForFunction(
      () => (globalThis as SourcesGlobals).sources.filter((source) => source.readyState === 1).length === 6,
    );
    await app.eventLog.append(INVENTORY_TOPIC, 'price-change', {
      petId,
      oldPrice: 1,
      newPrice: 2,
      timestamp: new Date().toISOString(),
    });
    await page.waitForFunction(
      () => (globalThis as SourcesGlobals).received.filter((count) => count === 1).length === 6,
    );
    const states = await sourceStates(page);
    expect(states.filter((source) => source.state === 'open' && source.received === 1)).toHaveLength(6);
    expect(states.filter((source) => source.state === 'connecting' && source.received === 0)).toHaveLength(4);
    expect(app.openStreams.size).toBe(6);

    await page.evaluate(() => {
      for (const source of (globalThis as SourcesGlobals).sources)
        if (source.readyState === EventSource.OPEN) source.close();
    });
    await page.waitForFunction(
      () => (globalThis as SourcesGlobals).sources.filter((source) => source.readyState === 1).length === 4,
    );
    await until(() => app.openStreams.size === 4);
    await page.close();
  });
});
