import { describe, expect, it, vi } from 'vitest';
import type { SinkDelivery } from '../../src/sse/SseSink.js';
import { MemorySink } from '../helpers/memorySink.js';
import { openTestStream } from './fixtures/testEvents.js';

const LIMIT = 1000;

/** A sink that tells what its client took, as a TCP socket's does from the kernel's send queue. */
class CountingSink extends MemorySink {
  waiting = 0;
  taken = 0;
  delivery(): SinkDelivery {
    return { waiting: this.waiting, taken: this.taken };
  }
}

function open<S extends MemorySink>(sink: S, slowClientMs = LIMIT) {
  const logger = { warn: vi.fn(), error: vi.fn() };
  const stream = openTestStream(sink, { slowClientMs, logger });
  return { sink, stream, logger };
}

describe('EventStream slow-client rule (slowClientMs)', () => {
  it('drops a client whose sink refused a write and has not drained for slowClientMs, on the sweep', () => {
    const { sink, stream, logger } = open(new MemorySink());
    sink.accepting = false;
    stream.send('message', { text: 'fills the buffer' }, '1');
    const refusedAt = stream.lastWriteAt;
    stream.checkDelivery(refusedAt + LIMIT - 1);
    expect(stream.isOpen).toBe(true);
    // A millisecond past the limit: (t + LIMIT) − t can round to just under LIMIT for some t.
    stream.checkDelivery(refusedAt + LIMIT + 1);
    expect(stream.closeReason).toBe('stalled-consumer');
    expect(sink.destroyed).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ stalledMs: expect.closeTo(LIMIT + 1, 6) }),
      'SSE client took nothing of what waits for it for too long; dropping it',
    );
  });

  it('keeps a client that drains, however slowly, within each slowClientMs', () => {
    const { sink, stream } = open(new MemorySink());
    sink.accepting = false;
    stream.send('message', { text: 'a' }, '1');
    stream.send('message', { text: 'b' }, '2');
    const first = stream.lastWriteAt;
    sink.emit('drain');
    expect(stream.lastWriteAt).toBeGreaterThanOrEqual(first);
    stream.checkDelivery(stream.lastWriteAt + LIMIT - 1);
    expect(stream.isOpen).toBe(true);
  });

  it('drops such a client on the write path too: a frame offered after slowClientMs is refused', () => {
    const { sink, stream } = open(new MemorySink());
    sink.accepting = false;
    stream.send('message', { text: 'fills the buffer' }, '1');
    expect(stream.send('message', { text: 'queued' }, '2')).toBe(true);
    stream.lastWriteAt -= LIMIT;
    expect(stream.send('message', { text: 'too late' }, '3')).toBe(false);
    expect(stream.closeReason).toBe('stalled-consumer');
  });

  it('with a sink that tells what its client took, drops it once nothing was taken for slowClientMs while bytes wait', () => {
    const { sink, stream } = open(new CountingSink());
    sink.waiting = 500;
    sink.taken = 100;
    stream.checkDelivery(0);
    stream.checkDelivery(LIMIT - 1);
    expect(stream.isOpen).toBe(true);
    stream.checkDelivery(LIMIT);
    expect(stream.closeReason).toBe('stalled-consumer');
  });

  it('keeps such a client while it takes bytes, and forgets the clock when nothing waits', () => {
    const { sink, stream } = open(new CountingSink());
    sink.waiting = 500;
    stream.checkDelivery(0);
    sink.taken = 1;
    stream.checkDelivery(LIMIT - 1);
    stream.checkDelivery(2 * LIMIT - 2);
    expect(stream.isOpen).toBe(true);
    sink.waiting = 0;
    stream.checkDelivery(5 * LIMIT);
    sink.waiting = 10;
    stream.checkDelivery(6 * LIMIT);
    stream.checkDelivery(7 * LIMIT - 1);
    expect(stream.isOpen).toBe(true);
    stream.checkDelivery(7 * LIMIT);
    expect(stream.closeReason).toBe('stalled-consumer');
  });

  it('never drops anyone with slowClientMs 0', () => {
    const { sink, stream } = open(new CountingSink(), 0);
    sink.waiting = 500;
    stream.checkDelivery(0);
    stream.checkDelivery(1e9);
    sink.accepting = false;
    stream.send('message', { text: 'a' }, '1');
    stream.lastWriteAt -= 1e9;
    expect(stream.send('message', { text: 'b' }, '2')).toBe(true);
    expect(stream.isOpen).toBe(true);
  });
});
