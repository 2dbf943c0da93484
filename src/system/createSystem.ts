import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { ChatOptions } from '../domain/chat/index.js';
import { createServices, type EventLog, type Services } from '../domain/index.js';
import { type Fulfilment, startFulfilment } from '../domain/orders/index.js';
import type { Recommender } from '../domain/recommendations/index.js';
import { createApp } from '../http/app.js';
import { type Auth, createAuth } from '../http/auth/index.js';
import { createMetrics, type Metrics, type MetricsOptions } from '../http/metrics/metrics.js';
import { trustedProxies } from '../http/middleware/clientAddress.js';
import {
  type AppServer,
  ConnectionsPerClient,
  closeGracefully,
  createHttpServer,
  createMetricsServer,
  createTlsServer,
  cutConnections,
  listen,
} from '../http/server/index.js';
import { jitteredRetry, OpenStreams, REFUSAL_RETRY_SPREAD } from '../http/sse/index.js';
import { HeartbeatWheel } from '../sse/index.js';
import { openStore, type Store } from '../store/index.js';
import type { SharedLimits } from './limits/openSharedLimits.js';
import { openEventLog } from './openEventLog.js';
import { throttledWarning } from './throttledWarning.js';

/** What a caller may put in place of what `createSystem` builds from the configuration. */
export interface SystemOptions {
  readonly logger: Logger;
  /** An open store to use (tests share one); it is not closed with the system. Default: opened from config. */
  readonly store?: Store | undefined;
  /** Replaces the built-in content-based recommender. */
  readonly recommender?: Recommender | undefined;
  /** Who answers the chat. Default: the config's upstream if any, else the built-in pet advisor. */
  readonly chat?: ChatOptions | undefined;
  /** Also collect Node's process metrics at `/metrics`. Default: false. */
  readonly processMetrics?: boolean | undefined;
  /** A cluster worker's labels and scrape (see `MetricsOptions`). Default: this process's registry alone. */
  readonly metrics?: Pick<MetricsOptions, 'labels' | 'scrape'> | undefined;
  /** The built docs site and demo page (default `dist/docs`, `dist/demo`). */
  readonly docsDir?: string | undefined;
  readonly demoDir?: string | undefined;
}

/** The whole server of one process, wired from its configuration. */
export interface System {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly eventLog: EventLog;
  readonly services: Services;
  readonly auth: Auth;
  readonly fulfilment: Fulfilment;
  readonly heartbeat: HeartbeatWheel;
  readonly openStreams: OpenStreams;
  readonly metrics: Metrics;
  readonly app: Koa;
  readonly server: AppServer;
  /** The Prometheus listener when METRICS_PORT is set (then the API's port has no `/metrics`). */
  readonly metricsServer: Server | undefined;
  /** Aborted once a shutdown has told every open stream (what is still open then is closed). */
  readonly shutdownSignal: AbortSignal;
  /** Listens on the configured host and port (`/readyz` answers 200 from then on). */
  listen(): Promise<AddressInfo>;
  /**
   * Graceful shutdown: `/readyz` answers 503 and new streams are told to retry (`shutting_down`) at once; the
   * open streams get a last jittered `retry:` and `stream-error` `shutting_down`, spread over
   * `config.shutdown.spreadMs`; then the server stops listening and lets requests in flight finish
   * (`config.shutdown.timeoutMs` at most); then everything else closes.
   */
  shutdown(): Promise<void>;
  /** Closes at once: every connection is cut, then everything else closes (tests; a second signal). */
  close(): Promise<void>;
}

/**
 * With REDIS_URL, the rate limit and the per-client stream cap shared by every instance. The module (and
 * rate-limiter-flexible's Redis store) is imported only then, as ioredis is.
 */
async function openSharedLimits(config: Config, logger: Logger): Promise<SharedLimits | undefined> {
  if (!config.redisUrl) return undefined;
  const { openSharedLimits: open } = await import('./limits/openSharedLimits.js');
  return open({
    redisUrl: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
    timeoutMs: config.eventLog.redisTimeoutMs,
    perMinute: config.limits.rateLimitPerMinute,
    maxStreamsPerClient: config.limits.maxStreamsPerClient,
    streamLeaseMs: config.limits.streamLeaseMs,
    onError: throttledWarning(logger, 'shared limits: Redis unreachable; each instance limits on its own'),
  });
}

