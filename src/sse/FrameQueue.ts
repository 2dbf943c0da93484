/** Bounds of a {@link FrameQueue}. */
export interface FrameQueueLimits {
  readonly maxBytes: number;
  readonly maxFrames: number;
}

/**
 * Frames held back while a client is not reading, bounded in UTF-8 bytes and in frames. Taken out as
 * one string so the flush is a single coalesced write.
 */
export class FrameQueue {
  readonly #limits: FrameQueueLimits;
  #frames: string[] = [];
  #bytes = 0;

  constructor(limits: FrameQueueLimits) {
    this.#limits = limits;
  }

  get frames(): number {
    return this.#frames.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Adds a frame; returns `false`, leaving the queue unchanged, if that would exceed a bound. */
  push(frame: string): boolean {
    const bytes = Buffer.byteLength(frame);
    if (this.#frames.length + 1 > this.#limits.maxFrames || this.#bytes + bytes > this.#limits.maxBytes) {
      return false;
    }
    this.#frames.push(frame);
    this.#bytes += bytes;
    return true;
  }

  /** Empties the queue, returning its frames concatenated in order (`''` when empty). */
  take(): string {
    const chunk = this.#frames.join('');
    this.clear();
    return chunk;
  }

  clear(): void {
    this.#frames = [];
    this.#bytes = 0;
  }
}
