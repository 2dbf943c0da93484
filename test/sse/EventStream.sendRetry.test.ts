import { describe, expect, it } from 'vitest';
import { EventStream, SseEncodeError } from '../../src/sse/index.js';
import { parseSse } from '../helpers/collectSse.js';
import { MemorySink } from '../helpers/memorySink.js';
import { openTestStream, type TestEvents, testOptions } from './fixtures/testEvents.js';

describe('EventStream.sendRetry', () => {
  it('writes a retry line mid-stream that changes the delay and keeps the last event id', () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink);
    stream.send('message', { text: 'a' }, '7');
    expect(stream.sendRetry(4321)).toBe(true);
    expect(sink.text).toBe('retry: 3000\n\nid: 7\ndata: {"text":"a"}\n\nretry: 4321\n\n');
    const capture = parseSse(sink.text);
    expect(capture.retries).toEqual([3000, 4321]);
    expect(capture.events.map((event) => event.id)).toEqual(['7']);
    expect(stream.lastEventId).toBe('7');
  });

  it('is queued behind the frames a slow client has not read yet', () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink);
    sink.accepting = false;
    stream.send('message', { text: 'a' }, '1');
    stream.send('message', { text: 'b' }, '2');
    stream.sendRetry(5000);
    sink.accepting = true;
    sink.emit('drain');
    expect(sink.text.endsWith('id: 2\ndata: {"text":"b"}\n\nretry: 5000\n\n')).toBe(true);
  });

  it('refuses a delay that is not a non-negative integer, and writes nothing', () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink);
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => stream.sendRetry(bad)).toThrow(SseEncodeError);
    }
    expect(sink.text).toBe('retry: 3000\n\n');
  });

  it('does nothing once the stream is closed, and throws before it is opened', () => {
    const sink = new MemorySink();
    const idle = new EventStream<TestEvents>(sink, testOptions);
    expect(() => idle.sendRetry(1000)).toThrow(/before open/);
    const closed = openTestStream(new MemorySink());
    closed.close();
    expect(closed.sendRetry(1000)).toBe(false);
  });
});
