import type { Counter } from 'prom-client';

interface Counts {
  frames: number;
  bytes: number;
}

/** The frames and bytes one channel wrote per event since the last scrape, as plain numbers. */
export class ChannelTally {
  readonly channel: string;
  readonly #events = new Map<string, Counts>();

  constructor(channel: string) {
    this.channel = channel;
  }

  /** Counts one frame of `event` of `bytes` bytes: a map lookup and two additions. */
  add(event: string, bytes: number): void {
    let counts = this.#events.get(event);
    if (!counts) {
      counts = { frames: 0, bytes: 0 };
      this.#events.set(event, counts);
    }
    counts.frames += 1;
    counts.bytes += bytes;
  }

  /** Adds what was counted to the counters and starts again from zero. */
  drainInto(frames: Counter<'channel' | 'event'>, bytes: Counter<'channel' | 'event'>): void {
    for (const [event, counts] of this.#events) {
      if (counts.frames === 0) continue;
      const labels = { channel: this.channel, event };
      frames.inc(labels, counts.frames);
      bytes.inc(labels, counts.bytes);
      counts.frames = 0;
      counts.bytes = 0;
    }
  }
}

/**
 * Frame counts kept as plain numbers on the write path and handed to the Prometheus counters when they are
 * scraped: a labelled `Counter.inc` hashes its labels on every call, which a broadcast would pay once per
 * frame per subscriber.
 */
export class FrameTally {
  readonly #channels = new Map<string, ChannelTally>();

  /** The tally of `channel`, made once. */
  of(channel: string): ChannelTally {
    let tally = this.#channels.get(channel);
    if (!tally) {
      tally = new ChannelTally(channel);
      this.#channels.set(channel, tally);
    }
    return tally;
  }

  /** Adds every channel's counts to the counters (on scrape). */
  drainInto(frames: Counter<'channel' | 'event'>, bytes: Counter<'channel' | 'event'>): void {
    for (const tally of this.#channels.values()) tally.drainInto(frames, bytes);
  }
}
