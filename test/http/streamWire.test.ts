import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Context } from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_TOPIC } from '../../src/domain/inventory/index.js';
import { parseSse } from '../helpers/collectSse.js';
import { RawConnection } from '../helpers/rawHttp.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';

const PET_ID = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';
const change = (n: number) => ({
  petId: PET_ID,
  oldStock: n,
  newStock: n + 1,
  timestamp: new Date().toISOString(),
});
const STREAM = { Accept: 'text/event-stream' };

let app: StartedApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

describe('an HTTP/1.1 stream on the wire', () => {
  it('is chunked and kept alive, carries the request id, and sends the events of one commit as one chunk', async () => {
    const connection = await RawConnection.open(app.url);
    const response = connection.send('GET', '/v1/inventory/stream', { ...STREAM, 'X-Request-Id': 'wire-1' });
    await connection.until(() => response.chunks.length >= 1);
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'transfer-encoding': 'chunked',
      connection: 'keep-alive',
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      'x-request-id': 'wire-1',
    });
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 1);

    const burst10 = Array.from({ length: 10 }, (_, i) => ({ event: 'stock-change', data: change(i + 1) }));
    await app.eventLog.appendAll(INVENTORY_TOPIC, burst10);
    await connection.until(() => parseSse(response.chunks).events.length === 10);

    const burst = response.chunks.filter((chunk) => chunk.includes('stock-change'));
    expect(burst).toHaveLength(1);
    expect(parseSse(burst[0]!).events.map((event) => JSON.parse(event.data).oldStock)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    connection.close();
  });

  it('ends a finished stream with the last chunk and serves the next request on the same connection', async () => {
    const connection = await RawConnection.open(app.url);
    const stream = connection.send('GET', '/v1/pets/recommendations/stream?userId=user-456&limit=2', STREAM);
    await connection.until(() => stream.complete);
    expect(parseSse(stream.chunks).events.map((event) => event.event)).toEqual([
      'recommendation',
      'recommendation',
      'complete',
    ]);

    const next = connection.send('GET', '/healthz');
    await connection.until(() => next.complete);
    expect(next.status).toBe(200);
    expect(JSON.parse(next.body)).toEqual({ status: 'ok' });
    connection.close();
  });

  it('answers an HTTP/1.0 client without keep-alive, its stream ending with the connection', async () => {
    const connection = await RawConnection.open(app.url);
    const response = connection.send('GET', '/v1/inventory/stream', STREAM, 'HTTP/1.0');
    await connection.until(() => response.status !== 0 && connection.rest.includes('retry:'));
    expect(response.status).toBe(200);
    expect(response.headers.connection).toBe('close');
    expect(response.headers['transfer-encoding']).toBeUndefined();
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 1);
    await app.eventLog.append(INVENTORY_TOPIC, 'stock-change', change(7));
    await connection.until(() => parseSse(connection.rest).events.length === 1);
    connection.close();
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 0);
  });

  it('answers HEAD with the stream headers and no stream', async () => {
    const connection = await RawConnection.open(app.url);
    const head = connection.send('HEAD', '/v1/inventory/stream', STREAM);
    await connection.until(() => head.status !== 0);
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(app.eventLog.readerCount(INVENTORY_TOPIC)).toBe(0);
    const next = connection.send('GET', '/healthz');
    await connection.until(() => next.complete);
    expect(next.status).toBe(200);
    connection.close();
  });
});

describe('a served stream', () => {
  it('keeps nothing of the request context once it is set up, while it still delivers events', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const contexts: WeakRef<Context>[] = [];
    const createContext = app.app.createContext.bind(app.app);
    app.app.createContext = (req, res) => {
      const ctx = createContext(req, res);
      contexts.push(new WeakRef(ctx as Context));
      return ctx;
    };
    const connection = await RawConnection.open(app.url);
    const response = connection.send('GET', '/v1/inventory/stream', STREAM);
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 1);
    await new Promise((resolve) => setImmediate(resolve));

    await until(() => {
      gc();
      return contexts[0]?.deref() === undefined;
    });

    await app.eventLog.append(INVENTORY_TOPIC, 'stock-change', change(42));
    await connection.until(() => parseSse(response.chunks).events.length === 1);
    expect(contexts).toHaveLength(1);
    connection.close();
  });
});
