import { describe, expect, it } from 'vitest';
import { type Admission, OpenStreams } from '../../../src/http/sse/OpenStreams.js';

type Told = { at: number; retry: number; name: string };

function tracked(open: OpenStreams, log: Told[], name: string, client = name): Admission {
  const started = performance.now();
  const admission = open.admit(client);
  if (typeof admission === 'string') throw new Error(`refused: ${admission}`);
  admission.track({
    channel: 'inventoryStream',
    shutDown: (retry) => log.push({ at: performance.now() - started, retry, name }),
  });
  return admission;
}

describe('OpenStreams.admit', () => {
  it('caps the streams of one client and gives a slot back on release, once', () => {
    const open = new OpenStreams({ maxStreamsPerClient: 2, maxStreams: 10 });
    const first = open.admit('10.0.0.1');
    const second = open.admit('10.0.0.1');
    expect(typeof first).toBe('object');
    expect(typeof second).toBe('object');
    expect(open.admit('10.0.0.1')).toBe('client_limit');
    expect(typeof open.admit('10.0.0.2')).toBe('object');
    (first as Admission).release();
    (first as Admission).release();
    expect(open.sizeOf('10.0.0.1')).toBe(1);
    expect(open.size).toBe(2);
    expect(typeof open.admit('10.0.0.1')).toBe('object');
  });

  it('caps the streams of the whole server', () => {
    const open = new OpenStreams({ maxStreamsPerClient: 5, maxStreams: 2 });
    open.admit('a');
    open.admit('b');
    expect(open.admit('c')).toBe('server_limit');
    expect(open.size).toBe(2);
  });

  it('forgets a client with no stream left', () => {
    const open = new OpenStreams();
    const admission = open.admit('a') as Admission;
    admission.release();
    expect(open.sizeOf('a')).toBe(0);
    expect(open.size).toBe(0);
  });
});

describe('OpenStreams.drain', () => {
  it('ends every open stream once, the i-th of n no sooner than spreadMs * i / n, then resolves', async () => {
    const open = new OpenStreams();
    const log: Told[] = [];
    for (const name of ['a', 'b', 'c', 'd']) tracked(open, log, name);
    let retry = 1000;
    await open.drain({ spreadMs: 80, retryMs: () => retry++ });
    expect(log.map((entry) => entry.name).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(log.map((entry) => entry.retry)).toEqual([1000, 1001, 1002, 1003]);
    log.forEach((entry, i) => {
      expect(entry.at).toBeGreaterThanOrEqual((80 * (i + 1)) / 4 - 1);
    });
  });

  it('refuses new streams from the start, skips streams that closed meanwhile, and resolves at once when idle', async () => {
    const open = new OpenStreams();
    const log: Told[] = [];
    tracked(open, log, 'stays');
    const leaves = tracked(open, log, 'leaves');
    const drained = open.drain({ spreadMs: 40, retryMs: () => 1000 });
    expect(open.draining).toBe(true);
    leaves.release();
    await drained;
    expect(log.map((entry) => entry.name)).toEqual(['stays']);
    await new OpenStreams().drain({ spreadMs: 60_000, retryMs: () => 1000 });
  });
});
