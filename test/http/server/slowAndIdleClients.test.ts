import type { ClientHttp2Session } from 'node:http2';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_TOPIC } from '../../../src/domain/inventory/index.js';
import type { Store } from '../../../src/store/index.js';
import { collectSse } from '../../helpers/collectSse.js';
import { RawConnection } from '../../helpers/rawHttp.js';
import { type StartedApp, startApp, until } from '../../helpers/startApp.js';
import { createTestCertificate, type TestCertificate } from '../../helpers/testCertificate.js';
import { openTestStore } from '../../helpers/testStore.js';
import {
  connectHttp2,
  http2Request,
  openHttp2EventStream,
  openHttps1EventStream,
} from '../../helpers/tlsClients.js';

const DEADLINE_MS = 1000;
const SHORT = { headersTimeoutMs: DEADLINE_MS, bodyTimeoutMs: DEADLINE_MS, keepAliveTimeoutMs: DEADLINE_MS };

let store: Store;
let certificate: TestCertificate;
let plain: StartedApp;
let tls: StartedApp;
beforeAll(async () => {
  [store, certificate] = await Promise.all([openTestStore(), createTestCertificate()]);
  [plain, tls] = await Promise.all([
    startApp({ store, heartbeatMs: 50, connections: SHORT }),
    startApp({ store, heartbeatMs: 50, connections: SHORT, tls: certificate }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([plain?.close(), tls?.close()]);
  await store?.close();
});

/** A raw TCP connection to `url` that records what it receives and when it is closed. */
function rawSocket(
  url: string,
): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect({ host: '127.0.0.1', port: Number(port) }, () =>
      resolve({ socket, received: () => text, closed }),
    );
    const closed = new Promise<number>((done) => socket.once('close', () => done(performance.now())));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', () => {}); // a reset is a close here; the test asserts on what arrived and when
    socket.once('connect', () => socket.off('error', reject));
    socket.once('error', reject);
  });
}

describe('deadlines of a request and of an idle connection', () => {
  it('answers headers that do not arrive within HTTP_HEADERS_TIMEOUT_MS with 408 problem+json and closes', async () => {
    const client = await rawSocket(plain.url);
    const started = performance.now();
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: local');
    const closedAt = await client.closed;
    expect(closedAt - started).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(client.received()).toContain('application/problem+json');
    expect(client.received()).toContain(`within ${DEADLINE_MS} ms`);
  });

  it('closes a keep-alive connection idle for HTTP_KEEP_ALIVE_TIMEOUT_MS after its last answer', async () => {
    const connection = await RawConnection.open(plain.url);
    const answer = connection.send('GET', '/healthz');
    await connection.until(() => answer.complete);
    const answeredAt = performance.now();
    await until(() => connection.closed, 5000);
    expect(performance.now() - answeredAt).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
  });

  it('cuts an HTTP/2 request body not in full within HTTP_BODY_TIMEOUT_MS with 408, and keeps the session', async () => {
    const session = await connectHttp2(tls.url, certificate.cert);
    try {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/v1/chat/completions',
        'content-type': 'application/json',
        'content-length': 5000,
      });
      stream.write('{');
      const answer = await new Promise<{ status: number; text: string }>((resolve) => {
        let text = '';
        let status = 0;
        stream.on('response', (headers) => {
          status = Number(headers[':status']);
        });
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          text += chunk;
        });
        stream.on('error', () => {}); // the RST_STREAM that follows the answer
        stream.once('close', () => resolve({ status, text }));
      });
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.text)).toMatchObject({ status: 408, type: '/problems/request-timeout' });
      expect((await http2Request(session, 'GET', '/healthz')).status).toBe(200);
      expect(tls.logs.filter((line) => line.level >= 50)).toEqual([]);
    } finally {
      session.close();
    }
  });

  it('lets streams live past every deadline, over HTTP/1.1, HTTP/1.1 over TLS and HTTP/2', async () => {
    const leave = new AbortController();
    const plainStream = await fetch(`${plain.url}/v1/inventory/stream`, { signal: leave.signal });
    const session = await connectHttp2(tls.url, certificate.cert);
    const h2 = await openHttp2EventStream(session, '/v1/inventory/stream');
    const h1 = await openHttps1EventStream(tls.url, certificate.cert, '/v1/inventory/stream');
    try {
      // Forty heartbeats 50 ms apart: twice each deadline, with nothing sent by the client.
      const heard = collectSse(plainStream.body!, (capture) => capture.events.length > 0);
      await until(() => h2.capture.comments.length >= 40 && h1.capture.comments.length >= 40, 15_000);
      await until(() => plain.eventLog.readerCount(INVENTORY_TOPIC) === 1);
      const data = { petId: '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90', oldStock: 1, newStock: 2 };
      await plain.eventLog.append(INVENTORY_TOPIC, 'stock-change', {
        ...data,
        timestamp: new Date().toISOString(),
      });
      await tls.eventLog.append(INVENTORY_TOPIC, 'stock-change', {
        ...data,
        timestamp: new Date().toISOString(),
      });
      expect((await heard).events.length).toBeGreaterThanOrEqual(1);
      // The two apps share one store, so each stream may see the other's event too.
      await until(() => h2.capture.events.length >= 1 && h1.capture.events.length >= 1);
    } finally {
      leave.abort();
      h2.stream.close();
      h1.stream.destroy();
      session.close();
    }
  });
});

