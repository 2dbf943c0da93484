import type { EventLog, Subscription } from './EventLog.js';
import { EventLogUnavailableError } from './EventLogUnavailableError.js';
import { openRedisConnection, untilReady } from './redisConnection.js';
import { StreamReader } from './StreamReader.js';
import { StreamSubscriber } from './StreamSubscriber.js';
import { toLogEntries, toStreamFields } from './streamEntries.js';
import { readStreamSnapshot } from './streamSnapshot.js';

/** Where the Redis event log keeps its streams, and how it behaves when Redis is slow or away. */
export interface RedisEventLogOptions {
  /** `redis://[[user]:password@]host[:port][/db]`. */
  url: string;
  /** Entries each topic keeps (default 10 000); with approximate trimming, at least that many. */
  maxLen?: number;
  /** Trim with `MAXLEN ~`, cheap but keeping up to one radix node more (default true), else exactly (`MAXLEN =`). */
  approximateTrim?: boolean;
  /** Prefix of every stream key and of the connection names (default 'petstore:'). */
  keyPrefix?: string;
  /** A topic is deleted this long after its last append (default 86 400 s), so short-lived topics vanish. */
  ttlSeconds?: number;
  /**
   * How long append, subscribe, read and head wait for Redis, to connect and then to answer, before they reject
   * with EventLogUnavailableError (default 1000 ms).
   */
  timeoutMs?: number;
  /** Unread entries a subscriber may have before it is dropped (default maxLen + 10 000: a full replay fits). */
  subscriberLimit?: number;
  /** How long the reader's XREAD blocks before it is sent again (default 5000 ms). */
  blockMs?: number;
  /** Told of connection and reader faults, which the log recovers from by itself (default: ignored). */
  onError?: (error: unknown) => void;
}

/** The Redis Streams event log, with what tests and metrics observe. */
export interface RedisEventLog extends EventLog {
  /** How many live subscribers a topic has in this process: 0 once every one went away. */
  readerCount(topic: string): number;
}

/**
 * The distributed event log: one Redis stream per topic (`<keyPrefix><topic>`), appended with XADD, so the SSE id
 * is the stream id (`1732441234567-0`) and any instance can resume any client. Live entries come from ONE
 * blocking reader per process on its own connection, fanned out to each subscriber's bounded queue.
 * When Redis is unreachable, operations reject with EventLogUnavailableError within about `timeoutMs`, while the
 * connections keep reconnecting in the background; subscribers stay attached and miss nothing Redis kept.
 */
export function createRedisEventLog(options: RedisEventLogOptions): RedisEventLog {
  const maxLen = options.maxLen ?? 10_000;
  const trim = (options.approximateTrim ?? true) ? '~' : '=';
  const keyPrefix = options.keyPrefix ?? 'petstore:';
  const ttlSeconds = options.ttlSeconds ?? 86_400;
  const timeoutMs = options.timeoutMs ?? 1000;
  const subscriberLimit = options.subscriberLimit ?? maxLen + 10_000;
  const onError =
    options.onError ??
    (() => {
      // Faults are recovered from here; operations that fail on them reject with EventLogUnavailableError.
    });
  const connection = { url: options.url, timeoutMs, onError };
  const command = openRedisConnection({ ...connection, name: `${keyPrefix}event-log`, blocking: false });
  const reader = new StreamReader({
    connection: openRedisConnection({ ...connection, name: `${keyPrefix}event-reader`, blocking: true }),
    command,
    ...(options.blockMs === undefined ? {} : { blockMs: options.blockMs }),
    onError,
  });

  const leave = (subscriber: StreamSubscriber): void => reader.remove(subscriber.key, subscriber);

  const run = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    if (!(await untilReady(command, { timeoutMs }))) throw new EventLogUnavailableError(operation);
    try {
      return await work();
    } catch (error) {
      if (error instanceof TypeError || (error instanceof Error && error.name === 'ReplyError')) throw error;
      throw new EventLogUnavailableError(operation, error);
    }
  };

  return {
    append(topic, event, data) {
      const key = keyPrefix + topic;
      const fields = toStreamFields(event, data);
      return run('append', async () => {
        const replies = await command
          .multi()
          .call('XADD', key, 'MAXLEN', trim, maxLen, '*', ...fields)
          .expire(key, ttlSeconds)
          .exec();
        const [xadd, expire] = replies ?? [];
        const error = xadd?.[0] ?? expire?.[0];
        if (error || typeof xadd?.[1] !== 'string') throw error ?? new Error('MULTI was discarded');
        return xadd[1];
      });
    },

    subscribe(topic, { afterId, signal }) {
      const key = keyPrefix + topic;
      return run('subscribe', async (): Promise<Subscription> => {
        const subscriber = new StreamSubscriber(key, subscriberLimit, leave);
        reader.add(key, subscriber);
        if (signal?.aborted) subscriber.close();
        else signal?.addEventListener('abort', () => subscriber.close(), { once: true });
        try {
          const snapshot = await readStreamSnapshot(command, key, afterId);
          reader.readFrom(key, snapshot.headId);
          subscriber.resume = snapshot.resume;
          subscriber.goLive(snapshot.entries, snapshot.headId);
          return subscriber;
        } catch (error) {
          subscriber.close();
          throw error;
        }
      });
    },

    read(topic) {
      return run('read', async () => toLogEntries(await command.call('XRANGE', keyPrefix + topic, '-', '+')));
    },

    head(topic) {
      return run(
        'head',
        async () => (await readStreamSnapshot(command, keyPrefix + topic, undefined)).info?.headId,
      );
    },

    readerCount(topic) {
      return reader.subscriberCount(keyPrefix + topic);
    },

    async close() {
      await reader.close();
      // QUIT lets Redis answer what was sent first; a connection that is down has nothing to finish.
      await command.quit().catch(() => command.disconnect());
    },
  };
}
