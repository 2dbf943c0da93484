import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventStream, HeartbeatWheel } from '../../src/sse/index.js';
import { parseSse } from '../helpers/collectSse.js';
import { MemorySink } from '../helpers/memorySink.js';
import { openTestStream, type TestEvents, testOptions } from './fixtures/testEvents.js';

describe('EventStream lifecycle', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a heartbeat comment without an id after each idle interval', () => {
    vi.useFakeTimers();
    const sink = new MemorySink();
    const wheel = new HeartbeatWheel(1000);
    const stream = openTestStream(sink, { heartbeat: wheel });
    vi.advanceTimersByTime(999);
    expect(sink.writes).toHaveLength(1);
    vi.advanceTimersByTime(wheel.tickMs);
    expect(sink.writes.at(-1)).toBe(': heartbeat\n\n');
    stream.send('message', { text: 'x' }, '1');
    vi.advanceTimersByTime(999);
    expect(sink.writes).toHaveLength(3);
    vi.advanceTimersByTime(wheel.tickMs);
    expect(sink.writes.slice(3)).toEqual([': heartbeat\n\n']);
    expect(parseSse(sink.text).comments).toEqual(['heartbeat', 'heartbeat']);
    expect(sink.writes.filter((chunk) => chunk.startsWith(':')).join('')).not.toContain('id:');
    stream.close();
    expect(wheel.size).toBe(0);
  });

  it('closes when the client goes away: leaves the wheel, drops its listeners, aborts its signal', async () => {
    const sink = new MemorySink();
    const wheel = new HeartbeatWheel(60_000);
    const stream = openTestStream(sink, { heartbeat: wheel });
    // 'close' and 'error'; 'drain' only once the client stops reading.
    expect(sink.listenerTotal()).toBe(2);
    sink.accepting = false;
    stream.send('message', { text: 'fills the buffer' }, '1');
    expect(sink.listenerTotal()).toBe(3);
    expect(wheel.size).toBe(1);
    sink.hangUp();
    expect(await stream.closed).toBe('client-gone');
    expect(sink.listenerTotal()).toBe(0);
    expect(wheel.size).toBe(0);
    expect(stream.signal.aborted).toBe(true);
    expect(stream.send('message', { text: 'x' }, '2')).toBe(false);
  });

  it('treats a sink error as the client going away, without logging it', async () => {
    const sink = new MemorySink();
    const logger = { warn: vi.fn(), error: vi.fn() };
    const stream = openTestStream(sink, { logger });
    sink.emit('error', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect(await stream.closed).toBe('client-gone');
    expect(sink.destroyed).toBe(true);
    expect(logger.error).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('ends gracefully when its signal option aborts and drops its listeners once the sink closes', async () => {
    const sink = new MemorySink();
    const shutdown = new AbortController();
    const stream = openTestStream(sink, { signal: shutdown.signal });
    shutdown.abort();
    expect(await stream.closed).toBe('aborted');
    expect(sink.ended).toBe(true);
    expect(sink.listenerTotal()).toBe(2);
    await new Promise((resolve) => sink.once('close', resolve));
    expect(sink.listenerTotal()).toBe(0);
  });

  it('closes as it opens on an already aborted signal or an already destroyed sink, writing nothing', () => {
    const sink = new MemorySink();
    const aborted = new EventStream<TestEvents>(sink, { ...testOptions, signal: AbortSignal.abort() });
    expect(aborted.closeReason).toBeUndefined();
    aborted.open();
    expect(aborted.closeReason).toBe('aborted');
    expect(sink.writes).toEqual([]);
    const gone = new MemorySink();
    gone.destroyed = true;
    const stream = new EventStream<TestEvents>(gone, testOptions).open();
    expect(stream.closeReason).toBe('client-gone');
    expect(gone.writes).toEqual([]);
    expect(gone.listenerTotal()).toBe(0);
  });

  it('keeps the first reason when closed more than once', async () => {
    const stream = openTestStream(new MemorySink());
    stream.close();
    stream.close('aborted');
    expect(await stream.closed).toBe('closed');
    expect(stream.closeReason).toBe('closed');
  });
});
