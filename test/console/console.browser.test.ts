import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompress } from '../../scripts/build/precompress.js';
import { buildDocsSite } from '../../scripts/docs/build.js';
import { CONSOLE_INDEX, CONSOLE_PAGES } from '../../scripts/docs/console.js';
import { staffBearer } from '../helpers/accessTokens.js';
import { launchChromium } from '../helpers/launchChromium.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';

const artifacts = path.resolve(import.meta.dirname, '../../test-artifacts');
const WAIT_MS = 15_000;
/** Building the docs site (Redoc pages and the console bundle) takes a while on a loaded 2-core box. */
const SETUP_MS = 120_000;

/** A frame row of the console's log, as the page shows it. */
interface FrameRow {
  event: string;
  id: string;
  valid: string;
  verdict: string;
  data: unknown;
  errors: string[];
}

let work: string;
let app: StartedApp;
let browser: Browser;
let page: Page;
/** Requests the pages made to another origin. */
const offOrigin: string[] = [];
/** Uncaught errors and console errors (a Content-Security-Policy violation is one). */
const errors: string[] = [];
/** Each stream request the pages made: its path and the headers that matter for a resume. */
const streamRequests: { path: string; lastEventId: string | undefined; authorization: boolean }[] = [];
/** Each API request as `METHOD path`. */
const apiRequests: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'docs-console-'));
  [app, browser] = await Promise.all([
    startApp({ docsDir: work, orderStepMs: 50 }),
    launchChromium(),
    // As `npm run build` does: the docs build writes the consoles, then the precompressed copies.
    buildDocsSite(work).then(() => precompress(work)),
    mkdir(artifacts, { recursive: true }),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== app.url) offOrigin.push(request.url());
    if (url.pathname.startsWith('/v1/')) apiRequests.push(`${request.method()} ${url.pathname}`);
    if (url.pathname.endsWith('/stream')) {
      const headers = request.headers();
      streamRequests.push({
        path: url.pathname,
        lastEventId: headers['last-event-id'],
        authorization: headers.authorization !== undefined,
      });
    }
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
}, SETUP_MS);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const frames = (): Promise<FrameRow[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#console-log > li[data-kind="frame"]')].map((row) => ({
      event: row.dataset.event ?? '',
      id: row.dataset.id ?? '',
      valid: row.dataset.valid ?? '',
      verdict: row.querySelector('.verdict')?.textContent ?? '',
      data: JSON.parse(row.querySelector('.payload')?.textContent ?? 'null') as unknown,
      errors: [...row.querySelectorAll('.errors li')].map((item) => item.textContent ?? ''),
    })),
  );

/** Waits until a frame row matches `selector` (under `#console-log`); on time-out, shows the log. */
async function waitForRow(selector: string): Promise<void> {
  try {
    await page.waitForSelector(`#console-log > li${selector}`, { timeout: WAIT_MS, state: 'attached' });
  } catch {
    const log = await page.locator('#console-log').innerText();
    expect.fail(`no row ${selector} in the log:\n${log}`);
  }
}

/** Waits until the state badge reads `state`. */
async function waitForState(state: string): Promise<void> {
  try {
    await page.waitForSelector(`#console-state[data-state="${state}"]`, { timeout: WAIT_MS });
  } catch {
    expect.fail(`state never became ${state}: ${await page.locator('#console-state').innerText()}`);
  }
}

