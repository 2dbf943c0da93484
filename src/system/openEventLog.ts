import type { Logger } from 'pino';
import { createMemoryLiveLog, type LiveLog, type RedisLiveLog } from '../bus/index.js';
import type { Config } from '../config/index.js';
import { LIVE_TOPIC_PREFIXES } from '../domain/events/index.js';
import { createEventLog, type EventLog } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { throttledWarning } from './throttledWarning.js';

/** How far back the relay looks for streams whose committed events Redis may be missing. */
const RELAY_WINDOW_SECONDS = 600;

/** The event log of a process, and the background work that keeps it: the relay's sweep and pruning. */
export interface OpenedEventLog {
  eventLog: EventLog;
  /** Stops the background work and closes the live log. */
  close(): Promise<void>;
}

/**
 * Opens the event log over the store's outbox: in-process fan-out on the embedded default, or with REDIS_URL
 * Redis Streams between instances. With Redis, every `relaySweepMs` this instance checks the streams written in
 * the last ten minutes and carries to Redis whatever committed events it misses (an instance that died between
 * its commit and its publish, a Redis that came back empty or from an old snapshot). Every `pruneMs` events
 * past the retention are deleted.
 */
export async function openEventLog(config: Config, store: Store, logger: Logger): Promise<OpenedEventLog> {
  const settings = config.eventLog;
  // The Redis adapter (and ioredis, ~0.2 s to load) is imported only with REDIS_URL, so a start without skips it.
  const redisModule = config.redisUrl ? await import('../bus/redis/redisLiveLog.js') : undefined;
  let redis: RedisLiveLog | undefined;
  const eventLog = await createEventLog({
    store,
    live: (history): LiveLog => {
      if (!config.redisUrl || !redisModule)
        return createMemoryLiveLog({
          history,
          capacity: config.eventLogSize,
          onError: throttledWarning(logger, 'event log history read failed'),
        });
      redis = redisModule.createRedisLiveLog({
        url: config.redisUrl,
        history,
        maxLen: config.eventLogSize,
        keyPrefix: config.redisKeyPrefix,
        timeoutMs: settings.redisTimeoutMs,
        outageMs: settings.redisOutageMs,
        capacity: config.eventLogSize,
        onError: throttledWarning(logger, 'event log connection problem; retrying'),
      });
      return redis;
    },
    onPublishError: throttledWarning(
      logger,
      'committed events not carried to Redis yet; the relay will carry them',
    ),
  });

  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, work: () => Promise<unknown>, onError: (error: unknown) => void): void => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      work()
        .catch(onError)
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    timers.push(timer);
  };
  const live = redis;
  if (live) {
    every(
      settings.relaySweepMs,
      async () => live.catchUp(await store.events.recentHeads(RELAY_WINDOW_SECONDS, LIVE_TOPIC_PREFIXES)),
      throttledWarning(logger, 'event relay sweep failed; retrying'),
    );
  }
  every(
    settings.pruneMs,
    () =>
      store.events.prune({ retentionSeconds: settings.retentionSeconds, keepPerStream: config.eventLogSize }),
    throttledWarning(logger, 'event log pruning failed; retrying'),
  );

  return {
    eventLog,
    async close() {
      for (const timer of timers) clearInterval(timer);
      await eventLog.close();
    },
  };
}