/**
 * Wires the store, the event log, the services, authentication, the fulfilment worker, the heartbeat wheel,
 * the open streams, the app and its server, as `npm start` runs them; the tests, the soak run and the bench
 * build the same system here.
 */
export async function createSystem(config: Config, options: SystemOptions): Promise<System> {
  const { logger } = options;
  const store =
    options.store ?? (await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }));
  const opened = await openEventLog(config, store, logger);
  const { eventLog } = opened;
  const services = createServices({
    store,
    eventLog,
    chat: options.chat ?? { upstream: config.chatUpstream },
    streamTicketTtlSeconds: config.auth.streamTicketTtlSeconds,
    idempotency: config.idempotency,
    ...(options.recommender ? { recommender: options.recommender } : {}),
  });
  const auth = createAuth(config.auth.settings, {
    onKeySourceError: (error) => logger.warn({ err: error }, 'the JWKS (AUTH_JWKS_URL) cannot be fetched'),
  });
  const fulfilment = await startFulfilment({
    service: services.orders,
    orders: store.orders,
    stepMs: config.orderStepMs,
    onError: (error, orderId) => logger.error({ err: error, orderId }, 'order fulfilment step failed'),
  });
  const heartbeat = new HeartbeatWheel(config.heartbeatMs, {
    // A stream's slow-client rule is checked four times per SSE_SLOW_CLIENT_MS.
    deliveryCheckMs: config.slowClientMs > 0 ? config.slowClientMs / 4 : undefined,
  });
  const openStreams = new OpenStreams(config.limits);
  const shared = await openSharedLimits(config, logger);
  const metrics = createMetrics({ ...options.metrics, processMetrics: options.processMetrics ?? false });
  const shutdownSignal = new AbortController();
  let ready = false;
  const app = createApp({
    logger,
    services,
    streams: {
      retryMs: config.retryMs,
      retryJitter: config.retryJitter,
      heartbeat,
      slowClientMs: config.slowClientMs,
      logger,
      shutdown: shutdownSignal.signal,
      openStreams,
      sharedCap: shared?.streamCap,
    },
    isReady: () => ready,
    metrics,
    serveMetrics: config.metrics.port === undefined,
    corsOrigins: config.corsOrigins,
    rateLimitPerMinute: config.limits.rateLimitPerMinute,
    rateLimiter: shared?.rateLimiter,
    proxy: config.proxy,
    auth,
    docsDir: options.docsDir,
    demoDir: options.demoDir,
  });
  const metricsServer = config.metrics.port === undefined ? undefined : createMetricsServer(metrics);
  const { maxHeaderBytes, maxStreamsPerClient } = config.limits;
  const { maxPerClient, ...timeouts } = config.connections;
  const proxies = trustedProxies(config.proxy);
  const connections = {
    ...timeouts,
    // A trusted proxy carries many clients on its connections: it is not one client to cap.
    perClient: new ConnectionsPerClient({ maxPerClient, exempt: (address) => proxies.trusts(address) }),
    onRefused: () => metrics.connectionsRefused.inc(),
    onBodyTimeout: () => metrics.bodyTimeouts.inc(),
  };
  const server: AppServer = config.tls
    ? createTlsServer(app, { ...config.tls, ...connections, maxHeaderBytes, maxStreamsPerClient })
    : createHttpServer(app, { ...connections, maxHeaderBytes });

  async function closeTheRest(): Promise<void> {
    fulfilment.close();
    heartbeat.close();
    await shared?.close();
    if (metricsServer?.listening) await new Promise((resolve) => metricsServer.close(resolve));
    await opened.close();
    if (!options.store) await store.close();
  }

  return {
    ...{ config, logger, store, eventLog, services, auth, fulfilment, heartbeat, openStreams, metrics, app },
    server,
    metricsServer,
    shutdownSignal: shutdownSignal.signal,
    async listen() {
      if (metricsServer) await listen(metricsServer, config.metrics.port ?? 0, config.metrics.host);
      const address = await listen(server, config.port, config.host);
      ready = true;
      return address;
    },
    async shutdown() {
      ready = false;
      await openStreams.drain({
        spreadMs: config.shutdown.spreadMs,
        retryMs: () => jitteredRetry(config.retryMs, REFUSAL_RETRY_SPREAD),
      });
      shutdownSignal.abort();
      await closeGracefully(server, config.shutdown.timeoutMs);
      await closeTheRest();
    },
    async close() {
      ready = false;
      cutConnections(server);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeTheRest();
    },
  };
}