describe('the cap on one client’s connections (MAX_CONNECTIONS_PER_CLIENT)', () => {
  let capped: StartedApp;
  let cappedTls: StartedApp;
  beforeAll(async () => {
    [capped, cappedTls] = await Promise.all([
      startApp({ store, connections: { maxPerClient: 3 } }),
      startApp({ store, connections: { maxPerClient: 2 }, tls: certificate }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([capped?.close(), cappedTls?.close()]);
  });

  it('refuses an HTTP/1.1 connection over the cap with 429 problem+json and closes it at once', async () => {
    const held = await Promise.all([1, 2, 3].map(() => RawConnection.open(capped.url)));
    try {
      const refused = await rawSocket(capped.url);
      await refused.closed;
      expect(refused.received()).toMatch(/^HTTP\/1\.1 429 /);
      expect(refused.received()).toContain('application/problem+json');
      expect(refused.received()).toContain('already has 3 connections open');

      // The connections it holds still work, and a closed one makes room for a new one.
      const metrics = held[0]!.send('GET', '/metrics');
      await held[0]!.until(() => metrics.complete);
      expect(metrics.body).toMatch(/^http_connections_refused_total 1$/m);
      held[2]!.close();
      await until(async () => {
        const next = await rawSocket(capped.url);
        next.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
        await next.closed;
        return next.received().startsWith('HTTP/1.1 200');
      });
    } finally {
      for (const connection of held) connection.close();
    }
  });

  it('counts HTTP/2 sessions and HTTP/1.1 connections over TLS alike, closing one over the cap before its handshake', async () => {
    const sessions: ClientHttp2Session[] = [
      await connectHttp2(cappedTls.url, certificate.cert),
      await connectHttp2(cappedTls.url, certificate.cert),
    ];
    try {
      await expect(connectHttp2(cappedTls.url, certificate.cert)).rejects.toThrow();
      const { port } = new URL(cappedTls.url);
      const https1 = tlsConnect({
        host: '127.0.0.1',
        port: Number(port),
        ca: certificate.cert,
        servername: 'localhost',
      });
      const outcome = await new Promise<string>((resolve) => {
        https1.once('secureConnect', () => resolve('handshake'));
        https1.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(outcome).not.toBe('handshake');
      https1.destroy();

      expect((await http2Request(sessions[0]!, 'GET', '/healthz')).status).toBe(200);
      sessions.pop()!.close();
      await until(async () => {
        try {
          sessions.push(await connectHttp2(cappedTls.url, certificate.cert));
          return true;
        } catch {
          return false; // the server has not seen the closed session go yet
        }
      });
    } finally {
      for (const session of sessions) session.close();
    }
  });
});
