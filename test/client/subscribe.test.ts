import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChannelMessage,
  type Client,
  createClient,
  type FetchLike,
  StreamHttpError,
} from '../../packages/client/src/index.js';
import { INVENTORY_TOPIC } from '../../src/domain/inventory/index.js';
import type { Store } from '../../src/store/index.js';
import { accessToken, STAFF_SCOPES } from '../helpers/accessTokens.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';
import { collectMessages, signalled } from './collectMessages.js';

let store: Store;
let app: StartedApp;
let client: Client;
let petIds: string[];
beforeAll(async () => {
  store = await openTestStore();
  app = await startApp({ store });
  client = createClient({ baseUrl: app.url, token: () => accessToken('user-123', { scopes: STAFF_SCOPES }) });
  const { items } = await store.pets.list({ limit: 100, offset: 0 });
  petIds = items.filter((pet) => pet.stock >= 5).map((pet) => pet.id);
});
afterAll(async () => {
  await app.close();
  await store.close();
});

/** A fetch that records the headers of every request it sends, then sends it with the global fetch. */
function recordingFetch(extra: Record<string, string> = {}): { fetch: FetchLike; sent: Headers[] } {
  const sent: Headers[] = [];
  const recording: FetchLike = (url, init) => {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    sent.push(headers);
    return fetch(url, { ...init, headers });
  };
  return { fetch: recording, sent };
}

const setStock = (target: Client, petId: string, stock: number) =>
  target.PATCH('/v1/inventory/{petId}', { params: { path: { petId } }, body: { stock } });

