import { describe, expect, it } from 'vitest';
import type { Published } from './harness/faultDatabase.js';
import { LastEventIdTracker } from './harness/LastEventIdTracker.js';
import { Subscriber } from './harness/Subscriber.js';
import { tally } from './harness/tally.js';

const GEN = '0123456789ab';
const data = (seq: number) => JSON.stringify({ petId: 'p', oldStock: seq - 1, newStock: seq });
const published: Published = {
  generation: GEN,
  events: [1, 2, 3, 4, 5, 6].map((seq) => ({
    seq,
    event: 'stock-change',
    data: data(seq),
    committedAt: 1000 * seq,
  })),
};

/** A subscriber that never connects, given the frames it would have received. */
function received(
  startId: string | undefined,
  seqs: number[],
  resets: Subscriber['resets'] = [],
): Subscriber {
  const subscriber = new Subscriber('t', () => [], { lastEventId: startId });
  for (const seq of seqs) {
    subscriber.frames.push({
      id: `${GEN}.${seq}`,
      event: 'stock-change',
      data: data(seq),
      connection: 1,
      at: 1000 * seq + 5,
    });
  }
  subscriber.resets.push(...resets);
  return subscriber;
}

describe('the fault suite’s counts', () => {
  it('counts a complete, ordered delivery after the start as nothing wrong', () => {
    expect(tally(published, received(`${GEN}.2`, [3, 4, 5, 6]))).toMatchObject({
      published: 4,
      received: 4,
      lost: 0,
      dup: 0,
      ooo: 0,
      mismatched: 0,
      maxDelayMs: 5,
    });
  });

  it('counts losses, repeats (also of events before the start) and events out of order', () => {
    const counts = tally(published, received(`${GEN}.2`, [2, 3, 5, 4, 5]));
    expect(counts).toMatchObject({ published: 4, received: 3, lost: 1, dup: 2, ooo: 1, lostSeqs: [6] });
  });

  it('excuses only the events a reset announced, from where that connection resumed to its head', () => {
    const resets = [{ resumedFrom: `${GEN}.1`, id: `${GEN}.4`, reason: 'expired_id' }];
    const counts = tally(published, received(`${GEN}.1`, [5], resets));
    expect(counts).toMatchObject({ published: 5, received: 1, lost: 1, excused: 3, lostSeqs: [6] });
  });

  it('treats an id of another history, changed data and a frame without an id as mismatched', () => {
    const subscriber = received(`${GEN}.0`, [1, 2, 3, 4, 5, 6]);
    subscriber.frames[0]!.id = 'ffffffffffff.1';
    subscriber.frames[1]!.data = data(9);
    subscriber.frames[2]!.id = undefined;
    expect(tally(published, subscriber)).toMatchObject({ received: 3, lost: 3, mismatched: 3 });
  });
});

describe('LastEventIdTracker', () => {
  it('takes the id of an id-only block, across chunk and CRLF boundaries, and ignores ids with NUL', () => {
    const ids: string[] = [];
    const tracker = new LastEventIdTracker((id) => ids.push(id));
    for (const chunk of [
      'retry: 100\r',
      '\nid: a.',
      '0\r\n\r',
      '\n: heartbeat\n\n',
      'id: b\0\ndata: x\n\n',
      'id: c\n',
    ])
      tracker.feed(chunk);
    expect(ids).toEqual(['a.0', 'a.0', 'a.0']);
  });
});
