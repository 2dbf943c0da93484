import { constants } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Koa from 'koa';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLiveLog } from '../../src/bus/index.js';
import { createEventLog, type EventLog } from '../../src/domain/index.js';
import { INVENTORY_TOPIC, openInventoryFeed } from '../../src/domain/inventory/index.js';
import { createHttpServer, createTlsServer, cutConnections, listen } from '../../src/http/server/index.js';
import { answerWithFeed, createStreams, OpenStreams } from '../../src/http/sse/index.js';
import { HeartbeatWheel } from '../../src/sse/index.js';
import { RawConnection } from '../helpers/rawHttp.js';
import { until } from '../helpers/startApp.js';
import { createTestCertificate, type TestCertificate } from '../helpers/testCertificate.js';
import { openTestStore } from '../helpers/testStore.js';
import { connectHttp2 } from '../helpers/tlsClients.js';

let log: EventLog;
const readers = (): number => log.live.readerCount(INVENTORY_TOPIC.name);
const heartbeat = new HeartbeatWheel(60_000);
const openStreams = new OpenStreams({ maxStreamsPerClient: 1 });
const logger = pino({ level: 'silent' }, new Writable({ write: (_chunk, _encoding, done) => done() }));
const settings = createStreams({ retryMs: 1000, heartbeat, logger, openStreams });

/** Feeds whose opening waits until the test lets them go on: the window in which a client may leave. */
const opening: Array<() => void> = [];
const letOpen = (): void => {
  for (const go of opening.splice(0)) go();
};

function app(): Koa {
  const koa = new Koa();
  koa.use(async (ctx) => {
    await answerWithFeed(ctx, 'inventoryStream', settings, async (signal) => {
      const feed = await openInventoryFeed(log, { signal });
      await new Promise<void>((resolve) => opening.push(resolve));
      return { kind: 'stream', ...feed };
    });
  });
  return koa;
}

let certificate: TestCertificate;
const http1 = createHttpServer(app());
let http2: ReturnType<typeof createTlsServer>;
let http1Url: string;
let http2Url: string;
const store = await openTestStore();
beforeAll(async () => {
  log = await createEventLog({ store, live: (history) => createMemoryLiveLog({ history }) });
  certificate = await createTestCertificate();
  http2 = createTlsServer(app(), certificate);
  http1Url = `http://127.0.0.1:${(await listen(http1, 0, '127.0.0.1')).port}`;
  http2Url = `https://127.0.0.1:${((await listen(http2, 0, '127.0.0.1')) as AddressInfo).port}`;
});
afterAll(async () => {
  for (const server of [http1, http2]) {
    cutConnections(server);
    await new Promise((resolve) => server.close(resolve));
  }
  heartbeat.close();
  await certificate.remove();
  await log.close();
  await store.close();
});

const released = () => openStreams.size === 0 && readers() === 0;

describe('a client that leaves while its stream is opening', () => {
  it('gives its slot and its log subscription back (HTTP/1.1), so its next stream is admitted', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const connection = await RawConnection.open(http1Url);
      connection.send('GET', '/', { Accept: 'text/event-stream' });
      await until(() => opening.length === 1 && readers() === 1);
      connection.close();
      await until(() => connection.closed);
      letOpen();
      await until(released);
    }
    const connection = await RawConnection.open(http1Url);
    const response = connection.send('GET', '/', { Accept: 'text/event-stream' });
    await until(() => opening.length === 1);
    letOpen();
    await connection.until(() => response.status !== 0);
    expect(response.status).toBe(200);
    connection.close();
    await until(released);
  });

  it.each([
    ['NO_ERROR', constants.NGHTTP2_NO_ERROR],
    ['CANCEL', constants.NGHTTP2_CANCEL],
  ])(
    'gives its slot and its log subscription back when it resets the HTTP/2 stream (%s)',
    async (_name, code) => {
      const session = await connectHttp2(http2Url, certificate.cert);
      for (let attempt = 0; attempt < 3; attempt++) {
        const stream = session.request({ ':path': '/', accept: 'text/event-stream' });
        stream.on('error', () => {});
        stream.end();
        await until(() => opening.length === 1 && readers() === 1);
        stream.close(code);
        await until(() => stream.closed);
        letOpen();
        await until(released);
      }
      session.destroy();
    },
  );
});