describe('client.subscribe against the real server', () => {
  it('delivers inventory events in commit order after changes made through the client', async () => {
    const petId = petIds[0]!;
    const opened = signalled();
    const controller = new AbortController();
    const stream = collectMessages(
      client.subscribe(
        'inventoryStream',
        { petId },
        { signal: controller.signal, onOpen: () => opened.resolve() },
      ),
    );
    await opened.promise;
    await setStock(client, petId, 40);
    await client.PATCH('/v1/inventory/{petId}', { params: { path: { petId } }, body: { price: 99.5 } });
    await setStock(client, petId, 39);
    await until(() => stream.messages.length >= 3);
    controller.abort();
    await stream.finished;
    expect(stream.messages.map((message) => message.event)).toEqual([
      'stock-change',
      'price-change',
      'stock-change',
    ]);
    const [first, second, third] = stream.messages;
    expect(first?.event === 'stock-change' && first.data.newStock).toBe(40);
    expect(second?.event === 'price-change' && second.data.newPrice).toBe(99.5);
    expect(third?.event === 'stock-change' && third.data).toMatchObject({
      petId,
      oldStock: 40,
      newStock: 39,
    });
    const ids = stream.messages.map((message) => message.id);
    expect(new Set(ids).size).toBe(3);
  });

  it('streams recommendations best first and finishes after complete', async () => {
    const received: ChannelMessage<'recommendationsStream'>[] = [];
    for await (const message of client.subscribe('recommendationsStream', { userId: 'user-456', limit: 3 })) {
      received.push(message);
    }
    expect(received.map((message) => message.event)).toEqual([
      'recommendation',
      'recommendation',
      'recommendation',
      'complete',
    ]);
    const last = received.at(-1)!;
    if (last.event !== 'complete') throw new Error('the stream must end with complete');
    expect(last.data.total).toBe(3);
    const scores = received.flatMap((message) =>
      message.event === 'recommendation' ? [message.data.score] : [],
    );
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('follows an order from payment to complete with its tracking number', async () => {
    const placed = await client.POST('/v1/orders', {
      body: { petId: petIds[1]!, quantity: 1, userId: 'user-123' },
    });
    const orderId = placed.data!.id;
    const stream = collectMessages(client.subscribe('orderStatusStream', { orderId }));
    for (const next of ['payment_confirmed', 'preparing_shipment', 'shipped'] as const)
      await app.services.orders.advance(orderId, next);
    await stream.finished;
    const statuses = stream.messages.map((message) => [
      message.id,
      message.event,
      'status' in message.data ? message.data.status : undefined,
    ]);
    expect(statuses).toEqual([
      ['1', 'message', 'payment_processing'],
      ['2', 'message', 'payment_confirmed'],
      ['3', 'message', 'preparing_shipment'],
      ['4', 'complete', 'shipped'],
    ]);
    const complete = stream.messages.at(-1)!;
    expect(
      complete.event === 'complete' && complete.data.status === 'shipped' && complete.data.trackingNumber,
    ).toMatch(/^TRK[0-9A-Z]{10}$/);
  });

  it('reconnects with Last-Event-ID after the connection drops and gets every event exactly once', async () => {
    const flaky = await startApp({ store, retryMs: 50 });
    try {
      const petId = petIds[2]!;
      const { fetch: recording, sent } = recordingFetch();
      const resumingClient = createClient({
        baseUrl: flaky.url,
        fetch: recording,
        token: () => accessToken('user-123', { scopes: STAFF_SCOPES }),
      });
      const opened = signalled();
      const reconnecting = signalled<{ lastEventId: string | undefined; error: unknown }>();
      const controller = new AbortController();
      const stream = collectMessages(
        resumingClient.subscribe(
          'inventoryStream',
          { petId },
          {
            signal: controller.signal,
            onOpen: () => opened.resolve(),
            onReconnect: (info) => reconnecting.resolve(info),
          },
        ),
      );
      await opened.promise;
      for (const stock of [30, 29, 28]) await setStock(resumingClient, petId, stock);
      await until(() => stream.messages.length === 3);
      flaky.dropConnections();
      const reconnect = await reconnecting.promise;
      for (const stock of [27, 26]) await setStock(resumingClient, petId, stock);
      await until(() => stream.messages.length === 5);
      controller.abort();
      await stream.finished;

      expect(reconnect.error).toBeDefined();
      expect(reconnect.lastEventId).toBe(stream.messages[2]!.id);
      const newStock = stream.messages.map(
        (message) => message.event === 'stock-change' && message.data.newStock,
      );
      expect(newStock).toEqual([30, 29, 28, 27, 26]);
      expect(new Set(stream.messages.map((message) => message.id)).size).toBe(5);
      const streamRequests = sent.filter((headers) => headers.get('accept') === 'text/event-stream');
      expect(streamRequests.map((headers) => headers.get('last-event-id'))).toEqual([
        null,
        stream.messages[2]!.id,
      ]);
    } finally {
      await flaky.close();
    }
  });

  it('stops without reconnecting when a finished stream answers 204', async () => {
    const full: ChannelMessage<'recommendationsStream'>[] = [];
    for await (const message of client.subscribe('recommendationsStream', { userId: 'user-123', limit: 2 }))
      full.push(message);
    const { fetch: recording, sent } = recordingFetch();
    const resumed = createClient({ baseUrl: app.url, fetch: recording });
    const again = collectMessages(
      resumed.subscribe(
        'recommendationsStream',
        { userId: 'user-123', limit: 2 },
        { lastEventId: full.at(-1)!.id },
      ),
    );
    await again.finished;
    expect(again.messages).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.get('last-event-id')).toBe(full.at(-1)!.id);
  });

  it('ends after stream-error, the terminal event of the inventory grammar, without reconnecting', async () => {
    const broken = await startApp({ store, retryMs: 10 });
    try {
      const { fetch: recording, sent } = recordingFetch();
      const opened = signalled();
      const stream = collectMessages(
        createClient({ baseUrl: broken.url, fetch: recording }).subscribe(
          'inventoryStream',
          {},
          { onOpen: () => opened.resolve() },
        ),
      );
      await opened.promise;
      await broken.eventLog.append(INVENTORY_TOPIC, 'stock-change', { petId: 'x' });
      await stream.finished;
      expect(stream.messages.map((message) => message.event)).toEqual(['stream-error']);
      expect(stream.messages[0]?.data).toMatchObject({ code: 'invalid_frame' });
      expect(sent).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });

  it('yields reset when the server cannot resume from the id, so the consumer can refetch', async () => {
    for await (const message of client.subscribe('inventoryStream', {}, { lastEventId: '987654321' })) {
      expect(message.event).toBe('reset');
      expect(message.event === 'reset' && message.data).toMatchObject({
        reason: 'unknown_id',
        lastEventId: '987654321',
      });
      break;
    }
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 0);
  });

  it.each([
    ['an unknown user', 'nobody-here', 404, undefined],
    ['a malformed user id', 'user 456', 400, '/userId'],
  ])(
    'throws StreamHttpError with the problem body for %s, without reconnecting',
    async (_name, userId, status, pointer) => {
      const { fetch: recording, sent } = recordingFetch();
      const refused = createClient({ baseUrl: app.url, fetch: recording });
      const stream = collectMessages(refused.subscribe('recommendationsStream', { userId }));
      const error = await stream.finished.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(StreamHttpError);
      const problem = (error as StreamHttpError).problem;
      expect(problem.status).toBe(status);
      expect((error as StreamHttpError).status).toBe(status);
      if (pointer) expect(problem.errors).toContainEqual(expect.objectContaining({ pointer }));
      expect(sent).toHaveLength(1);
    },
  );

  it('sends the Authorization header of an injected fetch on stream requests too', async () => {
    const { fetch: authorizing, sent } = recordingFetch({ authorization: 'Bearer token-123' });
    const authed = createClient({ baseUrl: app.url, fetch: authorizing, headers: { 'x-client': 'sdk' } });
    const received: string[] = [];
    for await (const message of authed.subscribe('recommendationsStream', { userId: 'user-456', limit: 1 }))
      received.push(message.event);
    expect(received).toEqual(['recommendation', 'complete']);
    expect(sent[0]?.get('authorization')).toBe('Bearer token-123');
    expect(sent[0]?.get('x-client')).toBe('sdk');
    expect(sent[0]?.get('accept')).toBe('text/event-stream');
  });

  it('closes the connection when the consumer leaves the for await loop', async () => {
    const petId = petIds[3]!;
    const opened = signalled();
    const received: string[] = [];
    const consumer = (async () => {
      for await (const message of client.subscribe(
        'inventoryStream',
        { petId },
        { onOpen: () => opened.resolve() },
      )) {
        received.push(message.event);
        break;
      }
    })();
    await opened.promise;
    expect(app.eventLog.readerCount(INVENTORY_TOPIC)).toBe(1);
    await setStock(client, petId, 17);
    await consumer;
    expect(received).toEqual(['stock-change']);
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 0);
  });

  it('ends the iterator without an error when the signal aborts, and releases the server reader', async () => {
    const opened = signalled();
    const controller = new AbortController();
    const stream = collectMessages(
      client.subscribe('inventoryStream', {}, { signal: controller.signal, onOpen: () => opened.resolve() }),
    );
    await opened.promise;
    expect(app.eventLog.readerCount(INVENTORY_TOPIC)).toBe(1);
    controller.abort();
    await expect(stream.finished).resolves.toBeUndefined();
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 0);
  });
});
