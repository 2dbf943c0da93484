import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import {
  type ClientHttp2Session,
  connect as connectSession,
  constants,
  type ServerHttp2Stream,
} from 'node:http2';
import { Agent, request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_TOPIC } from '../../src/domain/inventory/index.js';
import { closeGracefully } from '../../src/http/server/index.js';
import type { Store } from '../../src/store/index.js';
import { staffBearer } from '../helpers/accessTokens.js';
import { parseMetrics } from '../helpers/readMetrics.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { createTestCertificate, type TestCertificate } from '../helpers/testCertificate.js';
import { openTestStore } from '../helpers/testStore.js';
import { connectHttp2, http2Request, openHttp2EventStream, slowHttp2Patch } from '../helpers/tlsClients.js';

let certificate: TestCertificate;
let store: Store;
let petId: string;
const started: StartedApp[] = [];
const sessions: ClientHttp2Session[] = [];
beforeAll(async () => {
  [certificate, store] = await Promise.all([createTestCertificate(), openTestStore()]);
  petId = (await store.pets.list({ limit: 1, offset: 0 })).items[0]!.id;
});
afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await Promise.all(started.splice(0).map((app) => app.close()));
});
afterAll(async () => {
  await store?.close();
  await certificate?.remove();
});

async function tlsApp(options: { heartbeatMs?: number } = {}): Promise<StartedApp> {
  const app = await startApp({ store, tls: certificate, heartbeatMs: options.heartbeatMs ?? 50 });
  started.push(app);
  return app;
}

async function connect(app: StartedApp): Promise<ClientHttp2Session> {
  const session = await connectHttp2(app.url, certificate.cert);
  sessions.push(session);
  return session;
}

/** The HTTP/2 streams the server has open now (requests not yet closed on its side). */
function serverStreams(app: StartedApp): Set<ServerHttp2Stream> {
  const open = new Set<ServerHttp2Stream>();
  app.server.on('stream', (stream: ServerHttp2Stream) => {
    open.add(stream);
    stream.once('close', () => open.delete(stream));
  });
  return open;
}

describe('an HTTP/2 client that goes away', () => {
  it('releases the server stream, its subscription, heartbeat and admission at once when it resets a stream', async () => {
    const app = await tlsApp();
    const streams = serverStreams(app);
    const session = await connect(app);
    const clients = await Promise.all(
      Array.from({ length: 10 }, () => openHttp2EventStream(session, '/v1/inventory/stream')),
    );
    await until(() => clients.every((client) => client.capture.comments.includes('heartbeat')));
    expect(app.eventLog.readerCount(INVENTORY_TOPIC)).toBe(10);
    expect([app.heartbeat.size, app.openStreams.size, streams.size]).toEqual([10, 10, 10]);

    for (const client of clients) client.stream.close(constants.NGHTTP2_CANCEL);
    await until(
      () =>
        app.eventLog.readerCount(INVENTORY_TOPIC) === 0 &&
        app.heartbeat.size === 0 &&
        app.openStreams.size === 0 &&
        streams.size === 0,
    );
    const metrics = parseMetrics((await http2Request(session, 'GET', '/metrics')).text);
    expect(metrics).toContainEqual({
      name: 'sse_streams_open',
      labels: { channel: 'inventoryStream' },
      value: 0,
    });
    expect(session.destroyed).toBe(false);
    expect(app.logs.filter((line) => line.level >= 40)).toEqual([]);
  });

  it('releases every stream of a connection that drops, and the connection', async () => {
    const app = await tlsApp();
    const streams = serverStreams(app);
    const { port } = new URL(app.url);
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: Number(port),
      ca: certificate.cert,
      ALPNProtocols: ['h2'],
    });
    const session = connectSession(app.url, { createConnection: () => socket });
    sessions.push(session);
    await Promise.all(Array.from({ length: 5 }, () => openHttp2EventStream(session, '/v1/inventory/stream')));
    await until(() => app.openStreams.size === 5 && app.heartbeat.size === 5);

    socket.destroy();
    await until(
      async () =>
        app.eventLog.readerCount(INVENTORY_TOPIC) === 0 &&
        app.heartbeat.size === 0 &&
        app.openStreams.size === 0 &&
        streams.size === 0 &&
        (await app.openConnections()) === 0,
    );
  });
});

