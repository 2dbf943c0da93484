import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { FrameCache } from '../../src/sse/index.js';
import { parseSse } from '../helpers/collectSse.js';
import { MemorySink } from '../helpers/memorySink.js';
import { openTestStream, validateTestEvent } from './fixtures/testEvents.js';

describe('EventStream with a shared FrameCache', () => {
  it('validates and encodes a payload sent to many streams once, and writes the same frame to each', () => {
    const validate = vi.fn(validateTestEvent);
    const frameCache = new FrameCache();
    const sinks = Array.from({ length: 5 }, () => new MemorySink());
    const streams = sinks.map((sink) => openTestStream(sink, { validate, frameCache }));
    const data = { sku: 'cat', quantity: 3 };

    for (const stream of streams) expect(stream.send('stock-change', data, '7')).toBe(true);

    expect(validate).toHaveBeenCalledTimes(1);
    const frames = sinks.map((sink) => sink.writes[1]);
    expect(new Set(frames).size).toBe(1);
    expect(frames[0]).toBe('id: 7\nevent: stock-change\ndata: {"sku":"cat","quantity":3}\n\n');
  });

  it('does not reuse a cached frame for another id or event of the same payload', () => {
    const frameCache = new FrameCache();
    const sink = new MemorySink();
    const stream = openTestStream(sink, { frameCache });
    const data = { sku: 'cat', quantity: 3 };

    stream.send('stock-change', data, '1');
    stream.send('stock-change', data, '2');

    expect(parseSse(sink.text).events.map((event) => event.id)).toEqual(['1', '2']);
  });

  it('refuses an invalid payload on every stream: a failure is never cached', () => {
    const frameCache = new FrameCache();
    const sinks = [new MemorySink(), new MemorySink()];
    const streams = sinks.map((sink) => openTestStream(sink, { frameCache }));
    const bad = { sku: 'cat', quantity: -1 } as unknown as { sku: string; quantity: number };

    for (const stream of streams) expect(stream.send('stock-change', bad, '3')).toBe(false);

    for (const sink of sinks) {
      expect(sink.text).not.toContain('-1');
      expect(parseSse(sink.text).events.map((event) => event.event)).toEqual(['stream-error']);
    }
  });
});

describe('EventStream with coalesce', () => {
  it('writes the frames sent in one turn as one chunk at the end of the turn, in order', async () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink, { coalesce: true });
    for (let i = 1; i <= 10; i += 1) stream.send('message', { text: `m${i}` }, String(i));
    expect(sink.writes).toEqual([]);

    await nextTurn();

    expect(sink.writes).toHaveLength(1);
    expect(parseSse(sink.text).retries).toEqual([3000]);
    expect(parseSse(sink.text).events.map((event) => event.id)).toEqual(
      Array.from({ length: 10 }, (_, i) => String(i + 1)),
    );
  });

  it('coalesces frames that arrive through promise jobs within the same turn', async () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink, { coalesce: true });
    await nextTurn();
    for (let i = 1; i <= 3; i += 1) {
      await Promise.resolve();
      stream.send('message', { text: `m${i}` }, String(i));
    }
    await nextTurn();

    expect(sink.writes).toHaveLength(2);
    expect(parseSse(sink.writes[1] ?? '').events.map((event) => event.id)).toEqual(['1', '2', '3']);
  });

  it('writes the pending frames before ending on a terminal event', () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink, { coalesce: true });
    stream.send('message', { text: 'first' }, '1');
    stream.send('complete', { total: 1 }, '2');

    expect(stream.closeReason).toBe('terminal');
    expect(sink.ended).toBe(true);
    expect(parseSse(sink.text).events.map((event) => event.id)).toEqual(['1', '2']);
    expect(sink.text.endsWith('\n\n')).toBe(true);
  });

  it('drops the pending frames when the client goes away, and writes nothing after', async () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink, { coalesce: true });
    stream.send('message', { text: 'lost' }, '1');
    sink.hangUp();
    await nextTurn();

    expect(stream.closeReason).toBe('client-gone');
    expect(sink.writes).toEqual([]);
  });

  it('keeps the queue bound once a coalesced write fills the sink', async () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink, { coalesce: true, maxQueueFrames: 2 });
    sink.accepting = false;
    stream.send('message', { text: 'fills' }, '1');
    await nextTurn();
    expect(sink.writes).toHaveLength(1);

    expect(stream.send('message', { text: 'a' }, '2')).toBe(true);
    expect(stream.send('message', { text: 'b' }, '3')).toBe(true);
    expect(stream.send('message', { text: 'c' }, '4')).toBe(false);
    expect(stream.closeReason).toBe('slow-consumer');
  });

  it('flushes what was queued on drain as one write, then coalesces again', async () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink, { coalesce: true });
    sink.accepting = false;
    stream.send('message', { text: 'fills' }, '1');
    await nextTurn();
    stream.send('message', { text: 'a' }, '2');
    stream.send('message', { text: 'b' }, '3');
    sink.accepting = true;
    sink.emit('drain');
    stream.send('message', { text: 'c' }, '4');
    await nextTurn();

    expect(sink.writes).toHaveLength(3);
    expect(parseSse(sink.text).events.map((event) => event.id)).toEqual(['1', '2', '3', '4']);
  });
});
