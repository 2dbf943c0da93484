import { EncodedFrame } from './EncodedFrame.js';

/** Bounds of a {@link FrameQueue}. */
export interface FrameQueueLimits {
  readonly maxBytes: number;
  readonly maxFrames: number;
}

/**
 * Frames held back while a client is not reading, bounded in UTF-8 bytes and in frames. The frames are the
 * shared encoded ones (nothing is copied per client); they are taken out joined, so the flush is one write.
 */
export class FrameQueue {
  readonly #limits: FrameQueueLimits;
  #frames: EncodedFrame[] = [];
  #count = 0;
  #bytes = 0;

  constructor(limits: FrameQueueLimits) {
    this.#limits = limits;
  }

  /** SSE frames queued (a joined batch counts each of its events). */
  get frames(): number {
    return this.#count;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Adds a frame; returns `false`, leaving the queue unchanged, if that would exceed a bound. */
  push(frame: EncodedFrame): boolean {
    const count = Math.max(1, frame.events.length);
    const bytes = frame.byteLength;
    if (this.#count + count > this.#limits.maxFrames || this.#bytes + bytes > this.#limits.maxBytes) {
      return false;
    }
    this.#frames.push(frame);
    this.#count += count;
    this.#bytes += bytes;
    return true;
  }

  /** Empties the queue, returning its frames joined in order (undefined when it was empty). */
  take(): EncodedFrame | undefined {
    const frames = this.#frames;
    this.clear();
    return frames.length === 0 ? undefined : EncodedFrame.join(frames);
  }

  clear(): void {
    this.#frames = [];
    this.#count = 0;
    this.#bytes = 0;
  }
}
