import { get } from 'node:http';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventValidators } from '../../generated/channels.js';
import type { Store } from '../../src/store/index.js';
import { bearer, staffBearer } from '../helpers/accessTokens.js';
import { collectSse, sseRecorder } from '../helpers/collectSse.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';

let store: Store;
let app: StartedApp;
/** A staff token of the test apps (both scopes): the inventory writes need `inventory:write`. */
let staff: Record<string, string>;
let petId: string;
beforeAll(async () => {
  store = await openTestStore();
  app = await startApp({ store });
  staff = await staffBearer();
  const { items } = await store.pets.list({ limit: 100, offset: 0 });
  petId = items.find((pet) => pet.stock >= 3)!.id;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const patch = (body: unknown) =>
  fetch(`${app.url}/v1/inventory/${petId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...staff },
    body: JSON.stringify(body),
  });
const openStream = (headers: Record<string, string> = {}) =>
  fetch(`${app.url}/v1/inventory/stream?petId=${petId}`, { headers });

describe('inventory changes on the stream', () => {
  it('publishes price-change and stock-change for values that really change, and nothing for the same values', async () => {
    const before = await app.services.pets.get(petId);
    const capture = collectSse((await openStream()).body!, (c) => c.events.length >= 3);
    expect((await patch({ price: before.price })).status).toBe(200);
    expect((await patch({ stock: before.stock + 2, price: 88.8 })).status).toBe(200);
    expect((await patch({ stock: before.stock })).status).toBe(200);
    const events = (await capture).events;
    expect(events.map((event) => [event.event, JSON.parse(event.data)])).toEqual([
      [
        'stock-change',
        expect.objectContaining({ petId, oldStock: before.stock, newStock: before.stock + 2 }),
      ],
      ['price-change', expect.objectContaining({ petId, oldPrice: before.price, newPrice: 88.8 })],
      [
        'stock-change',
        expect.objectContaining({ petId, oldStock: before.stock + 2, newStock: before.stock }),
      ],
    ]);
    for (const event of events)
      expect(eventValidators.inventoryStream[event.event as 'stock-change'](JSON.parse(event.data))).toBe(
        true,
      );
  });

  it('publishes the stock an order takes', async () => {
    const before = (await app.services.pets.get(petId)).stock;
    const capture = collectSse((await openStream()).body!, (c) => c.events.length >= 1);
    const response = await fetch(`${app.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await bearer('user-456')) },
      body: JSON.stringify({ petId, quantity: 2, userId: 'user-456' }),
    });
    expect(response.status).toBe(201);
    expect(JSON.parse((await capture).events[0]!.data)).toMatchObject({
      oldStock: before,
      newStock: before - 2,
    });
  });

  it('loses and repeats nothing across a reconnect, including changes made while the client was away', async () => {
    const controller = new AbortController();
    const first = await fetch(`${app.url}/v1/inventory/stream?petId=${petId}`, { signal: controller.signal });
    const firstCapture = collectSse(first.body!, (c) => c.events.length >= 2);
    await patch({ price: 10.01 });
    await patch({ price: 10.02 });
    const seen = await firstCapture;
    controller.abort();
    await patch({ price: 10.03 });
    await patch({ price: 10.04 });
    const resumed = collectSse(
      (await openStream({ 'last-event-id': seen.events[1]!.id! })).body!,
      (c) => c.events.length >= 3,
    );
    await patch({ price: 10.05 });
    const prices = [...seen.events, ...(await resumed).events].map(
      (event) => JSON.parse(event.data).newPrice,
    );
    expect(prices).toEqual([10.01, 10.02, 10.03, 10.04, 10.05]);
  });

  it('delivers every event exactly once and in order to 200 concurrent subscribers', async () => {
    const subscribers = 200;
    const events = 20;
    const clients = await Promise.all(
      Array.from(
        { length: subscribers },
        () =>
          new Promise<{ ids: string[]; done: Promise<void>; close(): void }>((resolve, reject) => {
            const request = get(
              `${app.url}/v1/inventory/stream?petId=${petId}`,
              { agent: false },
              (response) => {
                const recorder = sseRecorder();
                const ids: string[] = [];
                let finish: () => void = () => {};
                const done = new Promise<void>((r) => {
                  finish = r;
                });
                response.setEncoding('utf8');
                response.on('data', (chunk: string) => {
                  recorder.feed(chunk);
                  ids.splice(0, ids.length, ...recorder.capture.events.map((event) => event.id!));
                  if (ids.length >= events) finish();
                });
                resolve({ ids, done, close: () => request.destroy() });
              },
            );
            request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
          }),
      ),
    );
    const published: string[] = [];
    for (let i = 0; i < events; i++) {
      await patch({ price: 20 + i });
      published.push((await app.eventLog.head('inventory'))!);
    }
    await Promise.all(clients.map((client) => client.done));
    for (const client of clients) {
      expect(client.ids).toEqual(published);
      client.close();
    }
  });

  it('lets an EventSource client reconnect by itself with Last-Event-ID after the connection drops, losing nothing', async () => {
    const quick = await startApp({ store, retryMs: 20 });
    const source = new EventSource(`${quick.url}/v1/inventory/stream?petId=${petId}`);
    try {
      const prices: number[] = [];
      let opens = 0;
      const waiters: { count: number; resolve: () => void }[] = [];
      source.addEventListener('price-change', (event) => {
        prices.push(JSON.parse(event.data).newPrice);
        for (const waiter of waiters) if (prices.length >= waiter.count) waiter.resolve();
      });
      const received = (count: number) => new Promise<void>((resolve) => waiters.push({ count, resolve }));
      const opened = (count: number) =>
        new Promise<void>((resolve) => {
          source.onopen = () => {
            opens += 1;
            if (opens >= count) resolve();
          };
        });
      await opened(1);
      const patchQuick = (price: number) => quick.services.inventory.update(petId, { price });
      await patchQuick(30.01);
      await patchQuick(30.02);
      await received(2);
      const reopened = opened(2);
      quick.dropConnections();
      await patchQuick(30.03);
      await patchQuick(30.04);
      await reopened;
      await patchQuick(30.05);
      await received(5);
      expect(prices).toEqual([30.01, 30.02, 30.03, 30.04, 30.05]);
    } finally {
      source.close();
      await quick.close();
    }
  });
});
