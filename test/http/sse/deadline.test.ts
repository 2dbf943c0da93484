import { describe, expect, it } from 'vitest';
import { atDeadline } from '../../../src/http/sse/deadline.js';

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('atDeadline', () => {
  it('calls back once the deadline is reached, not before', async () => {
    const at = Date.now() + 50;
    const calledAt = await new Promise<number>((resolve) =>
      atDeadline(at, new AbortController().signal, () => resolve(Date.now())),
    );
    expect(calledAt).toBeGreaterThanOrEqual(at - 1);
  });

  it('calls back at once for a deadline already past', () => {
    let called = 0;
    atDeadline(Date.now() - 1, new AbortController().signal, () => called++);
    expect(called).toBe(1);
  });

  it('holds one timer until the signal aborts, then none, and never calls back', () => {
    const before = timers();
    const lifetime = new AbortController();
    let called = 0;
    atDeadline(Date.now() + 3_600_000, lifetime.signal, () => called++);
    expect(timers()).toBe(before + 1);
    lifetime.abort();
    expect(timers()).toBe(before);
    expect(called).toBe(0);
  });

  it('schedules nothing on a signal that already aborted', () => {
    const before = timers();
    let called = 0;
    atDeadline(Date.now() + 1000, AbortSignal.abort(), () => called++);
    expect(timers()).toBe(before);
    expect(called).toBe(0);
  });

  it('waits for a deadline beyond the longest timer delay (24.8 days) without firing early', () => {
    const lifetime = new AbortController();
    let called = 0;
    atDeadline(Date.now() + 60 * 24 * 3_600_000, lifetime.signal, () => called++);
    expect(called).toBe(0);
    lifetime.abort();
  });
});
