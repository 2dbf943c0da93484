interface CachedFrame {
  readonly event: string;
  readonly id: string;
  readonly frame: string;
}

/**
 * Encoded frames of payload objects that several streams send, so that a broadcast validates and encodes
 * each event once and writes the same string to every subscriber. Keyed weakly by the payload object
 * (with its event name and id), so entries go when the event log lets go of the payload.
 *
 * Share one cache only among streams whose `validate`, `unnamedEvents` and `rawDataEvents` behave alike,
 * e.g. one per channel: a hit skips validation because the same payload object passed it when the frame
 * was made. A payload mutated after it was cached is written as it was validated, never unchecked.
 */
export class FrameCache {
  readonly #frames = new WeakMap<object, CachedFrame>();

  /** The frame cached for `data` sent as `event` with `id`, if any. */
  get(event: string, data: unknown, id: string): string | undefined {
    if (typeof data !== 'object' || data === null) return undefined;
    const cached = this.#frames.get(data);
    return cached !== undefined && cached.event === event && cached.id === id ? cached.frame : undefined;
  }

  /** Remembers the validated, encoded `frame` of `data` (only object payloads are cached). */
  set(event: string, data: unknown, id: string, frame: string): void {
    if (typeof data === 'object' && data !== null) this.#frames.set(data, { event, id, frame });
  }
}
