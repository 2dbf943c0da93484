import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventValidators } from '../../generated/channels.js';
import type { components } from '../../generated/openapi.js';
import { INVENTORY_TOPIC } from '../../src/domain/inventory/index.js';
import type { Store } from '../../src/store/index.js';
import { bearer } from '../helpers/accessTokens.js';
import { collectSse, type SseCapture } from '../helpers/collectSse.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';

type Order = components['schemas']['Order'];

let store: Store;
let app: StartedApp;
let petId: string;
/** A token of user-456, whose orders these are (auth itself is tested in auth.test.ts). */
let owner: Record<string, string>;
beforeAll(async () => {
  owner = await bearer('user-456');
  store = await openTestStore();
  app = await startApp({ store });
  const { items } = await store.pets.list({ limit: 100, offset: 0 });
  const pet = items.find((candidate) => candidate.stock >= 5)!;
  petId = pet.id;
  await app.services.inventory.update(petId, { stock: 1000 });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const place = (): Promise<Order> => app.services.orders.place({ petId, quantity: 1, userId: 'user-456' });
const statusStream = (orderId: string, headers: Record<string, string> = {}, query = '') =>
  fetch(`${app.url}/v1/orders/${orderId}/status/stream${query}`, { headers: { ...owner, ...headers } });
const advanceToShipped = async (orderId: string) => {
  for (const next of ['payment_confirmed', 'preparing_shipment', 'shipped'] as const)
    await app.services.orders.advance(orderId, next);
};

function expectValidFrames(capture: SseCapture): void {
  for (const event of capture.events) {
    // [spec] an event without an `event:` line dispatches as `message`; the parser reports it as undefined.
    const validate =
      eventValidators.orderStatusStream[(event.event ?? 'message') as 'message' | 'complete' | 'reset'];
    expect(validate, `undeclared event ${event.event}`).toBeDefined();
    expect(validate(JSON.parse(event.data)), JSON.stringify(validate.errors)).toBe(true);
  }
}

describe('GET /v1/orders/{orderId}/status/stream', () => {
  it('replays the history, follows live as unnamed frames, and ends with complete and a tracking number', async () => {
    const order = await place();
    const response = await statusStream(order.id);
    expect(response.status).toBe(200);
    const capture = collectSse(response.body!);
    await advanceToShipped(order.id);
    const result = await capture;
    expectValidFrames(result);
    expect(result.events.map((event) => [event.id, event.event, JSON.parse(event.data).status])).toEqual([
      ['1', undefined, 'payment_processing'],
      ['2', undefined, 'payment_confirmed'],
      ['3', undefined, 'preparing_shipment'],
      ['4', 'complete', 'shipped'],
    ]);
    expect(JSON.parse(result.events[3]!.data).trackingNumber).toMatch(/^TRK[0-9A-Z]{10}$/);
  });

  it('replays an already shipped order and completes at once', async () => {
    const order = await place();
    await advanceToShipped(order.id);
    const capture = await collectSse((await statusStream(order.id)).body!);
    expect(capture.events.map((event) => event.id)).toEqual(['1', '2', '3', '4']);
    expect(capture.events.at(-1)?.event).toBe('complete');
  });

  it('completes a cancelled order with status cancelled and returns its stock on the inventory stream', async () => {
    const order = await place();
    const stockBefore = (await app.services.pets.get(petId)).stock;
    const inventory = await fetch(`${app.url}/v1/inventory/stream?petId=${petId}`);
    const stockEvents = collectSse(inventory.body!, (c) => c.events.length >= 1);
    const capture = collectSse((await statusStream(order.id)).body!);
    await app.services.orders.cancel(order.id);
    const result = await capture;
    expectValidFrames(result);
    expect(result.events.map((event) => [event.event, JSON.parse(event.data).status])).toEqual([
      [undefined, 'payment_processing'],
      ['complete', 'cancelled'],
    ]);
    expect(JSON.parse((await stockEvents).events[0]!.data)).toMatchObject({
      petId,
      oldStock: stockBefore,
      newStock: stockBefore + 1,
    });
  });

  it('resumes after Last-Event-ID with the statuses published while the client was away, none repeated', async () => {
    const order = await place();
    const controller = new AbortController();
    const first = await fetch(`${app.url}/v1/orders/${order.id}/status/stream`, {
      headers: owner,
      signal: controller.signal,
    });
    const seen = await collectSse(first.body!, (c) => c.events.length >= 1);
    controller.abort();
    await app.services.orders.advance(order.id, 'payment_confirmed');
    await app.services.orders.advance(order.id, 'preparing_shipment');
    const resumed = statusStream(order.id, { 'last-event-id': seen.events[0]!.id! });
    const capture = collectSse((await resumed).body!);
    await app.services.orders.advance(order.id, 'shipped');
    expect((await capture).events.map((event) => event.id)).toEqual(['2', '3', '4']);
  });

  it('answers 204 to a resume after complete', async () => {
    const order = await place();
    await app.services.orders.cancel(order.id);
    const response = await statusStream(order.id, { 'last-event-id': '2' });
    expect(response.status).toBe(204);
  });

  it('sends reset with id 0 and the whole history for an id the order never issued', async () => {
    const order = await place();
    await app.services.orders.cancel(order.id);
    const capture = await collectSse((await statusStream(order.id, {}, '?lastEventId=7')).body!);
    expectValidFrames(capture);
    expect(capture.events.map((event) => [event.event, event.id])).toEqual([
      ['reset', '0'],
      [undefined, '1'],
      ['complete', '2'],
    ]);
  });

  it('is driven by the fulfilment worker, ORDER_STEP_MS apart', async () => {
    const fast = await startApp({ store, orderStepMs: 20 });
    try {
      const order = await fast.services.orders.place({ petId, quantity: 1, userId: 'user-123' });
      const headers = await bearer('user-123');
      const capture = await collectSse(
        (await fetch(`${fast.url}/v1/orders/${order.id}/status/stream`, { headers })).body!,
      );
      const statuses = capture.events.map((event) => JSON.parse(event.data));
      expect(statuses.map((s) => s.status)).toEqual([
        'payment_processing',
        'payment_confirmed',
        'preparing_shipment',
        'shipped',
      ]);
      const times = statuses.map((s) => Date.parse(s.timestamp));
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(19);
      const stored = await fast.services.orders.get(order.id);
      expect(stored.history.map((h) => h.status)).toEqual(statuses.map((s) => s.status));
      await until(() => fast.fulfilment.pending === 0);
    } finally {
      await fast.close();
    }
  });

  it('resumes unfinished orders after a restart', async () => {
    const order = await place();
    const restarted = await startApp({ store, orderStepMs: 10 });
    try {
      await until(async () => (await restarted.services.orders.get(order.id)).status === 'shipped');
      expect((await restarted.services.orders.get(order.id)).history).toHaveLength(4);
    } finally {
      await restarted.close();
    }
  });

  it.each([
    ['a malformed order id', '/v1/orders/12345/status/stream', 400],
    ['an order id with a line feed', '/v1/orders/0193a5c4-1d2e-7f30-8a41-b2c3d4e5f607%0A/status/stream', 400],
    [
      'an order id with a carriage return',
      '/v1/orders/%0D0193a5c4-1d2e-7f30-8a41-b2c3d4e5f607/status/stream',
      400,
    ],
    ['an overlong order id', `/v1/orders/${'0'.repeat(300)}/status/stream`, 400],
    ['an unknown order', '/v1/orders/0193a5c4-1d2e-7f30-8a41-b2c3d4e5f607/status/stream', 404],
    [
      'a Last-Event-ID with a NUL',
      '/v1/orders/0193a5c4-1d2e-7f30-8a41-b2c3d4e5f607/status/stream?lastEventId=1%00',
      400,
    ],
  ])('refuses %s with problem+json before any stream bytes', async (_name, path, status) => {
    const response = await fetch(`${app.url}${path}`, { headers: owner });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status });
  });

  it('leaves no subscription behind once the streams end', async () => {
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 0);
    expect(app.heartbeat.size).toBe(0);
  });
});
