import { Writable } from 'node:stream';
import type Koa from 'koa';
import { pino } from 'pino';
import { type Config, readConfig } from '../../src/config/index.js';
import type { ChatOptions } from '../../src/domain/chat/index.js';
import type { Topic } from '../../src/domain/events/index.js';
import type { EventLog, Services } from '../../src/domain/index.js';
import type { Fulfilment } from '../../src/domain/orders/index.js';
import type { Recommender } from '../../src/domain/recommendations/index.js';
import type { AuthSettings } from '../../src/http/auth/index.js';
import { LOG_REDACTION } from '../../src/http/middleware/logRedaction.js';
import { type AppServer, cutConnections } from '../../src/http/server/index.js';
import type { OpenStreams, StreamLimits } from '../../src/http/sse/index.js';
import type { EventMap, HeartbeatWheel } from '../../src/sse/index.js';
import type { Store } from '../../src/store/index.js';
import { createSystem } from '../../src/system/index.js';
import { TEST_AUTH } from './accessTokens.js';
import { openTestStore } from './testStore.js';

/** The app's event log, with what tests publish and observe through it. */
export interface TestEventLog {
  readonly log: EventLog;
  /** Publishes one event in a transaction of its own (as a change would with it); resolves to its id. */
  append(topic: Topic<EventMap> | string, event: string, data: unknown): Promise<string>;
  /** Publishes several events in one transaction, as one change that publishes several would. */
  appendAll(
    topic: Topic<EventMap> | string,
    events: readonly { event: string; data: unknown }[],
  ): Promise<void>;
  /** The id of the newest event of a topic, undefined when it has none. */
  head(topic: Topic<EventMap> | string): Promise<string | undefined>;
  /** How many streams of this process follow a topic. */
  readerCount(topic: Topic<EventMap> | string): number;
}

const topicOf = (topic: Topic<EventMap> | string): Topic<EventMap> =>
  typeof topic === 'string' ? { name: topic, live: true } : topic;

/** Wraps an event log for tests. */
export function testEventLog(log: EventLog): TestEventLog {
  return {
    log,
    append: (topic, event, data) => log.append(topicOf(topic), { event, data } as never),
    appendAll: (topic, events) =>
      log.write(async (_tx, publish) => {
        for (const message of events) publish(topicOf(topic), message as never);
      }),
    async head(topic) {
      const { head } = await log.bounds(topicOf(topic));
      return head === 0 ? undefined : log.idOf(head);
    },
    readerCount: (topic) => log.live.readerCount(topicOf(topic).name),
  };
}

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
  eventLog: TestEventLog;
  heartbeat: HeartbeatWheel;
  /** The app's open streams; `drain()` them to shut down as the server does. */
  openStreams: OpenStreams;
  fulfilment: Fulfilment;
  /** Runs the event log's pruning now (the server runs it every EVENT_LOG_PRUNE_MS). */
  pruneEvents(): Promise<number>;
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

/** The configuration of a test app: the defaults of an empty environment, with the test's choices. */
function testConfig(options: StartAppOptions): Config {
  const defaults = readConfig({});
  return {
    ...defaults,
    port: 0,
    host: '127.0.0.1',
    heartbeatMs: options.heartbeatMs ?? 60_000,
    retryMs: options.retryMs ?? 1500,
    retryJitter: options.retryJitter ?? 0,
    orderStepMs: options.orderStepMs ?? 60_000,
    eventLogSize: options.logCapacity ?? 1000,
    dataDir: undefined,
    limits: {
      maxStreams: options.limits?.maxStreams ?? Number.POSITIVE_INFINITY,
      maxStreamsPerClient: options.limits?.maxStreamsPerClient ?? Number.POSITIVE_INFINITY,
      rateLimitPerMinute: options.limits?.rateLimitPerMinute ?? 0,
      maxHeaderBytes: options.limits?.maxHeaderBytes ?? defaults.limits.maxHeaderBytes,
      streamLeaseMs: defaults.limits.streamLeaseMs,
    },
    corsOrigins: options.corsOrigins ?? [],
    tls: options.tls ? { cert: Buffer.from(options.tls.cert), key: Buffer.from(options.tls.key) } : undefined,
    auth: {
      settings: { ...TEST_AUTH, ...options.auth },
      streamTicketTtlSeconds: options.streamTicketTtlSeconds ?? defaults.auth.streamTicketTtlSeconds,
    },
  };
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
  const system = await createSystem(testConfig(options), {
    logger,
    store,
    recommender: options.recommender,
    chat: options.chat,
    docsDir: options.docsDir,
    demoDir: options.demoDir,
  });
  const { server } = system;
  const address = await system.listen();
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`,
    app: system.app,
    server,
    store,
    services: system.services,
    eventLog: testEventLog(system.eventLog),
    heartbeat: system.heartbeat,
    openStreams: system.openStreams,
    fulfilment: system.fulfilment,
    pruneEvents: () =>
      store.events.prune({
        retentionSeconds: system.config.eventLog.retentionSeconds,
        keepPerStream: system.config.eventLogSize,
      }),
    logs,
    openConnections: () => {
      server.closeIdleConnections();
      return new Promise((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
    },
    dropConnections: () => cutConnections(server),
    async close() {
      await system.close();
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