describe('an idle HTTP/2 connection', () => {
  it('is closed with GOAWAY after 5 s without a stream, while one whose stream was as quiet stays open', async () => {
    const app = await tlsApp({ heartbeatMs: 60_000 });
    const [idle, carrying] = await Promise.all([connect(app), connect(app)]);
    const quiet = await openHttp2EventStream(carrying, '/v1/inventory/stream');
    const idleSince = performance.now();
    const [code] = (await once(idle, 'goaway')) as [number];
    expect(code).toBe(constants.NGHTTP2_NO_ERROR);
    expect(performance.now() - idleSince).toBeGreaterThanOrEqual(4500);
    expect(quiet.capture.events.length + quiet.capture.comments.length).toBe(0);
    expect(carrying.closed).toBe(false);
    expect(app.openStreams.size).toBe(1);
    await until(() => idle.destroyed);
  });
});

/** A PATCH over HTTP/1.1 (ALPN http/1.1) whose body is sent in two parts: it stays in flight until `finish()`. */
function slowHttp1Patch(app: StartedApp, body: string, staff: Record<string, string>) {
  const request = httpsRequest(`${app.url}/v1/inventory/${petId}`, {
    method: 'PATCH',
    ca: certificate.cert,
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...staff },
  });
  request.write(body.slice(0, 5));
  const answer = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', resolve);
  });
  return { finish: () => request.end(body.slice(5)), answer };
}

/** An HTTP/1.1 keep-alive connection (ALPN http/1.1) that answered one request and now idles. */
async function idleHttp1Connection(app: StartedApp) {
  const agent = new Agent({ keepAlive: true, ca: certificate.cert });
  const response = await new Promise<IncomingMessage>((resolve, reject) =>
    httpsRequest(`${app.url}/healthz`, { agent }, resolve).once('error', reject).end(),
  );
  const socket = response.socket;
  response.resume();
  await once(response, 'end');
  return { socket, agent };
}

describe('closeGracefully on the TLS server', () => {
  it('sends GOAWAY, lets a request in flight finish, closes idle connections of both protocols, then closes', async () => {
    const app = await tlsApp();
    const inFlight = serverStreams(app);
    const busy = await connect(app);
    const idle = await connect(app);
    const http1 = await idleHttp1Connection(app);
    const staff = await staffBearer();
    const patch = slowHttp2Patch(busy, `/v1/inventory/${petId}`, JSON.stringify({ stock: 6 }), staff);
    const inFlightHttp1 = new Promise<void>((resolve) =>
      app.server.on('request', (request) => {
        if (request.httpVersionMajor === 1 && request.method === 'PATCH') resolve();
      }),
    );
    const http1Patch = slowHttp1Patch(app, JSON.stringify({ price: 66 }), staff);
    await Promise.all([until(() => inFlight.size === 1), inFlightHttp1]);

    const goaway = once(busy, 'goaway');
    const idleClosed = Promise.all([once(idle, 'close'), once(http1.socket, 'close')]);
    const closed = closeGracefully(app.server, 30_000);
    const [code] = (await goaway) as [number];
    expect(code).toBe(constants.NGHTTP2_NO_ERROR);
    await idleClosed;
    expect(() => busy.request({ ':path': '/healthz' })).toThrow(/GOAWAY|closed/i);

    patch.finish();
    const answer = await patch.answer;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ petId, stock: 6 });
    http1Patch.finish();
    const http1Answer = await http1Patch.answer;
    expect(http1Answer.statusCode).toBe(200);
    expect(http1Answer.headers.connection).toBe('close');
    http1Answer.resume();
    await closed;
    http1.agent.destroy();
  });

  it('cuts the connections still busy when the timeout passes', async () => {
    const app = await tlsApp();
    const session = await connect(app);
    const stream = await openHttp2EventStream(session, '/v1/inventory/stream');
    await until(() => app.openStreams.size === 1);

    const started = performance.now();
    await closeGracefully(app.server, 200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    await stream.ended;
    await until(() => session.destroyed && app.openStreams.size === 0);
  });
});
