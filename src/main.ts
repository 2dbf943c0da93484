import { pino } from 'pino';
import { createMemoryEventLog, createRedisEventLog, type EventLog } from './bus/index.js';
import { type Config, readConfig } from './config.js';
import { createServices } from './domain/index.js';
import { startFulfilment } from './domain/orders/index.js';
import { createApp } from './http/app.js';
import { createHttpServer, listen } from './http/server.js';
import { HeartbeatWheel } from './sse/index.js';
import { openStore } from './store/index.js';

const config = readConfig();
const logger = pino({ level: config.logLevel });
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
const services = createServices({ store, eventLog, chat: { upstream: config.chatUpstream } });
const fulfilment = await startFulfilment({
  service: services.orders,
  orders: store.orders,
  stepMs: config.orderStepMs,
  onError: (error, orderId) => logger.error({ err: error, orderId }, 'order fulfilment step failed'),
});
const heartbeat = new HeartbeatWheel(config.heartbeatMs);
const app = createApp({
  logger,
  services,
  streams: { retryMs: config.retryMs, heartbeat, logger, shutdown: shutdown.signal },
  isReady: () => ready,
});
const server = createHttpServer(app);
const address = await listen(server, config.port, config.host);
ready = true;
logger.info(
  {
    port: address.port,
    host: address.address,
    database: config.databaseUrl ? 'postgres' : `pglite:${config.dataDir}`,
    eventLog: config.redisUrl ? 'redis' : 'memory',
  },
  `petstore-sse listening on http://localhost:${address.port}`,
);

async function stop(signal: string): Promise<void> {
  logger.info({ signal }, 'shutting down');
  ready = false;
  shutdown.abort();
  fulfilment.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  heartbeat.close();
  await eventLog.close();
  await store.close();
  process.exit(0);
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
