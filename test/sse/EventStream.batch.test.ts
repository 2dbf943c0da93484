import { describe, expect, it, vi } from 'vitest';
import { EncodedFrame, FrameCache, type StreamMessage } from '../../src/sse/index.js';
import { parseSse } from '../helpers/collectSse.js';
import { MemorySink } from '../helpers/memorySink.js';
import { openTestStream, type TestEvents, validateTestEvent } from './fixtures/testEvents.js';

/** A sink that takes encoded frames as a socket sink does, keeping the very objects it was given. */
class FrameSink extends MemorySink {
  readonly frames: EncodedFrame[] = [];

  writeFrame(frame: EncodedFrame): boolean {
    this.frames.push(frame);
    return this.write(frame.text);
  }
}

const change = (quantity: number): StreamMessage<TestEvents> => ({
  event: 'stock-change',
  data: { sku: 'cat', quantity },
  id: String(quantity),
});

describe('EventStream.sendBatch', () => {
  it('validates and encodes a batch once for every stream sharing a FrameCache, and each writes the same frame once', () => {
    const validate = vi.fn(validateTestEvent);
    const frameCache = new FrameCache();
    const sinks = Array.from({ length: 5 }, () => new FrameSink());
    const streams = sinks.map((sink) => openTestStream(sink, { validate, frameCache }));
    const batch = [change(1), change(2), change(3)];

    for (const stream of streams) expect(stream.sendBatch(batch)).toBe(true);

    expect(validate).toHaveBeenCalledTimes(3);
    const written = sinks.map((sink) => sink.frames.at(-1));
    expect(new Set(written).size).toBe(1);
    expect(sinks.every((sink) => sink.frames.length === 2)).toBe(true);
    expect(parseSse(written[0]!.text).events.map((event) => event.id)).toEqual(['1', '2', '3']);
    expect(streams.map((stream) => stream.lastEventId)).toEqual(['3', '3', '3', '3', '3']);
  });

  it('counts each event of a batch for the observer, and reports each payload encoded once', () => {
    const frame = vi.fn();
    const encoded = vi.fn();
    const frameCache = new FrameCache();
    const batch = [change(1), change(2)];
    for (let i = 0; i < 3; i++)
      openTestStream(new MemorySink(), { frameCache, observer: { frame, encoded } }).sendBatch(batch);

    expect(frame).toHaveBeenCalledTimes(6);
    const first = 'id: 1\nevent: stock-change\ndata: {"sku":"cat","quantity":1}\n\n';
    expect(frame).toHaveBeenCalledWith('stock-change', Buffer.byteLength(first));
    expect(encoded).toHaveBeenCalledTimes(2);
  });

  it('sends a batch holding a terminal event message by message, and nothing after the terminal one', () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink);
    const batch: StreamMessage<TestEvents>[] = [
      change(1),
      { event: 'complete', data: { total: 1 }, id: '2' },
      change(3),
    ];

    expect(stream.sendBatch(batch)).toBe(false);

    expect(stream.closeReason).toBe('terminal');
    expect(parseSse(sink.text).events.map((event) => event.id)).toEqual(['1', '2']);
  });

  it('writes what precedes an invalid payload, refuses it with stream-error at its id, and closes', () => {
    const sinks = [new MemorySink(), new MemorySink()];
    const frameCache = new FrameCache();
    const bad = {
      event: 'stock-change',
      data: { sku: 'cat', quantity: -1 },
      id: '2',
    } as StreamMessage<TestEvents>;
    const batch = [change(1), bad, change(3)];

    for (const sink of sinks) expect(openTestStream(sink, { frameCache }).sendBatch(batch)).toBe(false);

    for (const sink of sinks) {
      const events = parseSse(sink.text).events;
      expect(events.map((event) => [event.event, event.id])).toEqual([
        ['stock-change', '1'],
        ['stream-error', '2'],
      ]);
      expect(sink.text).not.toContain('-1');
    }
  });

  it('writes a batch at once, but after frames still pending in the same turn', async () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink, { coalesce: true });
    stream.sendBatch([change(1), change(2)]);
    expect(sink.writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.writes).toHaveLength(1);

    stream.sendBatch([change(3)]);
    expect(sink.writes).toHaveLength(2);
    expect(parseSse(sink.text).events.map((event) => event.id)).toEqual(['1', '2', '3']);
  });
});

describe('EncodedFrame', () => {
  it('keeps its UTF-8 bytes and its HTTP/1.1 chunk, made once', () => {
    const frame = new EncodedFrame('data: é\n\n', '1');
    expect(frame.byteLength).toBe(10);
    expect(frame.httpChunk.toString('utf8')).toBe('a\r\ndata: é\n\n\r\n');
    expect(frame.httpChunk).toBe(frame.httpChunk);
    expect(frame.utf8).toBe(frame.utf8);
  });

  it('joins frames with the last id and every event', () => {
    const joined = EncodedFrame.join([
      EncodedFrame.event('id: 1\ndata: a\n\n', 'x', '1'),
      new EncodedFrame(': heartbeat\n\n'),
      EncodedFrame.event('id: 2\ndata: b\n\n', 'y', '2'),
    ]);
    expect(joined.text).toBe('id: 1\ndata: a\n\n: heartbeat\n\nid: 2\ndata: b\n\n');
    expect(joined.lastId).toBe('2');
    expect(joined.events.map((event) => event.event)).toEqual(['x', 'y']);
  });
});
