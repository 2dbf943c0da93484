import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisEventLog, EventLogGapError, EventLogUnavailableError } from '../../src/bus/index.js';
import { RedisMonitor, readsKey } from './RedisMonitor.js';
import { clientIdsNamed, deleteKeys, entriesOf, REDIS_URL, uniquePrefix } from './redisFixture.js';

const prefix = uniquePrefix('faults');
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

describe('redis event log faults', () => {
  it('keeps subscribers attached across a lost connection, delivering every entry exactly once in order', async () => {
    const keyPrefix = `${prefix}restart:`;
    const key = `${keyPrefix}t`;
    const errors: unknown[] = [];
    const log = createRedisEventLog({ url: REDIS_URL, keyPrefix, onError: (error) => errors.push(error) });
    const controller = new AbortController();
    const sub = await log.subscribe('t', { signal: controller.signal });
    const next = entriesOf(sub.entries);
    const before = [await log.append('t', 'e', 0), await log.append('t', 'e', 1)];
    expect((await next(2)).map((e) => e.id)).toEqual(before);

    const [reader] = await clientIdsNamed(admin, `${keyPrefix}event-reader`);
    const [command] = await clientIdsNamed(admin, `${keyPrefix}event-log`);
    const mark = monitor.mark();
    // As a Redis restart does: both connections drop, and other clients append while they are away.
    const replies = await admin
      .multi()
      .client('KILL', 'ID', reader!)
      .client('KILL', 'ID', command!)
      .xadd(key, '*', 'event', 'e', 'data', '2')
      .xadd(key, '*', 'event', 'e', 'data', '3')
      .exec();
    expect(replies?.slice(0, 2).map(([, killed]) => killed)).toEqual([1, 1]);
    const during = replies?.slice(2).map(([, id]) => String(id)) ?? [];

    await monitor.next(
      ({ args }) => args.includes('setname') && args.includes(`${keyPrefix}event-log`),
      mark,
    );
    await monitor.next(readsKey(key), mark);
    const after = [await log.append('t', 'e', 4), await log.append('t', 'e', 5)];
    const got = await next(4);
    expect(got.map((e) => e.id)).toEqual([...during, ...after]);
    expect(got.map((e) => e.data)).toEqual([2, 3, 4, 5]);
    const last = await log.append('t', 'e', 6);
    expect((await next(1)).map((e) => e.id)).toEqual([last]);
    expect(log.readerCount('t')).toBe(1);
    expect(errors.length).toBeGreaterThan(0);
    controller.abort();
    await log.close();
  });

  it('fails a live subscriber whose stream was trimmed past it while the reader was cut off', async () => {
    const keyPrefix = `${prefix}gap:`;
    const key = `${keyPrefix}t`;
    const log = createRedisEventLog({ url: REDIS_URL, keyPrefix });
    const controller = new AbortController();
    const sub = await log.subscribe('t', { signal: controller.signal });
    const next = entriesOf(sub.entries);
    const seen = await log.append('t', 'e', 0);
    expect((await next(1)).map((e) => e.id)).toEqual([seen]);
    const [reader] = await clientIdsNamed(admin, `${keyPrefix}event-reader`);
    const replies = await admin
      .multi()
      .client('KILL', 'ID', reader!)
      .xadd(key, '*', 'event', 'e', 'data', '1')
      .xadd(key, '*', 'event', 'e', 'data', '2')
      .xtrim(key, 'MAXLEN', '=', 1)
      .exec();
    await expect(next(1)).rejects.toBeInstanceOf(EventLogGapError);
    expect(log.readerCount('t')).toBe(0);
    const resumed = await log.subscribe('t', { afterId: seen, signal: controller.signal });
    expect(resumed.resume).toEqual({
      kind: 'reset',
      reason: 'expired_id',
      headId: String(replies?.[2]?.[1]),
    });
    controller.abort();
    await log.close();
  });

  it('rejects subscribe and append within 2 s with EventLogUnavailableError when Redis is unreachable', async () => {
    const log = createRedisEventLog({ url: 'redis://127.0.0.1:6390', keyPrefix: `${prefix}down:` });
    const controller = new AbortController();
    for (const attempt of [
      () => log.subscribe('t', { signal: controller.signal }),
      () => log.subscribe('t', { afterId: '1-0', signal: controller.signal }),
      () => log.append('t', 'e', 1),
      () => log.head('t'),
    ]) {
      const started = performance.now();
      const error = await attempt().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(EventLogUnavailableError);
      expect(error).toMatchObject({ code: 'event_log_unavailable' });
      expect(performance.now() - started).toBeLessThan(2000);
    }
    expect(log.readerCount('t')).toBe(0);
    await log.close();
  });
});
