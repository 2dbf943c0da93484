import type { ClientHttp2Session, Http2Session, ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INVENTORY_TOPIC } from '../../src/domain/inventory/index.js';
import type { TlsServer } from '../../src/http/server/index.js';
import type { Store } from '../../src/store/index.js';
import { bearer, staffBearer } from '../helpers/accessTokens.js';
import { expectMatchesSpec, expectProblem } from '../helpers/expectMatchesSpec.js';
import { parseMetrics } from '../helpers/readMetrics.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { createTestCertificate, type TestCertificate } from '../helpers/testCertificate.js';
import { openTestStore } from '../helpers/testStore.js';
import {
  asResponse,
  connectHttp2,
  http2Request,
  https1Request,
  openHttp2EventStream,
  openHttps1EventStream,
} from '../helpers/tlsClients.js';

const SHOP = 'https://shop.example.com';
/** Headers HTTP/2 forbids (RFC 9113 §8.2.2). */
const CONNECTION_SPECIFIC = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

let certificate: TestCertificate;
let store: Store;
let app: StartedApp;
let petId: string;
let client: ClientHttp2Session;
beforeAll(async () => {
  [certificate, store] = await Promise.all([createTestCertificate(), openTestStore()]);
  app = await startApp({
    store,
    tls: certificate,
    heartbeatMs: 100,
    limits: { maxStreamsPerClient: 20, maxHeaderBytes: 4096 },
    corsOrigins: [SHOP],
  });
  const { items } = await store.pets.list({ limit: 100, offset: 0 });
  petId = items.find((pet) => pet.stock >= 3)!.id;
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  await certificate?.remove();
});

const sessions: ClientHttp2Session[] = [];
/** A new HTTP/2 connection, closed after the test. */
async function connect(): Promise<ClientHttp2Session> {
  const session = await connectHttp2(app.url, certificate.cert);
  sessions.push(session);
  return session;
}
// A session per test: the server closes a session idle (no stream open) for 5 s, as a client would expect.
beforeEach(async () => {
  client = await connect();
});
afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await until(() => app.openStreams.size === 0);
});

/** The server-side HTTP/2 sessions and TCP connections that carry the streams opened from now on. */
function carriers(): { sessions: Set<Http2Session>; sockets: Set<Socket> } {
  const seen = { sessions: new Set<Http2Session>(), sockets: new Set<Socket>() };
  app.server.on('stream', (stream: ServerHttp2Stream) => {
    seen.sessions.add(stream.session!);
    seen.sockets.add(stream.session!.socket as Socket);
  });
  return seen;
}

const inventoryStream = () => `/v1/inventory/stream?petId=${petId}`;

