import { pino } from 'pino';
import { createMemoryEventLog, createRedisEventLog, type EventLog } from './bus/index.js';
import { type Config, readConfig } from './config.js';
import { createServices } from './domain/index.js';
import { startFulfilment } from './domain/orders/index.js';
import { createApp } from './http/app.js';
import { createAuth } from './http/auth/index.js';
import { createTlsServer } from './http/createTlsServer.js';
import { LOG_REDACTION } from './http/logRedaction.js';
import { createMetrics } from './http/metrics.js';
import { type AppServer, closeGracefully, createHttpServer, listen } from './http/server.js';
import { jitteredRetry, OpenStreams, REFUSAL_RETRY_SPREAD } from './http/sse/index.js';
import { HeartbeatWheel } from './sse/index.js';
import { openStore } from './store/index.js';

const config = readConfig();
const logger = pino({ level: config.logLevel, redact: LOG_REDACTION });
const shutdown = new AbortController();
let ready = false;

/** The in-memory log, or with REDIS_URL one Redis Streams log (one blocking reader) for the whole process. */
function openEventLog(settings: Config): EventLog {
  if (!settings.redisUrl) return createMemoryEventLog({ capacity: settings.eventLogSize });
  let lastReport = 0;
  return createRedisEventLog({
    url: settings.redisUrl,
    maxLen: settings.eventLogSize,
    keyPrefix: settings.redisKeyPrefix,
    onError: (error) => {
      // Redis being down reports about once a second per connection: log at most every 10 s.
      if (Date.now() - lastReport < 10_000) return;
      lastReport = Date.now();
      logger.warn({ err: error }, 'event log connection problem; retrying');
    },
  });
}

const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
const eventLog = openEventLog(config);
const services = createServices({
  store,
  eventLog,
  chat: { upstream: config.chatUpstream },
  streamTicketTtlSeconds: config.auth.streamTicketTtlSeconds,
});
const auth = createAuth(config.auth.settings, {
  onKeySourceError: (error) => logger.warn({ err: error }, 'the JWKS (AUTH_JWKS_URL) cannot be fetched'),
});
if (auth.mode === 'dev') {
  logger.warn(
    'AUTH DEV MODE: no AUTH_JWT_SECRET or AUTH_JWKS_URL is set, so access tokens are signed with a ' +
      'random key of this process, and POST /v1/dev/tokens gives anyone a token for any user. Fine on ' +
      'your machine; never expose it. Set AUTH_JWT_SECRET or AUTH_JWKS_URL (README, "Security").',
  );
} else if (auth.issueDevToken) {
  logger.warn(
    'AUTH_DEV_TOKENS=true: POST /v1/dev/tokens gives anyone a token for any user; never in production.',
  );
}
const fulfilment = await startFulfilment({
  service: services.orders,
  orders: store.orders,
  stepMs: config.orderStepMs,
  onError: (error, orderId) => logger.error({ err: error, orderId }, 'order fulfilment step failed'),
});
const heartbeat = new HeartbeatWheel(config.heartbeatMs);
const openStreams = new OpenStreams(config.limits);
const app = createApp({
  logger,
  services,
  streams: {
    retryMs: config.retryMs,
    retryJitter: config.retryJitter,
    heartbeat,
    logger,
    shutdown: shutdown.signal,
    openStreams,
  },
  isReady: () => ready,
  metrics: createMetrics({ processMetrics: true }),
  corsOrigins: config.corsOrigins,
  rateLimitPerMinute: config.limits.rateLimitPerMinute,
  auth,
});
/** With TLS_CERT and TLS_KEY: HTTP/2 and HTTP/1.1 over TLS on PORT; without: plain HTTP/1.1. */
function createServer(settings: Config): AppServer {
  const { maxHeaderBytes, maxStreamsPerClient } = settings.limits;
  if (!settings.tls) return createHttpServer(app, { maxHeaderBytes });
  return createTlsServer(app, { ...settings.tls, maxHeaderBytes, maxStreamsPerClient });
}

const server = createServer(config);
const address = await listen(server, config.port, config.host);
ready = true;
const scheme = config.tls ? 'https' : 'http';
logger.info(
  {
    port: address.port,
    host: address.address,
    protocols: config.tls ? ['h2', 'http/1.1'] : ['http/1.1'],
    database: config.databaseUrl ? 'postgres' : `pglite:${config.dataDir}`,
    eventLog: config.redisUrl ? 'redis' : 'memory',
    auth: auth.mode,
    devTokens: auth.issueDevToken !== undefined,
  },
  `petstore-sse listening on ${scheme}://localhost:${address.port}`,
);

/**
 * Graceful shutdown: `/readyz` answers 503 and new streams are told to retry (`shutting_down`) at once; the
 * open streams get a last jittered `retry:` and `stream-error` `shutting_down`, spread over SHUTDOWN_SPREAD_MS;
 * then the server stops listening and lets requests in flight finish (SHUTDOWN_TIMEOUT_MS at most); then the
 * fulfilment worker, the event log and the store close, and the process exits 0. A second signal exits 1 at once.
 */
async function stop(signal: string): Promise<void> {
  logger.info({ signal, openStreams: openStreams.size }, 'shutting down');
  ready = false;
  await openStreams.drain({
    spreadMs: config.shutdown.spreadMs,
    retryMs: () => jitteredRetry(config.retryMs, REFUSAL_RETRY_SPREAD),
  });
  shutdown.abort();
  await closeGracefully(server, config.shutdown.timeoutMs);
  fulfilment.close();
  heartbeat.close();
  await eventLog.close();
  await store.close();
  logger.info('shut down');
  process.exit(0);
}
let stopping = false;
function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
    logger.warn({ signal }, 'second signal while shutting down; exiting now');
    process.exit(1);
  }
  stopping = true;
  stop(signal).catch((error: unknown) => {
    logger.fatal({ err: error }, 'shutdown failed');
    process.exit(1);
  });
}
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
