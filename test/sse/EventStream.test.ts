import { describe, expect, it, vi } from 'vitest';
import { EventStream, SseEncodeError } from '../../src/sse/index.js';
import { parseSse } from '../helpers/collectSse.js';
import { MemorySink } from '../helpers/memorySink.js';
import { openTestStream, type TestEvents, testOptions } from './fixtures/testEvents.js';

function spyLogger() {
  return { warn: vi.fn(), error: vi.fn() };
}

describe('EventStream', () => {
  it('writes a retry line before anything else', () => {
    const sink = new MemorySink();
    const stream = new EventStream<TestEvents>(sink, { ...testOptions, retryMs: 1500 });
    expect(sink.writes).toEqual([]);
    stream.open().send('message', { text: 'hi' }, '1');
    expect(sink.writes[0]).toBe('retry: 1500\n\n');
    expect(parseSse(sink.text).retries).toEqual([1500]);
  });

  it('defaults retry to 3000 ms', () => {
    const sink = new MemorySink();
    openTestStream(sink);
    expect(sink.text).toBe('retry: 3000\n\n');
  });

  it('writes each event with its id and its data serialised once', () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink);
    expect(stream.send('stock-change', { sku: 'cat-food', quantity: 3 }, '1700000000000-0')).toBe(true);
    expect(stream.send('stock-change', { sku: 'leash', quantity: 0 }, '1700000000000-1')).toBe(true);
    expect(parseSse(sink.text).events).toEqual([
      { id: '1700000000000-0', event: 'stock-change', data: '{"sku":"cat-food","quantity":3}' },
      { id: '1700000000000-1', event: 'stock-change', data: '{"sku":"leash","quantity":0}' },
    ]);
  });

  it('writes message events as unnamed frames', () => {
    const sink = new MemorySink();
    openTestStream(sink).send('message', { text: 'hello' }, '5');
    expect(sink.text).toBe('retry: 3000\n\nid: 5\ndata: {"text":"hello"}\n\n');
  });

  it('never writes a frame that fails validation, writes the stream-error event, then ends', async () => {
    const sink = new MemorySink();
    const onInvalidFrame = vi.fn();
    const logger = spyLogger();
    const stream = openTestStream(sink, { onInvalidFrame, logger });
    stream.send('stock-change', { sku: 'bowl', quantity: 1 }, '1');
    const bad = { sku: 'bowl', quantity: -4 };
    expect(stream.send('stock-change', bad, '2')).toBe(false);

    const { events } = parseSse(sink.text);
    expect(events.map((event) => event.event)).toEqual(['stock-change', 'stream-error']);
    expect(sink.text).not.toContain('-4');
    expect(events[1]?.id).toBe('2');
    expect(JSON.parse(events[1]?.data ?? '')).toEqual({
      code: 'invalid_frame',
      detail: 'stock-change 2: must be >= 0',
    });
    expect(onInvalidFrame).toHaveBeenCalledWith({
      event: 'stock-change',
      id: '2',
      data: bad,
      issues: [{ path: '/quantity', message: 'must be >= 0' }],
    });
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(sink.ended).toBe(true);
    expect(sink.text.endsWith('\n\n')).toBe(true);
    expect(await stream.closed).toBe('invalid-frame');
  });

  it('ends without an error event when the error payload is itself invalid', () => {
    const sink = new MemorySink();
    const logger = spyLogger();
    const stream = openTestStream(sink, {
      logger,
      errorEvent: { event: 'stream-error', payload: () => ({ code: 'invalid_frame', detail: 7 as never }) },
    });
    stream.send('complete', { total: 1.5 }, '3');
    expect(parseSse(sink.text).events).toEqual([]);
    expect(logger.error).toHaveBeenCalledTimes(2);
    expect(stream.closeReason).toBe('invalid-frame');
  });

  it('refuses a payload that JSON cannot serialise even when the validator accepts it', () => {
    const sink = new MemorySink();
    const onInvalidFrame = vi.fn();
    const stream = new EventStream<{ message: unknown }>(sink, {
      validate: () => null,
      onInvalidFrame,
    }).open();
    expect(stream.send('message', { big: 1n }, '1')).toBe(false);
    expect(stream.send('message', undefined, '2')).toBe(false);
    expect(sink.text).toBe('retry: 3000\n\n');
    expect(onInvalidFrame).toHaveBeenCalledTimes(1);
    expect(onInvalidFrame.mock.calls[0]?.[0].issues[0].message).toContain('BigInt');
  });

  it('writes nothing after a terminal event and ends the sink after its blank line', async () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink);
    expect(stream.send('complete', { total: 2 }, '9')).toBe(true);
    expect(stream.isOpen).toBe(false);
    expect(stream.send('message', { text: 'late' }, '10')).toBe(false);
    expect(sink.ended).toBe(true);
    expect(sink.text).toBe('retry: 3000\n\nid: 9\nevent: complete\ndata: {"total":2}\n\n');
    expect(await stream.closed).toBe('terminal');
  });

  it('throws on an id the client could not send back, writing nothing', () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink);
    expect(() => stream.send('message', { text: 'x' }, '1\nevent: complete')).toThrow(SseEncodeError);
    expect(() => stream.send('message', { text: 'x' }, '')).toThrow(/Last-Event-ID/);
    expect(sink.text).toBe('retry: 3000\n\n');
    expect(stream.isOpen).toBe(true);
  });

  it('throws when an event is sent before open', () => {
    const stream = new EventStream<TestEvents>(new MemorySink(), testOptions);
    expect(() => stream.send('message', { text: 'x' }, '1')).toThrow(/before open/);
  });

  it('refuses a queue bound that is not a non-negative integer', () => {
    expect(
      () => new EventStream<TestEvents>(new MemorySink(), { ...testOptions, maxQueueFrames: -1 }),
    ).toThrow(RangeError);
  });
});
