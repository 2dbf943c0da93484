import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../scripts/demo/build.js';
import { bearer } from '../helpers/accessTokens.js';
import { launchChromium } from '../helpers/launchChromium.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';

const artifacts = path.resolve(import.meta.dirname, '../../test-artifacts');
const WAIT_MS = 10_000;

let work: string;
let app: StartedApp;
let browser: Browser;
let page: Page;
/** Requests the page made to another origin. */
const offOrigin: string[] = [];
/** `METHOD path authorization-scheme` of each API request the page made. */
const apiRequests: string[] = [];
/** Uncaught errors and console errors (a Content-Security-Policy violation is one). */
const errors: string[] = [];

/** Every `data-state` each stream badge took, in order, recorded in the page before its scripts run. */
function recordStreamStates(): void {
  const seen: Record<string, string[]> = {};
  Object.assign(window, { streamStates: seen });
  new MutationObserver((records) => {
    for (const record of records) {
      const badge = record.target as HTMLElement;
      seen[badge.id] = [...(seen[badge.id] ?? []), badge.dataset.state ?? ''];
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
}

const streamStates = (): Promise<Record<string, string[]>> =>
  page.evaluate(() => (window as unknown as { streamStates: Record<string, string[]> }).streamStates);

/** Waits until the text of `selector` matches `pattern`; on time-out, says what it showed instead. */
async function waitForText(selector: string, pattern: RegExp): Promise<string> {
  const textOf = (sel: string) => document.querySelector(sel)?.textContent ?? '(no element)';
  try {
    await page.waitForFunction(
      ([sel, source, flags]) =>
        new RegExp(source, flags).test(document.querySelector(sel)?.textContent ?? ''),
      [selector, pattern.source, pattern.flags] as const,
      { timeout: WAIT_MS },
    );
  } catch {
    expect(await page.evaluate(textOf, selector), `${selector} never matched`).toMatch(pattern);
  }
  return page.evaluate(textOf, selector);
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-demo-'));
  [app, browser] = await Promise.all([
    startApp({ demoDir: work, orderStepMs: 50 }),
    launchChromium(),
    buildDemo(work),
    mkdir(artifacts, { recursive: true }),
  ]);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('request', (request) => {
    if (!request.url().startsWith(`${app.url}/`)) offOrigin.push(request.url());
    const { pathname } = new URL(request.url());
    const scheme = request.headers().authorization?.split(' ')[0] ?? 'none';
    if (pathname.startsWith('/v1/')) apiRequests.push(`${request.method()} ${pathname} ${scheme}`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.addInitScript(recordStreamStates);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the demo page in Chromium', () => {
  it('is served at / with a Content-Security-Policy that allows this origin only', async () => {
    const response = await page.goto(`${app.url}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    expect(await page.title()).toBe('Petstore SSE · live demo');
  });

  it('shows the recommendations for user-456 as they arrive, then the total and time', async () => {
    expect(await page.locator('#recommendations-user').inputValue()).toBe('user-456');
    const summary = await waitForText(
      '#recommendations-summary',
      /^Complete: \d+ recommendations in [\d.]+ ms$/,
    );
    const total = Number(/Complete: (\d+)/.exec(summary)?.[1]);
    const items = page.locator('#recommendations-list > li');
    expect(total).toBeGreaterThan(0);
    expect(await items.count()).toBe(total);
    const first = items.first();
    expect(await first.locator('strong').textContent()).toMatch(/\S/);
    expect(await first.locator('.recommendation-head').textContent()).toMatch(/[01]\.\d\d$/);
    expect(await first.locator('.reason').textContent()).toContain('Matches your preference for cats');
    const states = (await streamStates())['recommendations-state'];
    expect(states).toContain('open');
    expect(states?.at(-1)).toBe('closed');
  });

  it('streams another user’s recommendations when the user is changed', async () => {
    await page.locator('#recommendations-user').selectOption('user-123');
    await waitForText('#recommendations-list .reason', /preference for dogs/);
    await waitForText('#recommendations-summary', /^Complete: /);
    await page.locator('#recommendations-user').selectOption('user-456');
    await waitForText('#recommendations-list .reason', /preference for cats/);
    await waitForText('#recommendations-summary', /^Complete: /);
  });

  it('places an order and follows its status timeline to shipped with a tracking number', async () => {
    await waitForText('#inventory-state', /^open$/);
    const chosen = (await page.locator('#order-pet option:checked').textContent()) ?? '';
    const [petName, price, stock] = chosen.split(' · ');
    await page.locator('#order-place').click();
    const tracking = await waitForText('#order-tracking', /^Tracking number: TRK[A-Z0-9]+$/);
    const steps = page.locator('#order-timeline > li');
    expect(await steps.evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset))).toEqual([
      { status: 'payment_processing', reached: 'true' },
      { status: 'payment_confirmed', reached: 'true' },
      { status: 'preparing_shipment', reached: 'true' },
      { status: 'shipped', reached: 'true' },
    ]);
    const orderId = /^Order ([0-9a-f-]{36}):/.exec(await page.locator('#order-summary').innerText())?.[1];
    const headers = await bearer('user-456');
    const order = (await (await fetch(`${app.url}/v1/orders/${orderId}`, { headers })).json()) as {
      trackingNumber: string;
    };
    expect(tracking).toBe(`Tracking number: ${order.trackingNumber}`);
    // It signed in with a demo token, and sent it with the order and its status stream.
    expect(apiRequests).toContain('POST /v1/dev/tokens none');
    expect(apiRequests).toContain('POST /v1/orders Bearer');
    expect(apiRequests).toContain(`GET /v1/orders/${orderId}/status/stream Bearer`);
    const states = (await streamStates())['order-state'];
    expect(states).toContain('open');
    expect(states?.at(-1)).toBe('closed');
    // The order took one from stock: the ticker shows it, and the pet's option is updated from it.
    await waitForText(
      '#inventory-ticker li[data-event="stock-change"]',
      new RegExp(`${petName}stock \\d+ → \\d+`),
    );
    const fewer = `${Number.parseInt(stock ?? '', 10) - 1} in stock`;
    await waitForText('#order-pet option:checked', new RegExp(`^${petName} · \\${price} · ${fewer}$`));
  });

  it('shows a price changed over REST in the inventory ticker', async () => {
    const inventory = (await (await fetch(`${app.url}/v1/inventory`)).json()) as {
      items: { petId: string; name: string; price: number }[];
    };
    const pet = inventory.items.at(-1)!;
    const newPrice = pet.price === 123.45 ? 543.21 : 123.45;
    const response = await fetch(`${app.url}/v1/inventory/${pet.petId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ price: newPrice }),
    });
    expect(response.status).toBe(200);
    const shown = await waitForText('#inventory-ticker li:first-child', /price-change/);
    expect(shown).toContain(pet.name);
    expect(shown).toContain(`→ $${newPrice}`);
  });

  it('shows each stream’s connection state', async () => {
    expect(await page.locator('#inventory-state').textContent()).toBe('open');
    const states = await streamStates();
    expect(states['inventory-state']).toEqual(['connecting', 'open']);
    expect(states['recommendations-state']).toContain('open');
    expect(states['order-state']).toContain('open');
    await page.screenshot({ path: path.join(artifacts, 'demo.png'), fullPage: true });
  });

  it('loads nothing from another origin and logs no error', () => {
    expect(offOrigin).toEqual([]);
    expect(errors).toEqual([]);
  });
});
