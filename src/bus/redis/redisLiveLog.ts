import { EventLogUnavailableError } from '../EventLogUnavailableError.js';
import type { History, LiveLog, LogEntry, Subscription } from '../LiveLog.js';
import { Topic } from '../Topic.js';
import { appendInOrder, defineAppendInOrder, lastPositions } from './appendInOrder.js';
import { openRedisConnection, untilReady } from './redisConnection.js';
import { StreamReader } from './StreamReader.js';

/** Where the Redis live log keeps its streams, and how it behaves when Redis is slow or away. */
export interface RedisLiveLogOptions {
  /** `redis://[[user]:password@]host[:port][/db]`. */
  url: string;
  /** Reads committed events the streams miss from the database. */
  history: History;
  /** Entries each stream keeps (default 10 000, trimmed approximately). */
  maxLen?: number;
  /** Prefix of every key and of the connection names (default 'petstore:'); streams are `<prefix>events:<topic>`. */
  keyPrefix?: string;
  /** A stream is deleted this long after its last append (default 86 400 s). */
  ttlSeconds?: number;
  /** How long a publish or a follow waits for Redis, to connect and then to answer (default 1000 ms). */
  timeoutMs?: number;
  /** How long the reader's XREAD blocks before it is sent again (default 5000 ms). */
  blockMs?: number;
  /** How long Redis may be away before the followers are told (default 2000 ms). */
  outageMs?: number;
  /** Recent entries each followed topic keeps in this process (default 1000). */
  capacity?: number;
  /** Told of connection and reader faults, which the log recovers from by itself (default: ignored). */
  onError?: (error: unknown) => void;
}

/** The most entries carried from the database in one catch-up; older ones are left to the database. */
const CATCH_UP_TAIL = 1000;

/** The Redis live log, and its relay's catch-up. */
export interface RedisLiveLog extends LiveLog {
  /**
   * Makes Redis hold every committed event up to each given head (from the database): a stream behind its
   * head (a publish that failed or never happened, a Redis that restarted empty or from an old snapshot) is
   * given what it misses, from the database, in order. Idempotent; every instance may run it.
   */
  catchUp(heads: readonly { topic: string; head: number }[]): Promise<void>;
}

/**
 * The live log across processes: one Redis stream per topic, appended in position order by the process that
 * committed the events (idempotently, with the stream id `<position>-0`), read by ONE blocking reader per
 * process and handed to that process's topic, which delivers to its followers in order, filling any hole from
 * the database. Redis holds no history of its own that matters: resumes are served from the database.
 */