/** Changes a pet's price over REST, as a staff tool would; returns its new price. */
async function changePrice(petId: string, newPrice: number): Promise<void> {
  const response = await fetch(`${app.url}/v1/inventory/${petId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...(await staffBearer()) },
    body: JSON.stringify({ price: newPrice }),
  });
  expect(response.status).toBe(200);
}

async function firstPet(): Promise<{ petId: string; price: number }> {
  const inventory = (await (await fetch(`${app.url}/v1/inventory`)).json()) as {
    items: { petId: string; price: number }[];
  };
  return inventory.items[0]!;
}

const consoleUrl = (channel: string) =>
  `${app.url}${CONSOLE_PAGES.find((candidate) => candidate.channel === channel)!.href}`;

describe('the stream consoles in the docs site', () => {
  it('lists the three consoles at /docs/console/, each page with no inline script or style', async () => {
    const index = await page.goto(`${app.url}${CONSOLE_INDEX}`);
    expect(index?.status()).toBe(200);
    await page.screenshot({ path: path.join(artifacts, 'console-index.png'), fullPage: true });
    expect(
      await page.locator('.picker a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
    ).toEqual(['/docs/console/recommendations', '/docs/console/orders', '/docs/console/inventory']);
    for (const console of CONSOLE_PAGES) {
      const response = await fetch(`${app.url}${console.href}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      const html = await response.text();
      expect(html).toContain(`data-channel="${console.channel}"`);
      // Nothing a Content-Security-Policy without 'unsafe-inline' would block, nothing from another origin.
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|\sstyle=|\son[a-z]+=|<style/i);
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
    // The bundle is built from the client package's dist/, as any page importing it would get it.
    const bundle = await readFile(path.join(work, 'console/console.js'), 'utf8');
    expect(bundle.length).toBeGreaterThan(0);
  });

  it('works under a Content-Security-Policy of this origin alone, with nothing inline allowed', async () => {
    const strict = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";
    const strictPage = await browser.newPage();
    const violations: string[] = [];
    strictPage.on('console', (message) => {
      if (message.type() === 'error') violations.push(message.text());
    });
    strictPage.on('pageerror', (error) => violations.push(error.message));
    await strictPage.route(`**${CONSOLE_PAGES[2]!.href}`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': strict },
      });
    });
    const response = await strictPage.goto(consoleUrl('inventoryStream'));
    expect(response?.headers()['content-security-policy']).toBe(strict);
    await strictPage.waitForFunction(() => document.querySelectorAll('#param-petId option').length > 1);
    await strictPage.locator('#console-connect').click();
    await strictPage.waitForSelector('#console-state[data-state="open"]', { timeout: WAIT_MS });
    await strictPage.close();
    expect(violations).toEqual([]);
  });

  it('connects to the inventory stream and shows a price changed over REST as a valid price-change frame', async () => {
    await page.goto(consoleUrl('inventoryStream'));
    expect(await page.title()).toBe('Live inventory · stream console · Petstore SSE');
    await page.locator('#console-connect').click();
    await waitForState('open');
    const pet = await firstPet();
    const firstPrice = pet.price === 111.11 ? 222.22 : 111.11;
    await changePrice(pet.petId, firstPrice);
    await waitForRow('[data-event="price-change"]');
    const [frame, ...more] = await frames();
    expect(more).toEqual([]);
    expect(frame).toMatchObject({
      event: 'price-change',
      valid: 'true',
      verdict: 'valid · PriceChange',
      data: { petId: pet.petId, oldPrice: pet.price, newPrice: firstPrice },
      errors: [],
    });
    expect(frame?.id).toMatch(/\S/);
    expect(await page.locator('#console-last-event-id').inputValue()).toBe(frame?.id);
    expect(await page.locator('#console-counts').innerText()).toBe('1 frames, 0 invalid');
  });

  it('disconnects, then resumes with Last-Event-ID and gets the change made meanwhile exactly once', async () => {
    const before = (await frames())[0]!;
    await page.locator('#console-disconnect').click();
    await waitForState('closed');
    const pet = await firstPet();
    const secondPrice = pet.price === 333.33 ? 444.44 : 333.33;
    await changePrice(pet.petId, secondPrice);
    const requestsBefore = streamRequests.length;
    await page.locator('#console-resume').click();
    await waitForRow(`[data-event="price-change"]:not([data-id="${before.id}"])`);
    await waitForState('open');
    const shown = await frames();
    expect(
      shown.map((frame) => [frame.event, (frame.data as { newPrice: number }).newPrice, frame.valid]),
    ).toEqual([
      ['price-change', (before.data as { newPrice: number }).newPrice, 'true'],
      ['price-change', secondPrice, 'true'],
    ]);
    // The resume is the client's: one request, with the last id received as Last-Event-ID.
    expect(streamRequests.slice(requestsBefore)).toEqual([
      { path: '/v1/inventory/stream', lastEventId: before.id, authorization: false },
    ]);
    await expect
      .poll(() => page.locator('#console-log > li[data-kind="request"]').last().innerText())
      .toContain(`GET /v1/inventory/stream · Last-Event-ID: ${before.id}`);
    await page.screenshot({ path: path.join(artifacts, 'console-inventory.png'), fullPage: true });
  });

  it('shows reset when it resumes from an id this stream never sent', async () => {
    await page.locator('#console-last-event-id').fill('no-such-id');
    await page.locator('#console-resume').click();
    await waitForRow('[data-event="reset"]');
    const reset = (await frames()).find((frame) => frame.event === 'reset');
    expect(reset).toMatchObject({
      valid: 'true',
      verdict: 'valid · StreamReset',
      data: { reason: 'unknown_id' },
    });
    await page.locator('#console-disconnect').click();
  });

  it('places an order with a dev token, follows its status stream to complete, and shows 204 on resume', async () => {
    await page.goto(consoleUrl('orderStatusStream'));
    await page.locator('#place-order').click();
    await page.waitForFunction(
      () => (document.querySelector<HTMLInputElement>('#param-orderId')?.value ?? '') !== '',
    );
    const orderId = await page.locator('#param-orderId').inputValue();
    await page.locator('#console-connect').click();
    await waitForRow('[data-event="complete"]');
    await waitForState('closed');
    const shown = await frames();
    expect(
      shown.map((frame) => [frame.event, (frame.data as { status: string }).status, frame.valid]),
    ).toEqual([
      ['message', 'payment_processing', 'true'],
      ['message', 'payment_confirmed', 'true'],
      ['message', 'preparing_shipment', 'true'],
      ['complete', 'shipped', 'true'],
    ]);
    expect(shown[0]?.verdict).toBe('valid · OrderStatusUpdate');
    expect(apiRequests).toContain('POST /v1/dev/tokens');
    expect(streamRequests.at(-1)).toEqual({
      path: `/v1/orders/${orderId}/status/stream`,
      lastEventId: undefined,
      authorization: true,
    });
    // The stream is finished: a resume from its last id is answered 204, and the console says so.
    await page.locator('#console-resume').click();
    await waitForRow('[data-kind="response"][data-status="204"]');
    await waitForState('closed');
    expect(streamRequests.at(-1)?.lastEventId).toBe(shown.at(-1)?.id);
    expect(await frames()).toHaveLength(4);
    await page.screenshot({ path: path.join(artifacts, 'console-orders.png'), fullPage: true });
  });

  it('streams a user’s recommendations to complete, each frame valid', async () => {
    await page.goto(consoleUrl('recommendationsStream'));
    await page.locator('#param-userId').selectOption('user-123');
    await page.locator('#console-connect').click();
    await waitForRow('[data-event="complete"]');
    await waitForState('closed');
    const shown = await frames();
    const complete = shown.at(-1)?.data as { total: number };
    expect(shown.filter((frame) => frame.event === 'recommendation')).toHaveLength(complete.total);
    expect(complete.total).toBeGreaterThan(0);
    expect(shown.every((frame) => frame.valid === 'true')).toBe(true);
    expect(streamRequests.at(-1)?.path).toBe('/v1/pets/recommendations/stream');
    await page.screenshot({ path: path.join(artifacts, 'console-recommendations.png'), fullPage: true });
  });

  it('marks a frame that fails its schema invalid with the validator’s errors, and goes on', async () => {
    // The server never writes an invalid frame, so this one is forged for the first request only; the
    // client then reconnects to the real server with the forged id, which answers reset.
    await page.goto(consoleUrl('inventoryStream'));
    await page.route(
      '**/v1/inventory/stream',
      (route) =>
        route.fulfill({
          status: 200,
          headers: { 'content-type': 'text/event-stream' },
          body: 'retry: 50\n\nid: forged-1\nevent: price-change\ndata: {"petId":"not-a-pet","oldPrice":5,"newPrice":-1}\n\n',
        }),
      { times: 1 },
    );
    await page.locator('#console-connect').click();
    await waitForRow('[data-valid="false"]');
    await waitForRow('[data-event="reset"]');
    const [forged, reset] = await frames();
    expect(forged).toMatchObject({
      event: 'price-change',
      id: 'forged-1',
      valid: 'false',
      verdict: 'invalid · PriceChange',
    });
    expect(forged?.errors.length).toBeGreaterThan(0);
    expect(forged?.errors.join('\n')).toMatch(
      /must have required property 'timestamp'|\/newPrice must be >= 0/,
    );
    expect(reset).toMatchObject({ event: 'reset', valid: 'true', data: { reason: 'unknown_id' } });
    expect(await page.locator('#console-counts').innerText()).toBe('2 frames, 1 invalid');
    expect(streamRequests.at(-1)?.lastEventId).toBe('forged-1');
    await page.locator('#console-disconnect').click();
  });

  it('loads nothing from another origin and logs no error', () => {
    expect(offOrigin).toEqual([]);
    expect(errors).toEqual([]);
  });
});
