import { pino } from 'pino';
import { createMemoryEventLog } from './bus/index.js';
import { readConfig } from './config.js';
import { createApp } from './http/app.js';
import { createHttpServer, listen } from './http/server.js';
import { HeartbeatWheel } from './sse/index.js';

const config = readConfig();
const logger = pino({ level: config.logLevel });
const shutdown = new AbortController();
let ready = false;

const eventLog = createMemoryEventLog({ capacity: config.eventLogSize });
const heartbeat = new HeartbeatWheel(config.heartbeatMs);
const app = createApp({
  logger,
  eventLog,
  streams: { retryMs: config.retryMs, heartbeat, logger, shutdown: shutdown.signal },
  isReady: () => ready,
});
const server = createHttpServer(app);
const address = await listen(server, config.port, config.host);
ready = true;
logger.info(
  { port: address.port, host: address.address },
  `petstore-sse listening on http://localhost:${address.port}`,
);

async function stop(signal: string): Promise<void> {
  logger.info({ signal }, 'shutting down');
  ready = false;
  shutdown.abort();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  heartbeat.close();
  await eventLog.close();
  process.exit(0);
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