export function createRedisLiveLog(options: RedisLiveLogOptions): RedisLiveLog {
  const maxLen = options.maxLen ?? 10_000;
  const keyPrefix = options.keyPrefix ?? 'petstore:';
  const ttlSeconds = options.ttlSeconds ?? 86_400;
  const timeoutMs = options.timeoutMs ?? 1000;
  const capacity = options.capacity ?? 1000;
  const onError = options.onError ?? (() => {});
  const keyOf = (topic: string): string => `${keyPrefix}events:${topic}`;
  const connection = { url: options.url, timeoutMs, onError };
  const command = openRedisConnection({ ...connection, name: `${keyPrefix}event-log`, blocking: false });
  defineAppendInOrder(command);
  const reader = new StreamReader({
    connection: openRedisConnection({ ...connection, name: `${keyPrefix}event-reader`, blocking: true }),
    command,
    ...(options.blockMs === undefined ? {} : { blockMs: options.blockMs }),
    ...(options.outageMs === undefined ? {} : { outageMs: options.outageMs }),
    onError,
  });
  const topics = new Map<string, Topic>();

  // A frozen Redis answers nothing and closes nothing: while topics are followed, a PING every so often tells
  // an outage from a quiet stream, and past `outageMs` without an answer every follower is told.
  const outageMs = options.outageMs ?? 2000;
  let lastAnswer = Date.now();
  const probe = setInterval(
    () => {
      if (topics.size === 0) {
        lastAnswer = Date.now();
        return;
      }
      if (Date.now() - lastAnswer > outageMs) {
        lastAnswer = Date.now();
        reader.failAll();
        return;
      }
      command.ping().then(
        () => {
          lastAnswer = Date.now();
        },
        () => {
          // Counted by the silence: the next round compares with the last answer.
        },
      );
    },
    Math.max(10, Math.floor(outageMs / 4)),
  );
  probe.unref();

  const run = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    if (!(await untilReady(command, { timeoutMs }))) throw new EventLogUnavailableError(operation);
    try {
      return await work();
    } catch (error) {
      if (error instanceof TypeError) throw error;
      throw new EventLogUnavailableError(operation, error);
    }
  };

  /** Appends in order; on a hole, carries it from the database first (or jumps when it is gone). */
  const carry = async (topic: string, entries: readonly LogEntry[]): Promise<void> => {
    const key = keyOf(topic);
    const sorted = [...entries].sort((a, b) => a.seq - b.seq);
    const first = sorted[0];
    if (!first) return;
    const reply = await appendInOrder(command, key, sorted, { maxLen, ttlSeconds, jump: false });
    if (reply.kind === 'ok') return;
    const from = Math.max(reply.last, first.seq - 1 - CATCH_UP_TAIL);
    const missing = await options.history(topic, from, first.seq - 1);
    const whole = from === reply.last && missing.length === first.seq - 1 - from;
    await appendInOrder(command, key, [...missing, ...sorted], { maxLen, ttlSeconds, jump: !whole });
  };

  /** Starts following a topic in this process: its Redis stream is read from `after` on. */
  const startTopic = (name: string, after: number): Topic => {
    const key = keyOf(name);
    const forget = (): void => {
      if (topics.get(name) === topic) topics.delete(name);
    };
    const topic: Topic = new Topic({
      name,
      after,
      capacity,
      history: options.history,
      onError,
      onIdle: () => {
        reader.remove(key, target);
        forget();
      },
    });
    // A topic the reader fails (an outage) or ends is forgotten, so the next follow starts it afresh.
    const target = {
      deliver: (batch: readonly LogEntry[]) => topic.deliver(batch),
      fail: (error: Error) => {
        forget();
        topic.fail(error);
      },
      close: () => {
        forget();
        topic.close();
      },
    };
    topics.set(name, topic);
    reader.add(key, target, after);
    return topic;
  };

  return {
    publish: (topic, entries) => run('publish', () => carry(topic, entries)),

    async catchUp(heads) {
      await run('catch up', async () => {
        const lasts = await lastPositions(
          command,
          heads.map((h) => keyOf(h.topic)),
        );
        for (const [i, { topic, head }] of heads.entries()) {
          const last = lasts[i] ?? 0;
          if (last >= head) continue;
          const from = Math.max(last, head - CATCH_UP_TAIL);
          const missing = await options.history(topic, from, head);
          if (missing.length > 0)
            await appendInOrder(command, keyOf(topic), missing, {
              maxLen,
              ttlSeconds,
              jump: from !== last || missing[0]!.seq !== last + 1,
            });
        }
      });
    },

    follow: (topic, after, { signal } = {}) =>
      run('follow', async (): Promise<Subscription> => {
        return (topics.get(topic) ?? startTopic(topic, after)).subscribe(after, signal);
      }),

    readerCount: (topic) => topics.get(topic)?.followerCount ?? 0,

    // Other instances commit too, and Redis may be away: a new follower starts at the database's head.
    position: () => undefined,

    async close() {
      clearInterval(probe);
      for (const topic of topics.values()) topic.close();
      topics.clear();
      await reader.close();
      // QUIT lets Redis answer what was sent first; a connection that is down has nothing to finish.
      await command.quit().catch(() => command.disconnect());
    },
  };
}
