import { describe, expect, it } from 'vitest';
import { createMemoryEventLog, SubscriberOverflowError } from '../../src/bus/index.js';
import { describeEventLogContract, take } from './eventLogContract.js';

describeEventLogContract('memory', async (capacity) => createMemoryEventLog({ capacity }));

describe('memory event log', () => {
  it('forgets a subscriber as soon as it aborts', async () => {
    const log = createMemoryEventLog();
    const controllers = Array.from({ length: 300 }, () => new AbortController());
    await Promise.all(controllers.map((c) => log.subscribe('t', { signal: c.signal })));
    expect(log.readerCount('t')).toBe(300);
    for (const c of controllers) c.abort();
    expect(log.readerCount('t')).toBe(0);
  });

  it('keeps at most maxTopics topics, forgetting the least recently appended one nobody reads', async () => {
    const log = createMemoryEventLog({ maxTopics: 3 });
    const controller = new AbortController();
    await log.append('read', 'e', 1);
    await log.subscribe('read', { signal: controller.signal });
    for (const name of ['a', 'b', 'c', 'd']) await log.append(name, 'e', 1);
    expect(log.topicCount).toBe(3);
    expect(await log.head('read')).toBe('1');
    expect(await log.head('a')).toBeUndefined();
    expect(await log.head('b')).toBeUndefined();
    expect(await log.head('d')).toBe('1');
    controller.abort();
  });

  it('drops a reader that falls more than its bound behind instead of buffering without limit', async () => {
    const log = createMemoryEventLog({ capacity: 100_000 });
    const controller = new AbortController();
    const sub = await log.subscribe('t', { signal: controller.signal });
    for (let i = 0; i < 10_001; i++) await log.append('t', 'e', i);
    await expect(take(sub.entries, 20_000)).rejects.toBeInstanceOf(SubscriberOverflowError);
    controller.abort();
  });
});
