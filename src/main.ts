import { pino } from 'pino';
import { createMemoryEventLog } from './bus/index.js';
import { readConfig } from './config.js';
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

const store = await openStore({ dataDir: config.dataDir });
const eventLog = createMemoryEventLog({ capacity: config.eventLogSize });
const services = createServices({ store, eventLog });
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
  { port: address.port, host: address.address, dataDir: config.dataDir },
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
