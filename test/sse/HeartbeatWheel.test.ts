import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type HeartbeatTarget, HeartbeatWheel } from '../../src/sse/index.js';

function target(): HeartbeatTarget & { lastWriteAt: number; beats: number } {
  const t = {
    lastWriteAt: performance.now(),
    beats: 0,
    heartbeat() {
      t.beats += 1;
      t.lastWriteAt = performance.now();
    },
  };
  return t;
}

describe('HeartbeatWheel', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ticks at a quarter of the interval, never faster than every 5 ms', () => {
    expect(new HeartbeatWheel(15_000).tickMs).toBe(3750);
    expect(new HeartbeatWheel(8).tickMs).toBe(5);
  });

  it('ticks at a quarter of deliveryCheckMs when that is shorter than the interval', () => {
    expect(new HeartbeatWheel(15_000, { deliveryCheckMs: 1000 }).tickMs).toBe(250);
    expect(() => new HeartbeatWheel(15_000, { deliveryCheckMs: 0 })).toThrow(RangeError);
  });

  it('sweeps every target, busy or idle, once per deliveryCheckMs', () => {
    const wheel = new HeartbeatWheel(60_000, { deliveryCheckMs: 1000 });
    const busy = { ...target(), sweeps: [] as number[] };
    const checked: HeartbeatTarget & { sweeps: number[] } = {
      ...busy,
      checkDelivery(now: number) {
        checked.sweeps.push(now);
      },
    };
    wheel.add(checked);
    vi.advanceTimersByTime(999);
    expect(checked.sweeps).toHaveLength(0);
    vi.advanceTimersByTime(wheel.tickMs);
    expect(checked.sweeps).toHaveLength(1);
    vi.advanceTimersByTime(3000);
    expect(checked.sweeps).toHaveLength(4);
    wheel.close();
  });

  it('beats a target idle for the interval and not before', () => {
    const wheel = new HeartbeatWheel(1000);
    const idle = target();
    wheel.add(idle);
    vi.advanceTimersByTime(999);
    expect(idle.beats).toBe(0);
    vi.advanceTimersByTime(wheel.tickMs);
    expect(idle.beats).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(idle.beats).toBe(2);
    wheel.close();
  });

  it('leaves alone a target that keeps writing', () => {
    const wheel = new HeartbeatWheel(1000);
    const busy = target();
    wheel.add(busy);
    for (let i = 0; i < 20; i += 1) {
      vi.advanceTimersByTime(500);
      busy.lastWriteAt = performance.now();
    }
    expect(busy.beats).toBe(0);
    wheel.close();
  });

  it('runs one timer for many targets and none while empty', () => {
    const wheel = new HeartbeatWheel(1000);
    expect(vi.getTimerCount()).toBe(0);
    const targets = Array.from({ length: 200 }, target);
    for (const t of targets) wheel.add(t);
    expect(vi.getTimerCount()).toBe(1);
    expect(wheel.size).toBe(200);
    vi.advanceTimersByTime(1250);
    expect(targets.every((t) => t.beats === 1)).toBe(true);
    for (const t of targets) wheel.remove(t);
    expect(wheel.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops on close and ignores targets added afterwards', () => {
    const wheel = new HeartbeatWheel(1000);
    wheel.add(target());
    wheel.close();
    const late = target();
    wheel.add(late);
    expect(wheel.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(late.beats).toBe(0);
  });

  it('refuses an interval that is not a positive number', () => {
    expect(() => new HeartbeatWheel(0)).toThrow(RangeError);
    expect(() => new HeartbeatWheel(Number.NaN)).toThrow(RangeError);
  });
});

describe('HeartbeatWheel timer', () => {
  it('does not keep the process alive', () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timeouts();
    const wheel = new HeartbeatWheel(60_000);
    wheel.add(target());
    expect(timeouts()).toBe(before);
    wheel.close();
  });
});