describe('HTTP/2 over TLS', () => {
  it('delivers every change to 20 concurrent streams on one connection, in order and once each', async () => {
    const seen = carriers();
    const session = await connect();
    const streams = await Promise.all(
      Array.from({ length: 20 }, () => openHttp2EventStream(session, inventoryStream())),
    );
    expect(streams.map((stream) => stream.status)).toEqual(Array(20).fill(200));
    await until(() => streams.every((stream) => stream.capture.retries.length === 1));

    const before = await expectMatchesSpec(
      'getPet',
      asResponse(await http2Request(session, 'GET', `/v1/pets/${petId}`)),
      200,
    );
    const changes = [{ stock: 11 }, { price: 101.5 }, { stock: 12 }, { price: 102.5 }, { stock: 13 }];
    for (const body of changes) {
      const answer = await http2Request(session, 'PATCH', `/v1/inventory/${petId}`, {
        headers: await staffBearer(),
        body,
      });
      expect(answer.status).toBe(200);
    }
    await until(() => streams.every((stream) => stream.capture.events.length >= changes.length));

    const [first] = streams;
    expect(first!.capture.events.map((event) => [event.event, JSON.parse(event.data)])).toEqual([
      ['stock-change', expect.objectContaining({ oldStock: before.stock, newStock: 11 })],
      ['price-change', expect.objectContaining({ oldPrice: before.price, newPrice: 101.5 })],
      ['stock-change', expect.objectContaining({ oldStock: 11, newStock: 12 })],
      ['price-change', expect.objectContaining({ oldPrice: 101.5, newPrice: 102.5 })],
      ['stock-change', expect.objectContaining({ oldStock: 12, newStock: 13 })],
    ]);
    // Ids are `<generation>.<position>`: one generation, consecutive positions.
    const ids = first!.capture.events.map((event) => event.id!.split('.'));
    expect(new Set(ids.map(([generation]) => generation)).size).toBe(1);
    const positions = ids.map(([, position]) => Number(position));
    expect(positions).toEqual(positions.map((_, i) => positions[0]! + i));
    for (const stream of streams) expect(stream.capture.events).toEqual(first!.capture.events);
    expect(seen.sessions.size).toBe(1);
    expect(seen.sockets.size).toBe(1);
  });

  it('advertises room for MAX_STREAMS_PER_CLIENT + 100 streams and twice MAX_HEADER_BYTES of headers, and has no timeout that cuts a stream', async () => {
    await until(() => client.remoteSettings.maxConcurrentStreams === 120);
    expect(client.remoteSettings.maxHeaderListSize).toBe(2 * 4096);
    const server = app.server as TlsServer;
    expect([server.timeout, server.requestTimeout]).toEqual([0, 0]);
    expect([server.headersTimeout, server.keepAliveTimeout, server.maxHeaderSize]).toEqual([
      30_000, 5_000, 4096,
    ]);
  });

  it('counts the streams of one HTTP/2 connection against its client address (MAX_STREAMS_PER_CLIENT) and in the metrics', async () => {
    const streams = await Promise.all(
      Array.from({ length: 20 }, () => openHttp2EventStream(client, inventoryStream())),
    );
    expect(app.openStreams.sizeOf('127.0.0.1')).toBe(20);
    const refused = await http2Request(client, 'GET', inventoryStream(), {
      headers: { accept: 'text/event-stream' },
    });
    const problem = await expectProblem(asResponse(refused), 429);
    expect(problem.detail).toContain('MAX_STREAMS_PER_CLIENT');
    expect(refused.headers['retry-after']).toBeDefined();

    const metrics = parseMetrics((await http2Request(client, 'GET', '/metrics')).text);
    const open = metrics.find(
      (sample) => sample.name === 'sse_streams_open' && sample.labels.channel === 'inventoryStream',
    );
    expect(open?.value).toBe(20);
    for (const stream of streams) stream.stream.close();
    await until(() => app.openStreams.size === 0);
  });

  it('answers a stream with the SSE headers and no connection-specific header, then heartbeats', async () => {
    const stream = await openHttp2EventStream(client, inventoryStream());
    expect(stream.status).toBe(200);
    expect(stream.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    for (const name of CONNECTION_SPECIFIC) expect(stream.headers).not.toHaveProperty(name);
    await until(() => stream.capture.comments.includes('heartbeat'));
    expect(stream.capture.retries).toEqual([1500]);
    stream.stream.close();
    await stream.ended;
  });

  it('answers REST and problem+json over HTTP/2 without connection-specific headers', async () => {
    const answers = await Promise.all([
      http2Request(client, 'GET', '/v1/pets?limit=1'),
      http2Request(client, 'GET', '/v1/pets/not-a-uuid'),
      http2Request(client, 'GET', '/no/such/route'),
      http2Request(client, 'GET', '/v1/inventory/stream', { headers: { 'last-event-id': 'a b' } }),
    ]);
    await expectMatchesSpec('listPets', asResponse(answers[0]!), 200);
    await expectMatchesSpec('getPet', asResponse(answers[1]!), 400);
    await expectProblem(asResponse(answers[2]!), 404);
    const invalid = await expectProblem(asResponse(answers[3]!), 400);
    expect(invalid.errors).toEqual([expect.objectContaining({ in: 'header', pointer: '/Last-Event-ID' })]);
    for (const answer of answers)
      for (const name of CONNECTION_SPECIFIC) expect(answer.headers).not.toHaveProperty(name);
  });

  it('reads a JSON body sent without Content-Length, which HTTP/2 does not require', async () => {
    const request = client.request({
      ':method': 'PATCH',
      ':path': `/v1/inventory/${petId}`,
      'content-type': 'application/json',
      ...(await staffBearer()),
    });
    request.end(JSON.stringify({ stock: 8 }));
    const answer = await new Promise<{ status: number; text: string }>((resolve) => {
      let text = '';
      request.setEncoding('utf8');
      request.on('response', (headers) => {
        request.on('data', (chunk: string) => {
          text += chunk;
        });
        request.on('end', () => resolve({ status: Number(headers[':status']), text }));
      });
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ petId, stock: 8 });
  });

  it('resumes after a Last-Event-ID header sent over HTTP/2', async () => {
    const change = { petId, oldStock: 1, newStock: 2, timestamp: new Date().toISOString() };
    const resumeId = await app.eventLog.append(INVENTORY_TOPIC, 'stock-change', change);
    const nextId = await app.eventLog.append(INVENTORY_TOPIC, 'stock-change', { ...change, newStock: 3 });
    const stream = await openHttp2EventStream(client, inventoryStream(), { 'last-event-id': resumeId });
    await until(() => stream.capture.events.length > 0);
    expect(stream.capture.events.map((event) => event.id)).toEqual([nextId]);
    stream.stream.close();
  });

  it('authenticates a bearer token over HTTP/2: order REST, another user answered 404, the status stream', async () => {
    const owner = await bearer('user-456');
    const placed = await http2Request(client, 'POST', '/v1/orders', {
      body: { petId, quantity: 1, userId: 'user-456' },
      headers: owner,
    });
    expect(placed.status).toBe(201);
    const order = JSON.parse(placed.text) as { id: string };
    expect((await http2Request(client, 'GET', `/v1/orders/${order.id}`, { headers: owner })).status).toBe(
      200,
    );
    const other = await http2Request(client, 'GET', `/v1/orders/${order.id}`, {
      headers: await bearer('user-123'),
    });
    expect(other.status).toBe(404);
    const missing = await http2Request(client, 'GET', `/v1/orders/${order.id}`);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer /);

    const stream = await openHttp2EventStream(client, `/v1/orders/${order.id}/status/stream`, owner);
    expect(stream.status).toBe(200);
    await until(() => stream.capture.events.length === 1);
    expect(JSON.parse(stream.capture.events[0]!.data)).toMatchObject({ status: 'payment_processing' });
    stream.stream.close();
  });

  it('answers a CORS preflight and an allowed origin over HTTP/2', async () => {
    const preflight = await http2Request(client, 'OPTIONS', `/v1/inventory/${petId}`, {
      headers: { origin: SHOP, 'access-control-request-method': 'PATCH' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': SHOP,
      'access-control-allow-headers': 'Content-Type, Last-Event-ID, Authorization, Idempotency-Key',
    });
    const stream = await openHttp2EventStream(client, inventoryStream(), { origin: SHOP });
    expect(stream.headers['access-control-allow-origin']).toBe(SHOP);
    for (const name of CONNECTION_SPECIFIC) expect(stream.headers).not.toHaveProperty(name);
    stream.stream.close();
  });

  it('answers an HTTP/2 field section over MAX_HEADER_BYTES with 431 problem+json, and resets one over twice that', async () => {
    const fits = await http2Request(client, 'GET', '/v1/pets?limit=1', {
      headers: { 'x-pad': 'x'.repeat(3500) },
    });
    expect(fits.status).toBe(200);
    const tooLarge = await http2Request(client, 'GET', '/v1/pets', {
      headers: { 'x-pad': 'x'.repeat(5000) },
    });
    const problem = await expectProblem(asResponse(tooLarge), 431);
    expect(problem.detail).toContain('4096');
    await expect(
      http2Request(client, 'GET', '/v1/pets', { headers: { 'x-pad': 'x'.repeat(9000) } }),
    ).rejects.toThrow(/ENHANCE_YOUR_CALM/);
    expect((await http2Request(client, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('HTTP/1.1 on the same TLS port', () => {
  it('serves a stream to a client that offers only http/1.1, with Connection: keep-alive', async () => {
    const stream = await openHttps1EventStream(app.url, certificate.cert, inventoryStream());
    expect(stream.protocol).toBe('http/1.1');
    expect(stream.status).toBe(200);
    expect(stream.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    const patched = await http2Request(client, 'PATCH', `/v1/inventory/${petId}`, {
      headers: await staffBearer(),
      body: { stock: 9 },
    });
    expect(patched.status).toBe(200);
    await until(() => stream.capture.events.length === 1);
    expect(JSON.parse(stream.capture.events[0]!.data)).toMatchObject({ petId, newStock: 9 });
    stream.stream.destroy();
  });

  it('answers REST, problem+json and 431 over HTTP/1.1', async () => {
    const [pets, missing, tooLarge] = await Promise.all([
      https1Request(app.url, certificate.cert, 'GET', '/v1/pets?limit=1'),
      https1Request(app.url, certificate.cert, 'GET', '/no/such/route'),
      https1Request(app.url, certificate.cert, 'GET', '/v1/pets', { headers: { 'x-pad': 'x'.repeat(5000) } }),
    ]);
    expect([pets.protocol, missing.protocol, tooLarge.protocol]).toEqual(Array(3).fill('http/1.1'));
    await expectMatchesSpec('listPets', asResponse(pets), 200);
    await expectProblem(asResponse(missing), 404);
    await expectProblem(asResponse(tooLarge), 431);
  });
});
