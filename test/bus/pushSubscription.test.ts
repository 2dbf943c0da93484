import { describe, expect, it } from 'vitest';
import {
  createMemoryEventLog,
  type EntryListener,
  type LogEntry,
  SubscriberOverflowError,
} from '../../src/bus/index.js';
import { SubscriberQueue } from '../../src/bus/SubscriberQueue.js';

/** A listener that records every batch it is handed, and how the subscription ended. */
function recorder(): EntryListener & { batches: (readonly LogEntry[])[]; ends: (Error | undefined)[] } {
  const batches: (readonly LogEntry[])[] = [];
  const ends: (Error | undefined)[] = [];
  return { batches, ends, entries: (batch) => batches.push(batch), ended: (error) => ends.push(error) };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('memory event log, pushed to a listener', () => {
  it('hands the entries appended in one turn to every listener as one batch, the same array for all', async () => {
    const log = createMemoryEventLog();
    const listeners = [recorder(), recorder(), recorder()];
    for (const listener of listeners) (await log.subscribe('t', {})).listen(listener);

    for (let i = 1; i <= 10; i++) void log.append('t', 'e', i);
    expect(listeners[0]!.batches).toEqual([]);
    await nextTurn();

    for (const listener of listeners) {
      expect(listener.batches).toHaveLength(1);
      expect(listener.batches[0]!.map((entry) => entry.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
    expect(new Set(listeners.map((listener) => listener.batches[0])).size).toBe(1);
  });

  it('gives a subscriber that joins mid-turn the turn so far as its replay, and nothing twice', async () => {
    const log = createMemoryEventLog();
    const early = recorder();
    (await log.subscribe('t', {})).listen(early);
    const first = await log.append('t', 'e', 'first');
    const late = recorder();
    (await log.subscribe('t', { afterId: '0' })).listen(late);
    await log.append('t', 'e', 'second');
    await nextTurn();

    const seen = (listener: ReturnType<typeof recorder>) =>
      listener.batches.flat().map((entry) => entry.data);
    expect(seen(early)).toEqual(['first', 'second']);
    expect(seen(late)).toEqual(['first', 'second']);
    expect(late.batches[0]!.map((entry) => entry.id)).toEqual([first]);
  });

  it('delivers the replay at once when the listener is attached, then live batches', async () => {
    const log = createMemoryEventLog();
    for (let i = 1; i <= 3; i++) await log.append('t', 'e', i);
    const subscription = await log.subscribe('t', { afterId: '1' });
    expect(subscription.resume).toEqual({ kind: 'replayed', count: 2 });
    const listener = recorder();
    subscription.listen(listener);
    expect(listener.batches.map((batch) => batch.map((entry) => entry.id))).toEqual([['2', '3']]);
    await log.append('t', 'e', 4);
    await nextTurn();
    expect(listener.batches.map((batch) => batch.map((entry) => entry.id))).toEqual([['2', '3'], ['4']]);
  });

  it('leaves the topic and tells the listener once when closed, and delivers nothing after', async () => {
    const log = createMemoryEventLog();
    const subscription = await log.subscribe('t', {});
    const listener = recorder();
    subscription.listen(listener);
    expect(log.readerCount('t')).toBe(1);
    subscription.close();
    subscription.close();
    expect(log.readerCount('t')).toBe(0);
    expect(listener.ends).toEqual([undefined]);
    await log.append('t', 'e', 1);
    await nextTurn();
    expect(listener.batches).toEqual([]);
  });

  it('fails only a listener that throws: the others of the topic still get every batch', async () => {
    const log = createMemoryEventLog();
    const failing = recorder();
    const throwing: EntryListener = {
      entries: () => {
        throw new Error('listener bug');
      },
      ended: (error) => failing.ends.push(error),
    };
    (await log.subscribe('t', {})).listen(throwing);
    const healthy = recorder();
    (await log.subscribe('t', {})).listen(healthy);

    await log.append('t', 'e', 1);
    await log.append('t', 'e', 2);
    await nextTurn();

    expect(healthy.batches.flat().map((entry) => entry.data)).toEqual([1, 2]);
    expect(failing.ends).toHaveLength(1);
    expect(failing.ends[0]?.message).toBe('listener bug');
    expect(log.readerCount('t')).toBe(1);
  });

  it('hands a batch over in a microtask after the appending code, before the next turn', async () => {
    const log = createMemoryEventLog();
    const listener = recorder();
    (await log.subscribe('t', {})).listen(listener);
    void log.append('t', 'e', 1);
    void log.append('t', 'e', 2);
    expect(listener.batches).toEqual([]);
    await Promise.resolve();
    expect(listener.batches.map((batch) => batch.map((entry) => entry.data))).toEqual([[1, 2]]);
  });

  it('ends every subscription when the log closes', async () => {
    const log = createMemoryEventLog();
    const listener = recorder();
    (await log.subscribe('t', {})).listen(listener);
    await log.close();
    expect(listener.ends).toEqual([undefined]);
  });
});

describe('SubscriberQueue', () => {
  const entry = (id: number): LogEntry => ({ id: String(id), event: 'e', data: id });

  it('holds what arrives before a listener, bounded, and fails past the bound', () => {
    const queue = new SubscriberQueue({ limit: 3 });
    queue.deliver([entry(1), entry(2)]);
    queue.deliver([entry(3), entry(4)]);
    const listener = recorder();
    queue.listen(listener);
    expect(listener.batches.flat().map((e) => e.id)).toEqual(['1', '2']);
    expect(listener.ends[0]).toBeInstanceOf(SubscriberOverflowError);
  });

  it('passes batches straight to a listener, without a bound (the stream applies its own)', () => {
    const queue = new SubscriberQueue({ limit: 1 });
    const listener = recorder();
    queue.listen(listener);
    const batch = [entry(1), entry(2), entry(3)];
    queue.deliver(batch);
    expect(listener.batches).toEqual([batch]);
    expect(listener.batches[0]).toBe(batch);
    expect(listener.ends).toEqual([]);
  });

  it('refuses a second listener', () => {
    const queue = new SubscriberQueue();
    queue.listen(recorder());
    expect(() => queue.listen(recorder())).toThrow(/listen once/);
  });

  it('continues where a broken-off iteration stopped, repeating nothing', async () => {
    const queue = new SubscriberQueue();
    queue.deliver([entry(1), entry(2), entry(3)]);
    for await (const got of queue) {
      expect(got.id).toBe('1');
      break;
    }
    const rest: string[] = [];
    queue.deliver([entry(4)]);
    setImmediate(() => queue.close());
    for await (const got of queue) rest.push(got.id);
    expect(rest).toEqual(['2', '3', '4']);
  });

  it('yields what it holds before the error it failed with', async () => {
    const queue = new SubscriberQueue();
    queue.deliver([entry(1), entry(2)]);
    queue.fail(new Error('gap'));
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const item of queue) got.push(item.id);
      })(),
    ).rejects.toThrow('gap');
    expect(got).toEqual(['1', '2']);
  });
});
