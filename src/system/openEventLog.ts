import type { Logger } from 'pino';
import { createMemoryEventLog, type EventLog } from '../bus/index.js';
import type { Config } from '../config/index.js';

/** Redis being down reports about once a second per connection: log at most this often. */
const REPORT_EVERY_MS = 10_000;

/**
 * The in-memory log, or with REDIS_URL one Redis Streams log (one blocking reader) for the whole process.
 * The Redis adapter (and ioredis, ~0.2 s to load) is imported only then, so a start without Redis skips it.
 */
export async function openEventLog(config: Config, logger: Logger): Promise<EventLog> {
  if (!config.redisUrl) return createMemoryEventLog({ capacity: config.eventLogSize });
  const { createRedisEventLog } = await import('../bus/redisEventLog.js');
  let lastReport = 0;
  return createRedisEventLog({
    url: config.redisUrl,
    maxLen: config.eventLogSize,
    keyPrefix: config.redisKeyPrefix,
    onError: (error) => {
      if (Date.now() - lastReport < REPORT_EVERY_MS) return;
      lastReport = Date.now();
      logger.warn({ err: error }, 'event log connection problem; retrying');
    },
  });
}
