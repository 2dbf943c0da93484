import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type Koa from 'koa';
import { pino } from 'pino';
import { createMemoryEventLog, type MemoryEventLog } from '../../src/bus/index.js';
import type { ChatOptions } from '../../src/domain/chat/index.js';
import { createServices, type Services } from '../../src/domain/index.js';
import { type Fulfilment, startFulfilment } from '../../src/domain/orders/index.js';
import type { Recommender } from '../../src/domain/recommendations/index.js';
import { createApp } from '../../src/http/app.js';
import { type AuthSettings, createAuth } from '../../src/http/auth/index.js';
import { createTlsServer } from '../../src/http/createTlsServer.js';
import { LOG_REDACTION } from '../../src/http/logRedaction.js';
import { type AppServer, createHttpServer, cutConnections, listen } from '../../src/http/server.js';
import { OpenStreams, type StreamLimits } from '../../src/http/sse/index.js';
import { HeartbeatWheel } from '../../src/sse/index.js';
import type { Store } from '../../src/store/index.js';
import { TEST_AUTH } from './accessTokens.js';
import { openTestStore } from './testStore.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/**
 * The app on a real server (127.0.0.1, port 0): plain HTTP/1.1, or with `tls` HTTP/2 and HTTP/1.1 over TLS;
 * seeded in-memory PGlite, in-memory event log, captured logs, and tokens signed with the test secret (see
 * `accessTokens.ts`).
 */
export interface StartedApp {
  /** `http://127.0.0.1:<port>`, or `https://…` with `tls`. */
  url: string;
  /** The Koa app the server runs. */
  app: Koa;
  server: AppServer;
  store: Store;
  services: Services;
  eventLog: MemoryEventLog;
  heartbeat: HeartbeatWheel;
  /** The app's open streams; `drain()` them to shut down as the server does. */
  openStreams: OpenStreams;
  fulfilment: Fulfilment;
  logs: LogLine[];
  /** Open connections, after closing idle keep-alive ones: what is left carries a request or a stream. */
  openConnections(): Promise<number>;
  /** Cuts every open connection (as a network failure would); the server keeps listening. */
  dropConnections(): void;
  close(): Promise<void>;
}

export interface StartAppOptions {
  heartbeatMs?: number;
  retryMs?: number;
  logCapacity?: number;
  orderStepMs?: number;
  /** Reuse an open store (PGlite takes seconds to start); it is not closed with the app. */
  store?: Store;
  /** Replace the built-in content-based recommender. */
  recommender?: Recommender;
  /** The docs site to serve at `/docs` (default `dist/docs`). */
  docsDir?: string;
  /** The demo page to serve at `/` (default `dist/demo`). */
  demoDir?: string;
  /** Who answers the chat (an upstream, an instrumented responder). Default: the built-in pet advisor. */
  chat?: ChatOptions;
  /** Stream caps, REST rate limit and header size. Default: no caps, no rate limit, 16 KiB of headers. */
  limits?: StreamLimits & { rateLimitPerMinute?: number; maxHeaderBytes?: number };
  /** Origins allowed by CORS. Default: none (same-origin only). */
  corsOrigins?: string[];
  /** Share of `retryMs` added at random to each stream's `retry:`. Default: 0, so tests see `retryMs`. */
  retryJitter?: number;
  /** Serve HTTP/2 and HTTP/1.1 over TLS with this certificate and key (PEM). Default: plain HTTP/1.1. */
  tls?: { cert: Buffer | string; key: Buffer | string };
  /** Changes to {@link TEST_AUTH} (the test secret, HS256, demo tokens on). */
  auth?: Partial<AuthSettings>;
  /** Seconds a stream ticket is valid. Default 30. */
  streamTicketTtlSeconds?: number;
}

export async function startApp(options: StartAppOptions = {}): Promise<StartedApp> {
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString('utf8')) as LogLine);
      done();
    },
  });
  const logger = pino({ level: 'info', redact: LOG_REDACTION }, sink);
  const store = options.store ?? (await openTestStore());
  const eventLog = createMemoryEventLog({ capacity: options.logCapacity ?? 1000 });
  const services = createServices({
    store,
    eventLog,
    ...(options.recommender ? { recommender: options.recommender } : {}),
    ...(options.chat ? { chat: options.chat } : {}),
    ...(options.streamTicketTtlSeconds ? { streamTicketTtlSeconds: options.streamTicketTtlSeconds } : {}),
  });
  const fulfilment = await startFulfilment({
    service: services.orders,
    orders: store.orders,
    stepMs: options.orderStepMs ?? 60_000,
    onError: (error, orderId) => logger.error({ err: error, orderId }, 'order fulfilment step failed'),
  });
  const heartbeat = new HeartbeatWheel(options.heartbeatMs ?? 60_000);
  const openStreams = new OpenStreams(options.limits);
  const app = createApp({
    logger,
    services,
    streams: {
      retryMs: options.retryMs ?? 1500,
      retryJitter: options.retryJitter ?? 0,
      heartbeat,
      logger,
      openStreams,
    },
    docsDir: options.docsDir,
    demoDir: options.demoDir,
    corsOrigins: options.corsOrigins ?? [],
    rateLimitPerMinute: options.limits?.rateLimitPerMinute ?? 0,
    auth: createAuth({ ...TEST_AUTH, ...options.auth }),
  });
  const maxHeaderBytes = options.limits?.maxHeaderBytes;
  const server: AppServer = options.tls
    ? createTlsServer(app, {
        ...options.tls,
        maxHeaderBytes,
        maxStreamsPerClient: options.limits?.maxStreamsPerClient,
      })
    : createHttpServer(app, { maxHeaderBytes });
  const address: AddressInfo = await listen(server, 0, '127.0.0.1');
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`,
    app,
    server,
    store,
    services,
    eventLog,
    heartbeat,
    openStreams,
    fulfilment,
    logs,
    openConnections: () => {
      server.closeIdleConnections();
      return new Promise((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
    },
    dropConnections: () => cutConnections(server),
    async close() {
      fulfilment.close();
      cutConnections(server);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      heartbeat.close();
      await eventLog.close();
      if (!options.store) await store.close();
    },
  };
}

/** Resolves once `condition` holds, checking after each macrotask turn; rejects after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
