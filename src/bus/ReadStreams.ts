import type { LogEntry } from './EventLog.js';
import { EventLogGapError } from './EventLogGapError.js';
import type { StreamSubscriber } from './StreamSubscriber.js';
import { toLogEntry } from './streamEntries.js';
import { compareStreamIds } from './streamIds.js';
import { checkResumeId, MISSING_STREAM, type StreamInfo } from './streamInfo.js';

interface ReadStream {
  /** The last id read from the stream; undefined until its first subscriber's snapshot is in. */
  cursor: string | undefined;
  readonly subscribers: Set<StreamSubscriber>;
}

/**
 * The streams a reader reads: for each, its subscribers and the last id read (its cursor). A stream is read once
 * it has a cursor, and forgotten when its last subscriber leaves.
 */
export class ReadStreams {
  readonly #streams = new Map<string, ReadStream>();

  /** Adds a subscriber, and its stream if new (not read until start()). */
  add(key: string, subscriber: StreamSubscriber): void {
    let stream = this.#streams.get(key);
    if (!stream) {
      stream = { cursor: undefined, subscribers: new Set() };
      this.#streams.set(key, stream);
    }
    stream.subscribers.add(subscriber);
  }

  /** Removes a subscriber; its stream too when it was the last. */
  remove(key: string, subscriber: StreamSubscriber): void {
    const stream = this.#streams.get(key);
    if (!stream?.subscribers.delete(subscriber)) return;
    if (stream.subscribers.size === 0) this.#streams.delete(key);
  }

  /** Gives a stream its first cursor; false when it has one already (no later than `id`) or has no subscriber. */
  start(key: string, id: string): boolean {
    const stream = this.#streams.get(key);
    if (!stream || stream.cursor !== undefined) return false;
    stream.cursor = id;
    return true;
  }

  /** Every stream to read, with the id to read after. */
  cursors(): { keys: string[]; ids: string[] } {
    const keys: string[] = [];
    const ids: string[] = [];
    for (const [key, stream] of this.#streams) {
      if (stream.cursor === undefined) continue;
      keys.push(key);
      ids.push(stream.cursor);
    }
    return { keys, ids };
  }

  /** How many subscribers a stream has (0 for one not read). */
  subscriberCount(key: string): number {
    return this.#streams.get(key)?.subscribers.size ?? 0;
  }

  /**
   * Fans one stream's part of an XREAD reply out to its subscribers as one batch (the same array for each),
   * moving its cursor on. Entries at or before the cursor (from a read sent before the stream was added again)
   * are skipped; so are entries this log did not write, which are reported.
   */
  dispatch(key: string, rawEntries: readonly unknown[], onError: (error: unknown) => void): void {
    const stream = this.#streams.get(key);
    // A stream left by its last subscriber while the read was blocked: nothing to deliver.
    if (stream?.cursor === undefined) return;
    const batch: LogEntry[] = [];
    for (const raw of rawEntries) {
      const id: unknown = Array.isArray(raw) ? raw[0] : undefined;
      if (typeof id !== 'string' || compareStreamIds(id, stream.cursor) <= 0) continue;
      stream.cursor = id;
      try {
        batch.push(toLogEntry(raw));
      } catch (error) {
        // An entry this log did not write cannot be delivered as an event: skip it, so the stream reads on.
        onError(error);
      }
    }
    if (batch.length === 0) return;
    for (const subscriber of stream.subscribers) subscriber.deliver(batch);
  }

  /**
   * Fails the subscribers of each stream that lost entries after its cursor, given what each of `keys` now holds
   * (after the reader was cut off, reading on would skip them silently).
   */
  failGaps(keys: readonly string[], infos: readonly (StreamInfo | undefined)[]): void {
    for (const [i, key] of keys.entries()) {
      const stream = this.#streams.get(key);
      if (stream?.cursor === undefined) continue;
      if (checkResumeId(infos[i] ?? MISSING_STREAM, stream.cursor) === 'replay') continue;
      const gap = new EventLogGapError(key, stream.cursor);
      for (const subscriber of stream.subscribers) subscriber.fail(gap);
    }
  }

  /** Ends every subscription and forgets every stream. */
  endAll(): void {
    for (const stream of this.#streams.values())
      for (const subscriber of stream.subscribers) subscriber.close();
    this.#streams.clear();
  }
}
