import { describe, expect, it, vi } from 'vitest';
import { EventStream, type EventStreamOptions } from '../../src/sse/index.js';
import { parseSse } from '../helpers/collectSse.js';
import { MemorySink } from '../helpers/memorySink.js';

/** An OpenAI-style stream: two unnamed events, one of them a raw `[DONE]`, and a named error event. */
type ChatEvents = {
  chunk: { text: string };
  done: '[DONE]';
  note: string;
  message: { text: string };
  'stream-error': { code: string };
};

const validate: EventStreamOptions<ChatEvents>['validate'] = (event, data) => {
  if (event === 'done') return data === '[DONE]' ? null : [{ path: '', message: 'must be [DONE]' }];
  if (event === 'note') return typeof data === 'string' ? null : [{ path: '', message: 'must be a string' }];
  const valid =
    typeof data === 'object' && data !== null && Object.values(data).every((v) => typeof v === 'string');
  return valid ? null : [{ path: '', message: 'must be an object of strings' }];
};

function open(sink: MemorySink, options: Partial<EventStreamOptions<ChatEvents>> = {}) {
  return new EventStream<ChatEvents>(sink, {
    validate,
    grammar: { terminal: ['done', 'stream-error'] },
    unnamedEvents: ['chunk', 'done'],
    rawDataEvents: ['done', 'note'],
    errorEvent: { event: 'stream-error', payload: () => ({ code: 'invalid_frame' }) },
    ...options,
  }).open();
}

describe('EventStream unnamedEvents and rawDataEvents', () => {
  it('writes the unnamedEvents without an event line and the rawDataEvents verbatim, not as JSON', async () => {
    const sink = new MemorySink();
    const stream = open(sink);
    expect(stream.send('chunk', { text: 'Hi' }, '1')).toBe(true);
    expect(stream.send('done', '[DONE]', '2')).toBe(true);
    expect(sink.text).toBe('retry: 3000\n\nid: 1\ndata: {"text":"Hi"}\n\nid: 2\ndata: [DONE]\n\n');
    expect(parseSse(sink.text).events).toEqual([
      { id: '1', event: undefined, data: '{"text":"Hi"}' },
      { id: '2', event: undefined, data: '[DONE]' },
    ]);
    expect(await stream.closed).toBe('terminal');
  });

  it('still writes a named raw-data event with its event line, one data line per line of the string', () => {
    const sink = new MemorySink();
    open(sink).send('note', 'first line\nsecond "line"', '3');
    expect(sink.text).toBe('retry: 3000\n\nid: 3\nevent: note\ndata: first line\ndata: second "line"\n\n');
    expect(parseSse(sink.text).events[0]?.data).toBe('first line\nsecond "line"');
  });

  it('keeps writing the event named message unnamed when other events are listed', () => {
    const sink = new MemorySink();
    open(sink, { unnamedEvents: ['chunk'] }).send('message', { text: 'x' }, '4');
    expect(sink.text).toBe('retry: 3000\n\nid: 4\ndata: {"text":"x"}\n\n');
  });

  it('names every other event and serialises it as JSON by default', () => {
    const sink = new MemorySink();
    const stream = new EventStream<ChatEvents>(sink, { validate }).open();
    stream.send('chunk', { text: 'a' }, '1');
    stream.send('note', 'plain', '2');
    expect(sink.text).toBe(
      'retry: 3000\n\nid: 1\nevent: chunk\ndata: {"text":"a"}\n\nid: 2\nevent: note\ndata: "plain"\n\n',
    );
  });

  it('refuses a raw-data payload that is not a string even when the validator accepts it', async () => {
    const sink = new MemorySink();
    const onInvalidFrame = vi.fn();
    const stream = open(sink, { validate: () => null, onInvalidFrame });
    expect(stream.send('done', { not: 'a string' } as never, '5')).toBe(false);
    expect(onInvalidFrame.mock.calls[0]?.[0].issues).toEqual([
      { path: '', message: 'a raw-data payload must be a string, got object' },
    ]);
    expect(parseSse(sink.text).events.map((event) => [event.event, event.data])).toEqual([
      ['stream-error', '{"code":"invalid_frame"}'],
    ]);
    expect(await stream.closed).toBe('invalid-frame');
  });

  it('validates a raw-data payload before writing it, and writes nothing after the terminal event', () => {
    const sink = new MemorySink();
    const stream = open(sink);
    expect(stream.send('done', 'DONE' as '[DONE]', '6')).toBe(false);
    expect(sink.text).not.toContain('data: DONE');
    expect(stream.send('chunk', { text: 'late' }, '7')).toBe(false);
    expect(parseSse(sink.text).events.map((event) => event.event)).toEqual(['stream-error']);
  });
});
