import { describe, expect, it } from 'vitest';
import { runStream, type StreamMessage } from '../../src/sse/index.js';
import { parseSse } from '../helpers/collectSse.js';
import { MemorySink } from '../helpers/memorySink.js';
import { openTestStream, type TestEvents } from './fixtures/testEvents.js';

type Message = StreamMessage<TestEvents>;

function signalled(): { promise: Promise<void>; fire(): void } {
  let fire = (): void => {};
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

function note(id: number): Message {
  return { event: 'message', data: { text: `n${id}` }, id: String(id) };
}

describe('runStream', () => {
  it('writes each message as it arrives and resolves when the source ends', async () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink);
    async function* source(): AsyncGenerator<Message> {
      yield note(1);
      yield { event: 'stock-change', data: { sku: 'bed', quantity: 2 }, id: '2' };
    }
    await runStream(stream, source());
    expect(parseSse(sink.text).events.map((event) => event.id)).toEqual(['1', '2']);
    expect(stream.isOpen).toBe(true);
  });

  it('stops a producer parked on an await when the client goes away', async () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink);
    const firstSent = signalled();
    const released = signalled();
    async function* source(signal: AbortSignal): AsyncGenerator<Message> {
      try {
        yield note(1);
        firstSent.fire();
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        yield note(2);
      } finally {
        released.fire();
      }
    }
    const running = runStream(stream, source(stream.signal));
    await firstSent.promise;
    sink.hangUp();
    await running;
    await released.promise;
    expect(parseSse(sink.text).events.map((event) => event.id)).toEqual(['1']);
  });

  it('resolves on disconnect even when the producer ignores the signal', async () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink);
    const parked = signalled();
    async function* source(): AsyncGenerator<Message> {
      yield note(1);
      parked.fire();
      await new Promise(() => {});
    }
    const running = runStream(stream, source());
    await parked.promise;
    sink.hangUp();
    await expect(running).resolves.toBeUndefined();
  });

  it('stops pulling from the producer after a terminal event', async () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink);
    let pulled = 0;
    let released = false;
    async function* source(): AsyncGenerator<Message> {
      try {
        for (let id = 1; ; id += 1) {
          pulled += 1;
          yield id === 2 ? { event: 'complete', data: { total: 1 }, id: '2' } : note(id);
        }
      } finally {
        released = true;
      }
    }
    await runStream(stream, source());
    expect(pulled).toBe(2);
    expect(released).toBe(true);
    expect(stream.closeReason).toBe('terminal');
  });

  it('rejects with the producer error and leaves the stream open for an error event', async () => {
    const sink = new MemorySink();
    const stream = openTestStream(sink);
    async function* source(): AsyncGenerator<Message> {
      yield note(1);
      throw new Error('bus down');
    }
    await expect(runStream(stream, source())).rejects.toThrow('bus down');
    expect(stream.isOpen).toBe(true);
    expect(stream.send('stream-error', { code: 'invalid_frame', detail: 'bus down' }, '1')).toBe(true);
  });

  it('stops the producer and rethrows when a message has an unusable id', async () => {
    const stream = openTestStream(new MemorySink());
    let released = false;
    async function* source(): AsyncGenerator<Message> {
      try {
        yield { event: 'message', data: { text: 'x' }, id: 'has space' };
      } finally {
        released = true;
      }
    }
    await expect(runStream(stream, source())).rejects.toThrow(/Last-Event-ID/);
    expect(released).toBe(true);
  });

  it('does not start the producer on a stream that is already closed', async () => {
    const stream = openTestStream(new MemorySink());
    stream.close();
    let started = false;
    async function* source(): AsyncGenerator<Message> {
      started = true;
      yield note(1);
    }
    await runStream(stream, source());
    expect(started).toBe(false);
  });
});
