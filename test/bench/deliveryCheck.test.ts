import { describe, expect, it } from 'vitest';
import { checkDelivery } from '../../bench/loadgen/deliveryCheck.js';
import type { ReceivedEvent } from '../../bench/loadgen/InventoryWatcher.js';

const GEN = '0123456789ab';

/** A subscriber that received `changes` in this order: `[id, pet, oldStock, newStock]`. */
function watcher(name: string, changes: Array<[string, string, number, number]>) {
  const events: ReceivedEvent[] = changes.map(([id, pet, oldStock, newStock], i) => ({
    id,
    key: `${pet}:${newStock}`,
    follows: `${pet}:${oldStock}`,
    timestampMs: 1000 + i,
    receivedAt: 1005 + i,
  }));
  const firstIndex = new Map<string, number>();
  events.forEach((event, i) => {
    if (!firstIndex.has(event.key)) firstIndex.set(event.key, i);
  });
  return { name, events, firstIndex, others: [] as string[], startId: undefined as string | undefined };
}

/** Keys of 2xx writes, each answered at 1003 ms. */
const answered = (keys: string[]) => new Map(keys.map((key) => [key, 1003]));

const expected = answered(['a:11', 'a:12', 'b:21', 'b:22']);

describe('W7 delivery check', () => {
  it('passes a stream that has every change once, in commit order', () => {
    const delivery = checkDelivery(
      watcher('s', [
        [`${GEN}.1`, 'a', 10, 11],
        [`${GEN}.2`, 'b', 20, 21],
        [`${GEN}.3`, 'a', 11, 12],
        [`${GEN}.4`, 'b', 21, 22],
      ]),
      0,
      expected,
      new Map(),
    );
    expect(delivery).toMatchObject({
      received: 4,
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
      idGaps: 0,
      unexpected: 0,
    });
    expect(delivery.latenciesMs).toEqual([5, 5, 5, 5]);
    expect(delivery.afterAnswerMs).toEqual([2, 3, 4, 5]);
  });

  it('counts a lost change, a repeated one, a skipped seq and a stray event', () => {
    const delivery = checkDelivery(
      watcher('s', [
        [`${GEN}.1`, 'a', 10, 11],
        [`${GEN}.1`, 'a', 10, 11],
        [`${GEN}.3`, 'a', 11, 12],
        [`${GEN}.4`, 'c', 30, 31],
      ]),
      0,
      expected,
      new Map(),
    );
    expect(delivery).toMatchObject({
      received: 2,
      lost: 2,
      duplicated: 1,
      idGaps: 1,
      unexpected: 1,
      outOfOrder: 0,
    });
  });

  it('counts a change delivered before the one it follows on the same pet, and ids going back', () => {
    const swapped = checkDelivery(
      watcher('s', [
        [`${GEN}.1`, 'a', 11, 12],
        [`${GEN}.2`, 'a', 10, 11],
      ]),
      0,
      answered(['a:11', 'a:12']),
      new Map(),
    );
    expect(swapped.outOfOrder).toBe(1);
    const backwards = checkDelivery(
      watcher('s', [
        ['1700000000000-1', 'a', 10, 11],
        ['1699999999999-0', 'b', 20, 21],
      ]),
      0,
      answered(['a:11', 'b:21']),
      new Map(),
    );
    expect(backwards).toMatchObject({ outOfOrder: 1, idGaps: 0, received: 2 });
  });

  it('counts an id that carries another change at another subscriber', () => {
    const owners = new Map<string, string>();
    checkDelivery(watcher('one', [[`${GEN}.1`, 'a', 10, 11]]), 0, answered(['a:11', 'b:21']), owners);
    const other = checkDelivery(
      watcher('two', [[`${GEN}.1`, 'b', 20, 21]]),
      0,
      answered(['a:11', 'b:21']),
      owners,
    );
    expect(other.outOfOrder).toBe(1);
  });

  it('counts events whose timestamp is earlier than the one before', () => {
    const stream = watcher('s', [
      [`${GEN}.1`, 'a', 10, 11],
      [`${GEN}.2`, 'b', 20, 21],
    ]);
    stream.events[1]!.timestampMs = stream.events[0]!.timestampMs - 1;
    expect(checkDelivery(stream, 0, answered(['a:11', 'b:21']), new Map())).toMatchObject({
      timestampsBack: 1,
      outOfOrder: 0,
    });
  });

  it('takes the id-only block the stream opened with as the position before the first event', () => {
    const stream = { ...watcher('s', [[`${GEN}.7`, 'a', 10, 11]]), startId: `${GEN}.5` };
    expect(checkDelivery(stream, 0, answered(['a:11']), new Map())).toMatchObject({ received: 1, idGaps: 1 });
    const next = { ...watcher('s', [[`${GEN}.6`, 'a', 10, 11]]), startId: `${GEN}.5` };
    expect(checkDelivery(next, 0, answered(['a:11']), new Map())).toMatchObject({ received: 1, idGaps: 0 });
  });

  it('checks only the events from the phase mark on, against the event before it', () => {
    const stream = watcher('s', [
      [`${GEN}.1`, 'a', 10, 11],
      [`${GEN}.2`, 'a', 11, 12],
      [`${GEN}.4`, 'b', 20, 21],
    ]);
    const delivery = checkDelivery(stream, 2, answered(['b:21']), new Map());
    expect(delivery).toMatchObject({ received: 1, lost: 0, idGaps: 1, unexpected: 0 });
  });
});
