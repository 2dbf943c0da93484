import type { EncodedFrame } from './EncodedFrame.js';

/** What {@link FrameCache.getBatch} holds for a batch that must be sent message by message. */
export const ONE_BY_ONE = 'one-by-one';

/**
 * Encoded frames that several streams send, so that a broadcast validates and encodes each event once and
 * writes the same bytes to every subscriber. A payload's frame is keyed weakly by the payload object (with its
 * event name and id); a batch's joined frame by the batch array itself. Entries go when the event log lets go
 * of the payloads and batches.
 *
 * Share one cache only among streams whose `validate`, `unnamedEvents`, `rawDataEvents` and `grammar` behave
 * alike, e.g. one per channel: a hit skips validation because the same payload object passed it when the frame
 * was made. A payload mutated after it was cached is written as it was validated, never unchecked.
 */
export class FrameCache {
  readonly #frames = new WeakMap<object, EncodedFrame>();
  readonly #batches = new WeakMap<readonly unknown[], EncodedFrame | typeof ONE_BY_ONE>();

  /** The frame cached for `data` sent as `event` with `id`, if any. */
  get(event: string, data: unknown, id: string): EncodedFrame | undefined {
    if (typeof data !== 'object' || data === null) return undefined;
    const cached = this.#frames.get(data);
    return cached !== undefined && cached.lastId === id && cached.events[0]?.event === event
      ? cached
      : undefined;
  }

  /** Remembers the validated, encoded `frame` of `data` (only object payloads are cached). */
  set(data: unknown, frame: EncodedFrame): void {
    if (typeof data === 'object' && data !== null) this.#frames.set(data, frame);
  }

  /** The joined frame of `batch`, {@link ONE_BY_ONE} when it cannot be sent joined, or undefined if unknown. */
  getBatch(batch: readonly unknown[]): EncodedFrame | typeof ONE_BY_ONE | undefined {
    return this.#batches.get(batch);
  }

  /** Remembers how `batch` is sent: as one joined frame, or {@link ONE_BY_ONE}. */
  setBatch(batch: readonly unknown[], frame: EncodedFrame | typeof ONE_BY_ONE): void {
    this.#batches.set(batch, frame);
  }
}
