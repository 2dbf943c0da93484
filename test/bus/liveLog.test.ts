import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createMemoryLiveLog,
  createRedisLiveLog,
  EventLogGapError,
  type History,
  type LiveLog,
  type LogEntry,
  type Subscription,
} from '../../src/bus/index.js';
import { until } from '../helpers/startApp.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from './redisFixture.js';

/** A stand-in for the outbox: what each topic committed, by position. */
class Committed {
  readonly #topics = new Map<string, LogEntry[]>();
  add(topic: string, seqs: readonly number[]): LogEntry[] {
    const entries = seqs.map((seq) => ({ id: `g.${seq}`, seq, event: 'e', data: { n: seq } }));
    const list = this.#topics.get(topic) ?? [];
    list.push(...entries);
    this.#topics.set(topic, list);
    return entries;
  }
  /** Forgets positions up to `seq`, as pruning does. */
  prune(topic: string, seq: number): void {
    this.#topics.set(
      topic,
      (this.#topics.get(topic) ?? []).filter((entry) => entry.seq > seq),
    );
  }
  readonly history: History = async (topic, after, upTo) =>
    (this.#topics.get(topic) ?? []).filter((e) => e.seq > after && (upTo === undefined || e.seq <= upTo));
}

/** Collects what a subscription pushes, and how it ended. */
function collect(subscription: Subscription): { seqs: number[]; ended: { error?: Error } | undefined } {
  const seen: { seqs: number[]; ended: { error?: Error } | undefined } = { seqs: [], ended: undefined };
  subscription.listen({
    entries: (batch) => seen.seqs.push(...batch.map((entry) => entry.seq)),
    ended: (error) => {
      seen.ended = error ? { error } : {};
    },
  });
  return seen;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function describeLiveLog(name: string, open: (history: History) => LiveLog): void {
  describe(`the ${name} live log`, () => {
    const topic = () => `t-${Math.random().toString(36).slice(2)}`;
    const logs: LiveLog[] = [];
    const start = (committed: Committed) => {
      const log = open(committed.history);
      logs.push(log);
      return log;
    };
    afterAll(async () => {
      for (const log of logs) await log.close();
    });

    it('delivers entries published out of order and more than once exactly once each, in position order', async () => {
      const committed = new Committed();
      const log = start(committed);
      const t = topic();
      const seen = collect(await log.follow(t, 0));
      const entries = committed.add(t, range(1, 6));
      await log.publish(t, entries.slice(0, 2));
      await log.publish(t, entries.slice(4, 6));
      await log.publish(t, entries.slice(0, 4));
      await log.publish(t, entries);
      await until(() => seen.seqs.length >= 6);
      expect(seen.seqs).toEqual(range(1, 6));
      expect(seen.ended).toBeUndefined();
    });

    it('fills a hole from the database: an entry committed elsewhere and never published arrives in its place', async () => {
      const committed = new Committed();
      const log = start(committed);
      const t = topic();
      const seen = collect(await log.follow(t, 0));
      const entries = committed.add(t, range(1, 5));
      await log.publish(t, [entries[0]!]);
      // 2, 3 and 4 were committed by a process that died before publishing them.
      await log.publish(t, [entries[4]!]);
      await until(() => seen.seqs.length >= 5);
      expect(seen.seqs).toEqual(range(1, 5));
    });

    it('starts a follower after the position it read, and one behind what is kept from the database', async () => {
      const committed = new Committed();
      const log = start(committed);
      const t = topic();
      const first = collect(await log.follow(t, 0));
      await log.publish(t, committed.add(t, range(1, 3)));
      await until(() => first.seqs.length === 3);
      const behind = collect(await log.follow(t, 1));
      const ahead = collect(await log.follow(t, 4));
      await log.publish(t, committed.add(t, range(4, 5)));
      await until(() => first.seqs.length === 5 && behind.seqs.length === 4 && ahead.seqs.length === 1);
      expect(first.seqs).toEqual(range(1, 5));
      expect(behind.seqs).toEqual(range(2, 5));
      expect(ahead.seqs).toEqual([5]);
    });

    it('tells the followers that need a hole the database no longer holds (EventLogGapError), and only them', async () => {
      const committed = new Committed();
      const log = start(committed);
      const t = topic();
      const needing = collect(await log.follow(t, 0));
      const entries = committed.add(t, range(1, 4));
      await log.publish(t, [entries[0]!]);
      await until(() => needing.seqs.length === 1);
      const after = collect(await log.follow(t, 3));
      committed.prune(t, 3);
      await log.publish(t, [entries[3]!]);
      await until(() => needing.ended !== undefined && after.seqs.length === 1);
      expect(needing.ended?.error).toBeInstanceOf(EventLogGapError);
      expect(needing.seqs).toEqual([1]);
      expect(after.seqs).toEqual([4]);
      expect(after.ended).toBeUndefined();
    });

    it('counts its followers, and none once they are closed', async () => {
      const committed = new Committed();
      const log = start(committed);
      const t = topic();
      const controller = new AbortController();
      const one = await log.follow(t, 0, { signal: controller.signal });
      const two = await log.follow(t, 0);
      expect(log.readerCount(t)).toBe(2);
      controller.abort();
      two.close();
      await until(() => log.readerCount(t) === 0);
      expect(one).toBeDefined();
    });
  });
}

describeLiveLog('in-process', (history) => createMemoryLiveLog({ history }));

describe('the in-process live log', () => {
  it('tells where a followed topic stands, so a new follower can start there; nothing for a topic no one follows', async () => {
    const committed = new Committed();
    const log = createMemoryLiveLog({ history: committed.history });
    try {
      expect(log.position('pos')).toBeUndefined();
      const seen = collect(await log.follow('pos', 0));
      expect(log.position('pos')).toBe(0);
      await log.publish('pos', committed.add('pos', [1, 2]));
      await until(() => seen.seqs.length >= 2);
      expect(log.position('pos')).toBe(2);
      const late = collect(await log.follow('pos', log.position('pos')!));
      await log.publish('pos', committed.add('pos', [3]));
      await until(() => late.seqs.length >= 1);
      expect(late.seqs).toEqual([3]);
    } finally {
      await log.close();
    }
  });

  it('hands entries committed in one turn of the event loop to each follower as one batch, in order', async () => {
    const committed = new Committed();
    const log = createMemoryLiveLog({ history: committed.history });
    try {
      const batches: number[][] = [];
      (await log.follow('turn', 0)).listen({
        entries: (batch) => batches.push(batch.map((entry) => entry.seq)),
        ended: () => {},
      });
      const entries = committed.add('turn', range(1, 3));
      // Three writes that commit one after another within one turn (promise jobs apart, as PGlite's are).
      for (const entry of entries) {
        await Promise.resolve();
        await log.publish('turn', [entry]);
      }
      await until(() => batches.flat().length >= 3);
      expect(batches).toEqual([[1, 2, 3]]);
      // A write in a later turn is a batch of its own.
      await new Promise((resolve) => setImmediate(resolve));
      await log.publish('turn', committed.add('turn', [4]));
      await until(() => batches.flat().length >= 4);
      expect(batches).toEqual([[1, 2, 3], [4]]);
    } finally {
      await log.close();
    }
  });
});

const prefix = uniquePrefix('live-log');
describeLiveLog('Redis', (history) =>
  createRedisLiveLog({ url: REDIS_URL, history, keyPrefix: prefix, blockMs: 200 }),
);

describe('the Redis live log', () => {
  const admin = new Redis(REDIS_URL);
  afterAll(async () => {
    await deleteKeys(admin, prefix);
    admin.disconnect();
  });

  it('appends each position once with the stream id <position>-0, however often it is published', async () => {
    const committed = new Committed();
    const log = createRedisLiveLog({ url: REDIS_URL, history: committed.history, keyPrefix: prefix });
    try {
      const entries = committed.add('once', range(1, 3));
      await log.publish('once', entries);
      await log.publish('once', entries.slice(1));
      await log.publish('once', entries);
      const stored = await admin.xrange(`${prefix}events:once`, '-', '+');
      expect(stored.map(([id]) => id)).toEqual(['1-0', '2-0', '3-0']);
    } finally {
      await log.close();
    }
  });

  it('carries what Redis misses from the database: a publish after a hole, and the catch-up after a wipe', async () => {
    const committed = new Committed();
    const log = createRedisLiveLog({ url: REDIS_URL, history: committed.history, keyPrefix: prefix });
    const key = `${prefix}events:wiped`;
    try {
      const entries = committed.add('wiped', range(1, 4));
      await log.publish('wiped', entries.slice(0, 1));
      // 2 and 3 were never published; publishing 4 carries them first, in order.
      await log.publish('wiped', entries.slice(3));
      expect((await admin.xrange(key, '-', '+')).map(([id]) => id)).toEqual(['1-0', '2-0', '3-0', '4-0']);
      // Redis restarted empty (or from an old snapshot): the relay's catch-up puts the history back.
      await admin.del(key);
      await log.catchUp([{ topic: 'wiped', head: 4 }]);
      expect((await admin.xrange(key, '-', '+')).map(([id]) => id)).toEqual(['1-0', '2-0', '3-0', '4-0']);
      await admin.xtrim(key, 'MAXLEN', 1);
      await log.catchUp([{ topic: 'wiped', head: 4 }]);
      expect((await admin.xrange(key, '-', '+')).map(([id]) => id)).toEqual(['4-0']);
    } finally {
      await log.close();
    }
  });
});
