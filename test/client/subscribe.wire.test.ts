import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ChannelMessage,
  createClient,
  InvalidFrameError,
  type ReconnectInfo,
  StreamHttpError,
} from '../../packages/client/src/index.js';
import { collectMessages } from './collectMessages.js';

const PET = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';
const stockChange = JSON.stringify({
  petId: PET,
  oldStock: 3,
  newStock: 2,
  timestamp: '2026-11-24T10:15:30.123Z',
});

/** How the fake server answers the n-th request (the last answer repeats). */
type Answer = (response: ServerResponse) => void;

/** A tiny HTTP server that answers each request with the next hand-made answer and records its headers. */
async function fakeServer(answers: Answer[]) {
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    requests.push(request.headers);
    answers[Math.min(requests.length, answers.length) - 1]!(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { url: `http://127.0.0.1:${port}`, requests };
}

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Answers 200 text/event-stream with `text`, written in chunks of `chunkSize` characters, then ends or stays open. */
const sse =
  (text: string, { end = true, chunkSize = Number.POSITIVE_INFINITY } = {}): Answer =>
  (response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (let at = 0; at < text.length; at += chunkSize) response.write(text.slice(at, at + chunkSize));
    if (end) response.end();
  };

async function failure(iterable: AsyncIterable<unknown>): Promise<unknown> {
  const { finished } = collectMessages(iterable);
  return finished.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('client.subscribe on the wire', () => {
  it('throws InvalidFrameError with channel, event, id and the Ajv errors for a payload that breaks its schema', async () => {
    const server = await fakeServer([
      sse('retry: 10\n\nid: 7\nevent: stock-change\ndata: {"petId":"x"}\n\n'),
    ]);
    const error = await failure(createClient({ baseUrl: server.url }).subscribe('inventoryStream', {}));
    expect(error).toBeInstanceOf(InvalidFrameError);
    expect(error).toMatchObject({
      code: 'invalid_frame',
      channel: 'inventoryStream',
      event: 'stock-change',
      id: '7',
      reason: 'schema_mismatch',
      data: '{"petId":"x"}',
    });
    expect((error as InvalidFrameError).errors.length).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses an event name the channel does not declare', async () => {
    const server = await fakeServer([sse(`id: 1\nevent: error\ndata: ${stockChange}\n\n`)]);
    const error = await failure(createClient({ baseUrl: server.url }).subscribe('inventoryStream', {}));
    expect(error).toMatchObject({
      name: 'InvalidFrameError',
      reason: 'undeclared_event',
      event: 'error',
      id: '1',
    });
  });

  it('refuses an unnamed frame on a channel without a message event', async () => {
    const server = await fakeServer([sse(`id: 1\ndata: ${stockChange}\n\n`)]);
    const error = await failure(createClient({ baseUrl: server.url }).subscribe('inventoryStream', {}));
    expect(error).toMatchObject({ reason: 'undeclared_event', event: 'message' });
  });

  it('refuses data that is not JSON', async () => {
    const server = await fakeServer([sse('id: 1\nevent: stock-change\ndata: {oops\n\n')]);
    const error = await failure(createClient({ baseUrl: server.url }).subscribe('inventoryStream', {}));
    expect(error).toMatchObject({ reason: 'invalid_json', data: '{oops' });
  });

  it('passes frames through unchecked with validate off, skipping undeclared events', async () => {
    const text = `id: 1\nevent: surprise\ndata: {}\n\nid: 2\nevent: stock-change\ndata: {"petId":"x"}\n\nid: 3\nevent: stream-error\ndata: {"code":"internal_error","message":"bye"}\n\n`;
    const server = await fakeServer([sse(text)]);
    const client = createClient({ baseUrl: server.url, validate: false });
    const { messages, finished } = collectMessages(client.subscribe('inventoryStream', {}));
    await finished;
    expect(messages.map((message) => [message.id, message.event, message.data])).toEqual([
      ['2', 'stock-change', { petId: 'x' }],
      ['3', 'stream-error', { code: 'internal_error', message: 'bye' }],
    ]);
  });

  it('parses frames split anywhere across chunks, with CRLF line ends and heartbeat comments', async () => {
    const text = `retry: 10\r\n\r\n: heartbeat\r\n\r\nid: 1\r\nevent: stock-change\r\ndata: ${stockChange}\r\n\r\nid: 2\r\nevent: stream-error\r\ndata: {"code":"shutting_down",\r\ndata: "message":"bye"}\r\n\r\n`;
    const server = await fakeServer([sse(text, { chunkSize: 3 })]);
    const { messages, finished } = collectMessages(
      createClient({ baseUrl: server.url }).subscribe('inventoryStream', {}),
    );
    await finished;
    expect(messages).toEqual([
      { event: 'stock-change', id: '1', data: JSON.parse(stockChange) },
      { event: 'stream-error', id: '2', data: { code: 'shutting_down', message: 'bye' } },
    ]);
  });

  it('reconnects after a clean end with Last-Event-ID, after the retry the server asked for, with the injected fetch', async () => {
    const server = await fakeServer([
      sse(`retry: 25\n\nid: 41\nevent: stock-change\ndata: ${stockChange}\n\n`),
      sse(`retry: 25\n\nid: 42\nevent: stream-error\ndata: {"code":"shutting_down","message":"bye"}\n\n`),
    ]);
    const reconnects: ReconnectInfo[] = [];
    const client = createClient({
      baseUrl: server.url,
      fetch: (url, init) => {
        const headers = new Headers(init.headers);
        headers.set('authorization', 'Bearer token-123');
        return fetch(url, { ...init, headers });
      },
    });
    const { messages, finished } = collectMessages(
      client.subscribe('inventoryStream', { petId: PET }, { onReconnect: (info) => reconnects.push(info) }),
    );
    await finished;
    expect(messages.map((message) => message.id)).toEqual(['41', '42']);
    expect(server.requests.map((headers) => headers['last-event-id'])).toEqual([undefined, '41']);
    expect(server.requests.map((headers) => headers.authorization)).toEqual([
      'Bearer token-123',
      'Bearer token-123',
    ]);
    expect(reconnects).toHaveLength(1);
    expect(reconnects[0]).toMatchObject({ lastEventId: '41', error: undefined });
    expect(reconnects[0]!.delayMs).toBeGreaterThanOrEqual(25);
    expect(reconnects[0]!.delayMs).toBeLessThanOrEqual(27.5);
  });

  it('reconnects after a network error, backing off while attempts fail, bounded by maxRetryMs', async () => {
    const cut: Answer = (response) => response.socket?.destroy();
    const server = await fakeServer([
      cut,
      cut,
      sse('id: 9\nevent: stream-error\ndata: {"code":"internal_error","message":"done"}\n\n'),
    ]);
    const reconnects: ReconnectInfo[] = [];
    const { messages, finished } = collectMessages(
      createClient({ baseUrl: server.url }).subscribe(
        'inventoryStream',
        {},
        { maxRetryMs: 40, onReconnect: (info) => reconnects.push(info) },
      ),
    );
    await finished;
    expect(messages.map((message) => message.event)).toEqual(['stream-error']);
    expect(reconnects.map((info) => info.error)).toEqual([expect.any(Error), expect.any(Error)]);
    expect(reconnects.map((info) => info.delayMs)).toEqual([40, 40]);
  });

  it('sends the lastEventId option as Last-Event-ID on the first connect', async () => {
    const server = await fakeServer([
      sse('id: 5\nevent: complete\ndata: {"total":0,"processingTime":1}\n\n'),
    ]);
    const received: ChannelMessage<'recommendationsStream'>[] = [];
    const client = createClient({ baseUrl: server.url });
    for await (const message of client.subscribe(
      'recommendationsStream',
      { userId: 'user-456', limit: 2 },
      { lastEventId: '4' },
    ))
      received.push(message);
    expect(received.map((message) => message.event)).toEqual(['complete']);
    expect(server.requests[0]).toMatchObject({ 'last-event-id': '4', accept: 'text/event-stream' });
  });

  it('throws StreamHttpError for a 200 that is not an event stream', async () => {
    const server = await fakeServer([
      (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    ]);
    const error = await failure(createClient({ baseUrl: server.url }).subscribe('inventoryStream', {}));
    expect(error).toBeInstanceOf(StreamHttpError);
    expect(error).toMatchObject({ status: 200, problem: { title: 'Not an event stream' } });
  });

  it('throws StreamHttpError for a 503, as EventSource fails for good on any status but 200', async () => {
    const server = await fakeServer([(response) => response.writeHead(503).end('busy')]);
    const error = await failure(createClient({ baseUrl: server.url }).subscribe('inventoryStream', {}));
    expect(error).toMatchObject({
      status: 503,
      problem: { type: 'about:blank', status: 503, detail: 'busy' },
    });
    expect(server.requests).toHaveLength(1);
  });

  it('fills path parameters into the channel address and sends the rest as the query', async () => {
    const paths: string[] = [];
    const server = await fakeServer([
      sse('id: 1\nevent: complete\ndata: {"status":"cancelled","timestamp":"2026-11-24T10:15:31.002Z"}\n\n'),
      sse('id: r.1\nevent: complete\ndata: {"total":0,"processingTime":1}\n\n'),
    ]);
    const client = createClient({
      baseUrl: server.url,
      fetch: (url, init) => {
        paths.push(url.slice(server.url.length));
        return fetch(url, init);
      },
    });
    const orderId = '0193a5c4-1d2e-7f30-8a41-b2c3d4e5f607';
    for await (const message of client.subscribe('orderStatusStream', { orderId })) {
      expect(message.event === 'complete' && message.data.status).toBe('cancelled');
    }
    for await (const _ of client.subscribe('recommendationsStream', { userId: 'user-456', limit: 3 })) break;
    expect(paths).toEqual([
      `/v1/orders/${orderId}/status/stream`,
      '/v1/pets/recommendations/stream?userId=user-456&limit=3',
    ]);
  });
});
