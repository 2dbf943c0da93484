import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../scripts/demo/build.js';
import { bearer, staffBearer } from '../helpers/accessTokens.js';
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
/** The body and answer of each `POST /v1/dev/tokens` the page made. */
const tokenRequests: { body: string; status: number | undefined }[] = [];
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

interface Inventory {
  items: { petId: string; name: string; price: number; stock: number }[];
}
const getInventory = async (): Promise<Inventory> =>
  (await (await fetch(`${app.url}/v1/inventory`)).json()) as Inventory;

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
  page.on('requestfinished', async (request) => {
    if (!request.url().endsWith('/v1/dev/tokens')) return;
    tokenRequests.push({ body: request.postData() ?? '', status: (await request.response())?.status() });
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // Chromium logs each refused request; a staff token refused by a server without the staff role is
    // expected (and checked in its test).
    const refusedToken = message.location().url.endsWith('/v1/dev/tokens') && message.text().includes('400');
    if (message.type() === 'error' && !refusedToken) errors.push(message.text());
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
    // The order took one from stock: the ticker shows it at the top, and the pet's option is updated from it.
    const left = `${Number.parseInt(stock ?? '', 10) - 1}`;
    await waitForText(
      '#inventory-ticker li[data-event="stock-change"]:first-child .pet',
      new RegExp(`^${petName}`),
    );
    await waitForText(
      '#inventory-ticker li:first-child .change',
      new RegExp(`^stock ${stock?.split(' ')[0]} → ${left} `),
    );
    const fewer = `${left} in stock`;
    await waitForText('#order-pet option:checked', new RegExp(`^${petName} · \\${price} · ${fewer}$`));
  });

  it('shows every pet’s price and stock at load, each with a picture drawn from its data', async () => {
    const inventory = await getInventory();
    const rows = page.locator('#inventory-ticker > li');
    await expect.poll(() => rows.count()).toBe(inventory.items.length);
    const shown = await rows.evaluateAll((items) =>
      items.map((item) => ({
        petId: (item as HTMLElement).dataset.petId,
        name: item.querySelector('.pet strong')?.textContent,
        price: item.querySelector('.price')?.textContent,
        stock: item.querySelector('.stock')?.textContent,
        species: item.querySelector('svg.pet-picture')?.getAttribute('data-species'),
        shapes: item.querySelectorAll('svg.pet-picture g > *').length,
      })),
    );
    const byId = new Map(shown.map((row) => [row.petId, row]));
    for (const item of inventory.items) {
      // Nothing has changed since the page loaded, so each row shows what GET /v1/inventory answers.
      expect(byId.get(item.petId)).toMatchObject({
        name: item.name,
        price: usd.format(item.price),
        stock: item.stock === 0 ? 'sold out' : `${item.stock} in stock`,
      });
    }
    expect(shown.every((row) => row.shapes > 0)).toBe(true);
    expect(new Set(shown.map((row) => row.species))).toEqual(
      new Set(['dog', 'cat', 'bird', 'rabbit', 'fish', 'reptile', 'hamster', 'guinea-pig']),
    );
  });

  it('shows a price changed over REST in the inventory ticker, at the top', async () => {
    const pet = (await getInventory()).items.at(-1)!;
    const newPrice = pet.price === 123.45 ? 543.21 : 123.45;
    const response = await fetch(`${app.url}/v1/inventory/${pet.petId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...(await staffBearer()) },
      body: JSON.stringify({ price: newPrice }),
    });
    expect(response.status).toBe(200);
    const top = `#inventory-ticker li[data-pet-id="${pet.petId}"]:first-child`;
    await waitForText(`${top} .price`, new RegExp(`^\\${usd.format(newPrice)}$`));
    const change = await page.locator(`${top} .change`).innerText();
    expect(change).toMatch(/ \d\d:\d\d:\d\d$/);
    expect(change.slice(0, -9)).toBe(`${usd.format(pet.price)} → ${usd.format(newPrice)}`);
  });

  it('changes a price with the staff control, asking for a staff token first', async () => {
    const pet = (await getInventory()).items[1]!;
    const newPrice = pet.price === 77.7 ? 88.8 : 77.7;
    await page.locator('#staff-pet').selectOption(pet.petId);
    expect(await page.locator('#staff-price').inputValue()).toBe(String(pet.price));
    await page.locator('#staff-price').fill(String(newPrice));
    await page.locator('#staff-submit').click();
    await waitForText('#staff-result', /now costs/);
    const top = `#inventory-ticker li[data-pet-id="${pet.petId}"]:first-child`;
    await waitForText(`${top} .price`, new RegExp(`^\\${usd.format(newPrice)}$`));
    expect((await getInventory()).items.find((item) => item.petId === pet.petId)?.price).toBe(newPrice);
    // The token request names the staff scope; what the page says, and whether the change carries a token,
    // follow the server's answer: a server without the staff role refuses the field (400).
    const tokenRequest = tokenRequests.find((request) => request.body.includes('inventory:write'));
    expect(JSON.parse(tokenRequest?.body ?? '{}')).toEqual({
      userId: 'user-456',
      scopes: ['inventory:write'],
    });
    const outcome = await page.locator('#staff-note').getAttribute('data-outcome');
    const patch = apiRequests.find((request) => request.startsWith(`PATCH /v1/inventory/${pet.petId}`));
    if (tokenRequest?.status === 201) {
      expect(outcome).toBe('issued');
      expect(patch).toBe(`PATCH /v1/inventory/${pet.petId} Bearer`);
    } else {
      expect(tokenRequest?.status).toBe(400);
      expect(outcome).toBe('no-roles');
      expect(patch).toBe(`PATCH /v1/inventory/${pet.petId} none`);
      expect(await page.locator('#staff-note').innerText()).toContain('no staff role yet');
    }
  });

  it('shares the width evenly between the three panels, each as tall as the others', async () => {
    const boxes = await page
      .locator('.panel')
      .evaluateAll((panels) => panels.map((panel) => panel.getBoundingClientRect().toJSON() as DOMRect));
    expect(boxes).toHaveLength(3);
    for (const box of boxes) {
      expect(Math.abs(box.width - boxes[0]!.width)).toBeLessThan(1);
      expect(Math.abs(box.height - boxes[0]!.height)).toBeLessThan(1);
      expect(box.top).toBe(boxes[0]!.top);
    }
  });

  it('shows each stream’s connection state', async () => {
    expect(await page.locator('#inventory-state').textContent()).toBe('open');
    const states = await streamStates();
    expect(states['inventory-state']).toEqual(['connecting', 'open']);
    expect(states['recommendations-state']).toContain('open');
    expect(states['order-state']).toContain('open');
    await page.screenshot({ path: path.join(artifacts, 'demo.png'), fullPage: true });
  });

  it('stacks the panels on a narrow screen', async () => {
    await page.setViewportSize({ width: 420, height: 900 });
    const lefts = await page
      .locator('.panel')
      .evaluateAll((panels) => panels.map((panel) => panel.getBoundingClientRect().left));
    expect(new Set(lefts).size).toBe(1);
    await page.screenshot({ path: path.join(artifacts, 'demo-narrow.png'), fullPage: true });
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('loads nothing from another origin and logs no error', () => {
    expect(offOrigin).toEqual([]);
    expect(errors).toEqual([]);
  });
});
