import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompress } from '../../scripts/build/precompress.js';
import { buildDocsSite } from '../../scripts/docs/build.js';
import { launchChromium } from '../helpers/launchChromium.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';

const artifacts = path.resolve(import.meta.dirname, '../../test-artifacts');

/**
 * The three streams: where Redoc shows each (REST operation, AsyncAPI channel), the events it sends by name
 * and the title of its unnamed frames.
 */
const STREAMS: { path: string; rest: string; channel: string; events: string[]; unnamed?: string }[] = [
  {
    path: '/v1/pets/recommendations/stream',
    rest: '#/recommendations/streamrecommendations',
    channel: '#/channels/recommendationsstream',
    events: ['recommendation', 'complete'],
  },
  {
    path: '/v1/orders/{orderId}/status/stream',
    rest: '#/orders/streamorderstatus',
    channel: '#/channels/orderstatusstream',
    events: ['complete'],
    unnamed: 'Order status update',
  },
  {
    path: '/v1/inventory/stream',
    rest: '#/inventory/streaminventory',
    channel: '#/channels/inventorystream',
    events: ['stock-change', 'price-change'],
  },
];
/** Upper bound for one page test (several Redoc views): the default 20 s is tight on a loaded 2-core box. */
const PAGE_TIMEOUT_MS = 45_000;
/** Every stream also declares these. */
const COMMON_EVENTS = ['reset', 'stream-error'];

let work: string;
let app: StartedApp;
let browser: Browser;
let page: Page;
/** Requests the pages made to another origin that the docs' Content-Security-Policy did not stop. */
const offOrigin = new Map<Request, string>();
const pageErrors: string[] = [];
/** The Content-Encoding of each file of the docs site the pages loaded in full (`200`), by path. */
const encodings = new Map<string, string>();

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-docs-site-'));
  [app, browser] = await Promise.all([
    startApp({ docsDir: work }),
    launchChromium(),
    // As `npm run build` does: the pages and Redoc's bundle come to Chromium as their brotli copies.
    buildDocsSite(work).then(() => precompress(work)),
    mkdir(artifacts, { recursive: true }),
  ]);
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${app.url}/`) && !/^(data|blob):/.test(url)) offOrigin.set(request, url);
  });
  // Redoc's attribution badge asks for a logo on its CDN; the CSP refuses it before it reaches the network.
  page.on('requestfailed', (request) => {
    if (/^(csp|net::ERR_BLOCKED_BY_CSP)$/.test(request.failure()?.errorText ?? '')) offOrigin.delete(request);
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/docs/') && response.status() === 200)
      encodings.set(url.pathname, response.headers()['content-encoding'] ?? '');
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Waits until the rendered page shows every text; on time-out, names the ones it never showed. */
async function expectShown(texts: readonly string[]): Promise<void> {
  const shown = () => document.body.innerText;
  try {
    await page.waitForFunction(
      (wanted) => wanted.every((text) => document.body.innerText.includes(text)),
      texts,
      {
        timeout: 10_000,
      },
    );
  } catch {
    const body = await page.evaluate(shown);
    expect(
      texts.filter((text) => !body.includes(text)),
      `not shown on ${page.url()}`,
    ).toEqual([]);
  }
}

/** Takes a screenshot once the page has stopped scrolling to the section it navigated to. */
async function screenshot(name: string): Promise<void> {
  await page.waitForFunction(
    () =>
      new Promise<boolean>((resolve) => {
        const y = window.scrollY;
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(window.scrollY === y)));
      }),
  );
  await page.screenshot({ path: path.join(artifacts, name) });
}

describe('the docs site in Chromium', () => {
  it(
    'shows each stream of the REST reference at /docs with its events',
    async () => {
      await page.goto(`${app.url}/docs`);
      expect(page.url()).toBe(`${app.url}/docs/`);
      await expectShown(['Petstore SSE API', ...STREAMS.map((stream) => stream.path)]);
      for (const stream of STREAMS) {
        await page.goto(`${app.url}/docs/${stream.rest}`);
        await expectShown([stream.path, 'text/event-stream', ...stream.events]);
      }
      await screenshot('docs-rest.png');
    },
    PAGE_TIMEOUT_MS,
  );

  it(
    'shows each channel of /docs/asyncapi with the SSE name of every event',
    async () => {
      await page.goto(`${app.url}/docs/asyncapi`);
      await expectShown(['Petstore SSE streams', 'Pet recommendations', 'Order status', 'Live inventory']);
      for (const stream of STREAMS) {
        await page.goto(`${app.url}/docs/asyncapi${stream.channel}`);
        const events = [...stream.events, ...COMMON_EVENTS].map((event) => `event: ${event}`);
        const unnamed = stream.unnamed ? [`${stream.unnamed} · unnamed frame (message)`] : [];
        await expectShown([stream.path, ...events, ...unnamed]);
      }
      await screenshot('docs-asyncapi.png');
    },
    PAGE_TIMEOUT_MS,
  );

  it('loads nothing from another origin and throws no error', () => {
    expect([...offOrigin.values()]).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
  it('got the pages and the Redoc bundle as their brotli copies, and rendered them', () => {
    expect(encodings.get('/docs/redoc.standalone.js')).toBe('br');
    expect(encodings.get('/docs/')).toBe('br');
  });
});
