import { setMaxListeners } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisEventLog, type RedisEventLogOptions } from '../../src/bus/index.js';
import { describeEventLogContract, take } from './eventLogContract.js';
import { RedisMonitor, readsKey } from './RedisMonitor.js';
import { clientIdsNamed, deleteKeys, entriesOf, REDIS_URL, uniquePrefix } from './redisFixture.js';

const prefix = uniquePrefix('log');
let admin: Redis;
let monitor: RedisMonitor;

beforeAll(async () => {
  admin = new Redis(REDIS_URL);
  monitor = await RedisMonitor.open(REDIS_URL);
});

afterAll(async () => {
  await deleteKeys(admin, prefix);
  monitor.close();
  await admin.quit();
});

/** A log of its own: its own key prefix, so its own connection names. */
const open = (label: string, options: Partial<RedisEventLogOptions> = {}) => {
  const keyPrefix = `${prefix}${label}:`;
  return { keyPrefix, log: createRedisEventLog({ url: REDIS_URL, keyPrefix, ...options }) };
};

describeEventLogContract('redis', async (capacity) =>
  createRedisEventLog({ url: REDIS_URL, keyPrefix: prefix, maxLen: capacity, approximateTrim: false }),
);

describe('redis event log', () => {
  it('uses the Redis stream id as the entry id and keeps a topic for ttlSeconds after its last append', async () => {
    const { keyPrefix, log } = open('ttl', { ttlSeconds: 600 });
    const id = await log.append('t', 'e', { a: 1 });
    expect(id).toMatch(/^\d+-\d+$/);
    expect(await admin.xrange(`${keyPrefix}t`, '-', '+')).toEqual([[id, ['event', 'e', 'data', '{"a":1}']]]);
    const ttl = await admin.ttl(`${keyPrefix}t`);
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
    await log.close();
  });

  it('replays what is held after the oldest id held, but resets an id that was trimmed, even the last one', async () => {
    const { log } = open('edge', { maxLen: 3, approximateTrim: false });
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await log.append('t', 'e', i));
    const controller = new AbortController();
    const held = await log.subscribe('t', { afterId: ids[1], signal: controller.signal });
    expect(held.resume).toEqual({ kind: 'replayed', count: 2 });
    expect((await take(held.entries, 2)).map((e) => e.id)).toEqual(ids.slice(2));
    const trimmed = await log.subscribe('t', { afterId: ids[0], signal: controller.signal });
    expect(trimmed.resume).toEqual({ kind: 'reset', reason: 'expired_id', headId: ids[3] });
    controller.abort();
    await log.close();
  });

  it('signals expired_id when approximate trimming dropped entries after the id', async () => {
    const { log } = open('approx', { maxLen: 10 });
    const first = await log.append('t', 'e', 0);
    for (let i = 1; i < 300; i++) await log.append('t', 'e', i);
    const controller = new AbortController();
    const sub = await log.subscribe('t', { afterId: first, signal: controller.signal });
    expect(sub.resume).toMatchObject({ kind: 'reset', reason: 'expired_id' });
    controller.abort();
    await log.close();
  });

  it('signals unknown_id for an id of a stream that expired and was started again', async () => {
    const { keyPrefix, log } = open('expired');
    const old = await log.append('t', 'e', 'old');
    await admin.del(`${keyPrefix}t`);
    const head = await admin.xadd(
      `${keyPrefix}t`,
      `${Number.parseInt(old, 10) + 1}-0`,
      'event',
      'e',
      'data',
      '1',
    );
    const controller = new AbortController();
    const sub = await log.subscribe('t', { afterId: old, signal: controller.signal });
    expect(sub.resume).toEqual({ kind: 'reset', reason: 'unknown_id', headId: head });
    const empty = await log.subscribe('never-appended', { afterId: old, signal: controller.signal });
    expect(empty.resume).toEqual({ kind: 'reset', reason: 'unknown_id', headId: '0-0' });
    controller.abort();
    await log.close();
  });

  it('resumes many subscribers at once during appends, each exactly after its own id', async () => {
    const { log } = open('seam');
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await log.append('t', 'e', i));
    const appending = (async () => {
      for (let i = 20; i < 120; i++) ids.push(await log.append('t', 'e', i));
    })();
    const controller = new AbortController();
    setMaxListeners(20, controller.signal);
    const afterIds = ids.slice(0, 20);
    const subs = await Promise.all(
      afterIds.map((afterId) => log.subscribe('t', { afterId, signal: controller.signal })),
    );
    await appending;
    for (const [i, sub] of subs.entries()) {
      const got = await take(sub.entries, 119 - i);
      expect(got.map((e) => e.id)).toEqual(ids.slice(i + 1));
    }
    controller.abort();
    await log.close();
  });

  it('reads 100 subscribers of 10 topics through ONE blocking connection', async () => {
    const { keyPrefix, log } = open('fanout');
    const controller = new AbortController();
    setMaxListeners(100, controller.signal);
    const topics = Array.from({ length: 10 }, (_, i) => `topic-${i}`);
    const subs = await Promise.all(
      Array.from({ length: 100 }, (_, i) => log.subscribe(topics[i % 10]!, { signal: controller.signal })),
    );
    for (const topic of topics) await log.append(topic, 'e', topic);
    for (const [i, sub] of subs.entries()) expect((await take(sub.entries, 1))[0]?.data).toBe(topics[i % 10]);
    expect(await clientIdsNamed(admin, `${keyPrefix}event-reader`)).toHaveLength(1);
    expect(await clientIdsNamed(admin, `${keyPrefix}event-log`)).toHaveLength(1);
    expect(log.readerCount('topic-0')).toBe(10);
    controller.abort();
    await log.close();
  });

  it('wakes the blocked reader for a topic subscribed later, instead of waiting out its BLOCK', async () => {
    const { keyPrefix, log } = open('wake', { blockMs: 60_000 });
    const controller = new AbortController();
    const mark = monitor.mark();
    await log.subscribe('first', { signal: controller.signal });
    await monitor.next(readsKey(`${keyPrefix}first`), mark);
    const started = performance.now();
    const later = await log.subscribe('later', { signal: controller.signal });
    await log.append('later', 'e', 'hello');
    expect((await take(later.entries, 1))[0]?.data).toBe('hello');
    expect(performance.now() - started).toBeLessThan(2000);
    controller.abort();
    await log.close();
  });

  it('releases an aborted subscriber, and the reader stops reading its topic', async () => {
    const { keyPrefix, log } = open('abort');
    const gone = new AbortController();
    const staying = new AbortController();
    const mark = monitor.mark();
    const sub = await log.subscribe('gone', { signal: gone.signal });
    await monitor.next(readsKey(`${keyPrefix}gone`), mark);
    const reading = entriesOf(sub.entries)(1);
    gone.abort();
    expect(await reading).toEqual([]);
    expect(log.readerCount('gone')).toBe(0);
    const afterAbort = monitor.mark();
    const other = await log.subscribe('other', { signal: staying.signal });
    const read = await monitor.next(readsKey(`${keyPrefix}other`), afterAbort);
    expect(read.args).not.toContain(`${keyPrefix}gone`);
    await log.append('gone', 'e', 'nobody');
    await log.append('other', 'e', 'somebody');
    expect((await take(other.entries, 1))[0]?.data).toBe('somebody');
    staying.abort();
    await log.close();
  });

  it('ends every subscription when it closes', async () => {
    const { log } = open('close');
    const controller = new AbortController();
    const sub = await log.subscribe('t', { signal: controller.signal });
    const reading = take(sub.entries, 1);
    await log.close();
    expect(await reading).toEqual([]);
    expect(log.readerCount('t')).toBe(0);
  });
});
