import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompress } from '../../scripts/build/precompress.js';
import { buildDocsSite } from '../../scripts/docs/build.js';
import { GUIDE_PAGES } from '../../scripts/docs/navigation.js';
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
/** Upper bound for one page test (several Redoc pages, each hydrated in seconds on a loaded 2-core box). */
const PAGE_TIMEOUT_MS = 180_000;
/** Every stream also declares these. */
const COMMON_EVENTS = ['reset', 'stream-error'];

let work: string;
let app: StartedApp;
let browser: Browser;
let page: Page;
/** Requests the pages made to another origin that the docs' Content-Security-Policy did not stop. */
const offOrigin = new Map<Request, string>();
const pageErrors: string[] = [];
/** Console errors and Content-Security-Policy violations, with the page they happened on. */
const consoleErrors: string[] = [];
const cspViolations: string[] = [];
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
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  await page.exposeFunction('reportCspViolation', (text: string) => cspViolations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (globalThis as unknown as { reportCspViolation(text: string): void }).reportCspViolation(
        `${location.href}: ${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
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

/**
 * Opens a page of a Redoc reference and waits until Redoc has hydrated it (it does so after `load`, see
 * scripts/docs/redocPage.ts): only then are the sections beyond the first one shown.
 */
async function gotoReference(url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('html[data-hydrated]', { timeout: 60_000 });
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
      await gotoReference(`${app.url}/docs`);
      expect(page.url()).toBe(`${app.url}/docs/`);
      // The landing page shows the overview and the menu of tags; each stream's own section (below) shows its
      // path, its media type and its events (Redoc renders a section when it is navigated to).
      await expectShown(['Petstore SSE API', 'recommendations', 'inventory', 'orders']);
      for (const stream of STREAMS) {
        await gotoReference(`${app.url}/docs/${stream.rest}`);
        await expectShown([stream.path, 'text/event-stream', ...stream.events]);
      }
      await screenshot('docs-rest.png');
    },
    PAGE_TIMEOUT_MS,
  );

  it(
    'shows each channel of /docs/asyncapi with the SSE name of every event',
    async () => {
      await gotoReference(`${app.url}/docs/asyncapi`);
      await expectShown(['Petstore SSE streams', 'Pet recommendations', 'Order status', 'Live inventory']);
      for (const stream of STREAMS) {
        await gotoReference(`${app.url}/docs/asyncapi${stream.channel}`);
        const events = [...stream.events, ...COMMON_EVENTS].map((event) => `event: ${event}`);
        const unnamed = stream.unnamed ? [`${stream.unnamed} · unnamed frame (message)`] : [];
        await expectShown([stream.path, ...events, ...unnamed]);
      }
      await screenshot('docs-asyncapi.png');
    },
    PAGE_TIMEOUT_MS,
  );

  it.each([
    ['', 'docs-rest'],
    ['asyncapi', 'docs-asyncapi'],
  ])(
    'names the page’s own origin as the server of /docs/%s, once Redoc has hydrated it',
    async (pagePath, name) => {
      await gotoReference(`${app.url}/docs/${pagePath}`);
      const servers = await page.evaluate(() => {
        const title = [...document.querySelectorAll('span')].find((span) => span.textContent === 'Servers');
        return title?.closest('[data-component-name="Panel/Panel"]')?.textContent ?? document.body.innerText;
      });
      expect(servers).toContain(new URL(app.url).host);
      if (pagePath === '') expect(servers).toContain('This server: the one this page was loaded from.');
      expect(servers).not.toContain('localhost:3000');
      expect(servers).not.toContain('`');
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(`${name}.png`);
    },
    PAGE_TIMEOUT_MS,
  );

  it(
    'shows real types, never "any", in each stream’s frames',
    async () => {
      for (const stream of STREAMS) {
        await gotoReference(`${app.url}/docs/${stream.rest}`);
        await expectShown([stream.path, 'text/event-stream']);
        const section = await page.evaluate(() => document.body.innerText);
        expect(section.split('\n').filter((line) => /^any\b/.test(line.trim()))).toEqual([]);
        await gotoReference(`${app.url}/docs/asyncapi${stream.channel}`);
        await expectShown([stream.path]);
        const channel = await page.evaluate(() => document.body.innerText);
        expect(channel.split('\n').filter((line) => /^any\b/.test(line.trim()))).toEqual([]);
      }
    },
    PAGE_TIMEOUT_MS,
  );

  it(
    'shows curl, TypeScript and browser code samples for an operation',
    async () => {
      await gotoReference(`${app.url}/docs/#/orders/createorder`);
      await expectShown(['curl', '--fail-with-body', '/v1/orders']);
      await screenshot('docs-rest-code-sample.png');
    },
    PAGE_TIMEOUT_MS,
  );

  it.each(GUIDE_PAGES.map((guide) => [guide.href, guide] as const))(
    'renders the guide page /docs/%s with the site’s navigation, and its links lead to pages',
    async (href, guide) => {
      const response = await page.goto(`${app.url}/docs/${href}`);
      expect(response?.status()).toBe(200);
      expect(await page.title()).toContain('Petstore SSE');
      const nav = await page.$$eval('.site-sidebar a', (links) => links.map((link) => link.textContent));
      expect(nav).toEqual(expect.arrayContaining([...GUIDE_PAGES.map((p) => p.title), 'REST API']));
      expect(await page.$eval('.site-sidebar a[aria-current="page"]', (link) => link.textContent)).toBe(
        guide.title,
      );
      const links = await page.$$eval('main a[href]', (anchors) =>
        anchors.map((anchor) => (anchor as HTMLAnchorElement).href),
      );
      for (const link of new Set(links.filter((url) => url.startsWith(`${app.url}/docs/`)))) {
        const target = await fetch(link.split('#')[0]!);
        expect(target.status, `${href} links to ${link}`).toBe(200);
      }
      await screenshot(`docs-guide-${href}.png`);
    },
    PAGE_TIMEOUT_MS,
  );

  it('loads nothing from another origin, logs no error and breaks no Content-Security-Policy', () => {
    expect([...offOrigin.values()]).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
  it('got the pages and the Redoc bundle as their brotli copies, and rendered them', () => {
    expect(encodings.get('/docs/redoc.standalone.js')).toBe('br');
    expect(encodings.get('/docs/')).toBe('br');
  });
});
