import { get } from 'node:http';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventValidators } from '../../generated/channels.js';
import { INVENTORY_TOPIC } from '../../src/domain/inventory/index.js';
import type { Store } from '../../src/store/index.js';
import { collectSse } from '../helpers/collectSse.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';

const PET = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';
const OTHER_PET = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a91';
const now = () => new Date().toISOString();
const stockChange = (oldStock: number, newStock: number, petId = PET) => ({
  petId,
  oldStock,
  newStock,
  timestamp: now(),
});

let store: Store;
let app: StartedApp;
beforeAll(async () => {
  store = await openTestStore();
  app = await startApp({ store, heartbeatMs: 40 });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const publish = (event: 'stock-change' | 'price-change', data: unknown) =>
  app.eventLog.append(INVENTORY_TOPIC, event, data);

/** A stream on its own connection (no agent, no pooling), destroyed by the caller. */
function openRaw(url: string): Promise<{ status: number | undefined; destroy(): void }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false }, (response) =>
      resolve({ status: response.statusCode, destroy: () => request.destroy() }),
    );
    request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
  });
}

async function open(query = '', headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(`${app.url}/v1/inventory/stream${query}`, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  return { response, controller };
}

describe('GET /v1/inventory/stream', () => {
  it('answers with the SSE headers of DESIGN.md, uncompressed, with retry: first', async () => {
    const { response, controller } = await open('', { 'accept-encoding': 'gzip, br' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('connection')).toBe('keep-alive');
    expect(response.headers.get('content-encoding')).toBeNull();
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first.startsWith('retry: 1500\n\n')).toBe(true);
    controller.abort();
  });

  it('delivers every change to an EventSource client in order, each frame valid against the spec', async () => {
    const source = new EventSource(`${app.url}/v1/inventory/stream`);
    const received: { type: string; id: string; data: unknown }[] = [];
    const done = new Promise<void>((resolve) => {
      for (const type of ['stock-change', 'price-change']) {
        source.addEventListener(type, (event) => {
          received.push({ type, id: event.lastEventId, data: JSON.parse(event.data) });
          if (received.length === 3) resolve();
        });
      }
    });
    await new Promise<void>((resolve) => {
      source.onopen = () => resolve();
    });
    const ids = [
      await publish('stock-change', stockChange(3, 2)),
      await publish('price-change', { petId: PET, oldPrice: 249.99, newPrice: 229.99, timestamp: now() }),
      await publish('stock-change', stockChange(2, 1)),
    ];
    await done;
    source.close();
    expect(received.map((event) => event.id)).toEqual(ids);
    expect(received.map((event) => event.type)).toEqual(['stock-change', 'price-change', 'stock-change']);
    for (const event of received) {
      const validate = eventValidators.inventoryStream[event.type as 'stock-change' | 'price-change'];
      expect(validate(event.data), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('resumes after the lastEventId query parameter without losing or repeating an event', async () => {
    const before = await publish('stock-change', stockChange(5, 4));
    const missed = [
      await publish('stock-change', stockChange(4, 3)),
      await publish('stock-change', stockChange(3, 2)),
    ];
    const { response } = await open(`?lastEventId=${before}`);
    const capture = collectSse(response.body!, (c) => c.events.length >= 3);
    const live = await publish('stock-change', stockChange(2, 1));
    const events = (await capture).events;
    expect(events.map((event) => event.id)).toEqual([...missed, live]);
  });

  it('lets the Last-Event-ID header win over the query parameter', async () => {
    const first = await publish('stock-change', stockChange(9, 8));
    const second = await publish('stock-change', stockChange(8, 7));
    const { response } = await open(`?lastEventId=${first}`, { 'last-event-id': second });
    const capture = collectSse(response.body!, (c) => c.events.length >= 1);
    const live = await publish('stock-change', stockChange(7, 6));
    expect((await capture).events.map((event) => event.id)).toEqual([live]);
  });

  it('sends reset for an id it never issued, then live events', async () => {
    const { response } = await open('', { 'last-event-id': '987654321' });
    const capture = collectSse(response.body!, (c) => c.events.length >= 2);
    const live = await publish('stock-change', stockChange(1, 0));
    const [reset, next] = (await capture).events;
    expect(reset?.event).toBe('reset');
    expect(JSON.parse(reset!.data)).toMatchObject({ reason: 'unknown_id', lastEventId: '987654321' });
    expect(eventValidators.inventoryStream.reset(JSON.parse(reset!.data))).toBe(true);
    expect(next?.id).toBe(live);
  });

  it('sends reset for an id that is no longer held', async () => {
    const small = await startApp({ store, logCapacity: 3 });
    try {
      const old = await small.eventLog.append(INVENTORY_TOPIC, 'stock-change', stockChange(9, 8));
      for (let i = 0; i < 5; i++)
        await small.eventLog.append(INVENTORY_TOPIC, 'stock-change', stockChange(8, 7));
      expect(await small.pruneEvents()).toBeGreaterThan(0);
      const response = await fetch(`${small.url}/v1/inventory/stream?lastEventId=${old}`);
      const capture = await collectSse(response.body!, (c) => c.events.length >= 1);
      expect(capture.events[0]?.event).toBe('reset');
      expect(JSON.parse(capture.events[0]!.data).reason).toBe('expired_id');
      expect(capture.events[0]?.id).toBe(await small.eventLog.head(INVENTORY_TOPIC));
    } finally {
      await small.close();
    }
  });

  it('filters by petId', async () => {
    const { response } = await open(`?petId=${OTHER_PET}`);
    const capture = collectSse(response.body!, (c) => c.events.length >= 1);
    await publish('stock-change', stockChange(4, 3, PET));
    const wanted = await publish('stock-change', stockChange(4, 3, OTHER_PET));
    const events = (await capture).events;
    expect(events.map((event) => event.id)).toEqual([wanted]);
  });

  it('sends a heartbeat comment, without an id, after each idle interval', async () => {
    const { response } = await open();
    const capture = await collectSse(response.body!, (c) => c.comments.length >= 2);
    expect(capture.comments.slice(0, 2)).toEqual(['heartbeat', 'heartbeat']);
    expect(capture.events).toEqual([]);
  });

  it('never writes a frame that violates its schema, and ends the stream with stream-error', async () => {
    const { response } = await open();
    const reader = response.body!.getReader();
    await reader.read();
    const errorsBefore = app.logs.filter((line) => line.level >= 50).length;
    const badId = await publish('stock-change', {
      petId: 'not-a-uuid',
      oldStock: -1,
      newStock: 2,
      timestamp: now(),
    });
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).not.toContain('not-a-uuid');
    expect(text).not.toContain('event: stock-change');
    expect(text).toContain('event: stream-error');
    expect(text).toContain(`id: ${badId}`);
    const errors = app.logs.filter((line) => line.level >= 50).slice(errorsBefore);
    expect(errors.map((line) => line.msg)).toContain('SSE frame failed validation and was not sent');
  });

  it.each([
    ['a malformed petId', '?petId=123', 'query', '/petId'],
    ['a lastEventId with a line feed', '?lastEventId=1%0Aevent:%20complete', 'query', '/lastEventId'],
    ['a lastEventId with a NUL', '?lastEventId=1%00', 'query', '/lastEventId'],
    ['an overlong lastEventId', `?lastEventId=${'9'.repeat(129)}`, 'query', '/lastEventId'],
    ['a repeated query parameter', `?petId=${PET}&petId=${PET}`, 'query', '/petId'],
  ])('refuses %s with problem+json before the stream opens', async (_name, query, location, pointer) => {
    const response = await fetch(`${app.url}/v1/inventory/stream${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = await response.json();
    expect(problem).toMatchObject({ status: 400, type: '/problems/validation-error' });
    expect(problem.errors).toContainEqual(expect.objectContaining({ in: location, pointer }));
  });

  it('refuses an invalid Last-Event-ID header', async () => {
    const response = await fetch(`${app.url}/v1/inventory/stream`, { headers: { 'last-event-id': 'a b' } });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0]).toMatchObject({ in: 'header', pointer: '/Last-Event-ID' });
  });

  it('answers 406 to a client that does not accept text/event-stream', async () => {
    const response = await fetch(`${app.url}/v1/inventory/stream`, {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(406);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('releases every subscription, heartbeat and connection when hundreds of clients abort', async () => {
    const fresh = await startApp({ store, heartbeatMs: 40 });
    try {
      for (let round = 0; round < 3; round++) {
        const clients = await Promise.all(
          Array.from({ length: 100 }, () => openRaw(`${fresh.url}/v1/inventory/stream`)),
        );
        expect(clients.every((client) => client.status === 200)).toBe(true);
        await until(
          () => fresh.eventLog.readerCount(INVENTORY_TOPIC) === 100 && fresh.heartbeat.size === 100,
        );
        for (const client of clients) client.destroy();
      }
      await until(
        async () =>
          fresh.eventLog.readerCount(INVENTORY_TOPIC) === 0 &&
          fresh.heartbeat.size === 0 &&
          (await fresh.openConnections()) === 0,
      );
      expect(fresh.logs.filter((line) => line.level >= 40)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
