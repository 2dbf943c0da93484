import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeartbeatWheel } from '../../src/sse/index.js';
import { parseSse } from '../helpers/collectSse.js';
import { MemorySink } from '../helpers/memorySink.js';
import { openTestStream } from './fixtures/testEvents.js';

function congestedStream(limits: { maxQueueFrames?: number; maxQueueBytes?: number } = {}) {
  const sink = new MemorySink();
  const logger = { warn: vi.fn(), error: vi.fn() };
  const stream = openTestStream(sink, { ...limits, logger });
  sink.accepting = false;
  stream.send('message', { text: 'fills the buffer' }, '1');
  return { sink, stream, logger };
}

describe('EventStream backpressure', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('queues frames while the sink is full and flushes them as one write on drain', () => {
    const { sink, stream } = congestedStream();
    for (let i = 2; i <= 5; i += 1) expect(stream.send('message', { text: `m${i}` }, String(i))).toBe(true);
    expect(sink.writes).toHaveLength(2);

    sink.accepting = true;
    sink.emit('drain');
    expect(sink.writes).toHaveLength(3);
    expect(parseSse(sink.writes[2] ?? '').events.map((event) => event.id)).toEqual(['2', '3', '4', '5']);

    stream.send('message', { text: 'direct' }, '6');
    expect(sink.writes).toHaveLength(4);
  });

  it('keeps queueing when the coalesced flush fills the sink again', () => {
    const { sink, stream } = congestedStream();
    stream.send('message', { text: 'a' }, '2');
    sink.emit('drain');
    stream.send('message', { text: 'b' }, '3');
    expect(sink.writes).toHaveLength(3);
    sink.accepting = true;
    sink.emit('drain');
    expect(parseSse(sink.text).events.map((event) => event.id)).toEqual(['1', '2', '3']);
  });

  it('keeps a single drain listener however many writes were refused', () => {
    const { sink, stream } = congestedStream();
    for (let i = 2; i < 200; i += 1) {
      stream.send('message', { text: 'x' }, String(i));
      sink.emit('drain');
    }
    expect(sink.listenerCount('drain')).toBe(1);
    expect(sink.listenerCount('close')).toBe(1);
    expect(sink.listenerCount('error')).toBe(1);
  });

  it('drops a client whose queue would exceed the frame bound, writing none of the queue', async () => {
    const { sink, stream, logger } = congestedStream({ maxQueueFrames: 3 });
    for (let i = 2; i <= 4; i += 1) expect(stream.send('message', { text: 'x' }, String(i))).toBe(true);
    expect(stream.send('message', { text: 'x' }, '5')).toBe(false);
    expect(await stream.closed).toBe('slow-consumer');
    expect(sink.destroyed).toBe(true);
    expect(sink.ended).toBe(false);
    expect(sink.writes).toHaveLength(2);
    expect(sink.listenerTotal()).toBe(0);
    expect(stream.signal.aborted).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith(
      { queuedFrames: 3, queuedBytes: expect.any(Number) },
      expect.stringContaining('stopped reading'),
    );
  });

  it('drops a client whose queue would exceed the byte bound', async () => {
    const frameBytes = Buffer.byteLength('id: 2\ndata: {"text":"ü"}\n\n');
    const { stream } = congestedStream({ maxQueueBytes: 2 * frameBytes });
    expect(stream.send('message', { text: 'ü' }, '2')).toBe(true);
    expect(stream.send('message', { text: 'ü' }, '3')).toBe(true);
    expect(stream.send('message', { text: 'ü' }, '4')).toBe(false);
    expect(await stream.closed).toBe('slow-consumer');
  });

  it('skips heartbeats while the client is not reading', () => {
    vi.useFakeTimers();
    const sink = new MemorySink();
    const stream = openTestStream(sink, { heartbeat: new HeartbeatWheel(100) });
    sink.accepting = false;
    stream.send('message', { text: 'x' }, '1');
    vi.advanceTimersByTime(1000);
    expect(sink.writes).toHaveLength(2);
    sink.accepting = true;
    sink.emit('drain');
    vi.advanceTimersByTime(125);
    expect(sink.writes.at(-1)).toBe(': heartbeat\n\n');
    stream.close();
  });

  it('flushes queued frames and the terminal event together before ending', () => {
    const { sink, stream } = congestedStream();
    stream.send('message', { text: 'queued' }, '2');
    expect(stream.send('complete', { total: 2 }, '3')).toBe(true);
    expect(sink.ended).toBe(true);
    expect(sink.writes).toHaveLength(3);
    expect(parseSse(sink.text).events.map((event) => event.event ?? 'message')).toEqual([
      'message',
      'message',
      'complete',
    ]);
  });
});
