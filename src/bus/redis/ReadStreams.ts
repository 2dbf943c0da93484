import type { LogEntry } from '../LiveLog.js';
import { seqOf, streamIdOf, toLogEntry } from './streamEntries.js';

/** What a stream's entries are handed to: the process's topic of that stream. */
export interface StreamTarget {
  deliver(batch: readonly LogEntry[]): void;
  fail(error: Error): void;
  close(): void;
}

interface ReadStream {
  /** The last position read from the stream. */
  cursor: number;
  readonly target: StreamTarget;
}

/** The streams a reader reads: for each, its target and the last position read (its cursor). */
export class ReadStreams {
  readonly #streams = new Map<string, ReadStream>();

  /** Starts reading a stream after position `after`; false when it is read already. */
  add(key: string, target: StreamTarget, after: number): boolean {
    if (this.#streams.has(key)) return false;
    this.#streams.set(key, { cursor: after, target });
    return true;
  }

  /** Stops reading a stream. */
  remove(key: string, target: StreamTarget): void {
    if (this.#streams.get(key)?.target === target) this.#streams.delete(key);
  }

  get size(): number {
    return this.#streams.size;
  }

  /** Every stream to read, with the id to read after. */
  cursors(): { keys: string[]; ids: string[] } {
    const keys: string[] = [];
    const ids: string[] = [];
    for (const [key, stream] of this.#streams) {
      keys.push(key);
      ids.push(stream.cursor === 0 ? '0-0' : streamIdOf(stream.cursor));
    }
    return { keys, ids };
  }

  /**
   * Hands one stream's part of an XREAD reply to its target as one batch, moving its cursor on. Entries at or
   * before the cursor (from a read sent before the stream was added again) are skipped; so are entries this log
   * did not write, which are reported.
   */
  dispatch(key: string, rawEntries: readonly unknown[], onError: (error: unknown) => void): void {
    const stream = this.#streams.get(key);
    if (!stream) return;
    const batch: LogEntry[] = [];
    for (const raw of rawEntries) {
      const id: unknown = Array.isArray(raw) ? raw[0] : undefined;
      const seq = typeof id === 'string' ? seqOf(id) : Number.NaN;
      if (Number.isNaN(seq) || seq <= stream.cursor) continue;
      stream.cursor = seq;
      try {
        batch.push(toLogEntry(raw));
      } catch (error) {
        // An entry this log did not write cannot be delivered as an event: skip it, so the stream reads on.
        onError(error);
      }
    }
    if (batch.length > 0) stream.target.deliver(batch);
  }

  /** Ends every stream's target with `error` and forgets them all. */
  failAll(error: Error): void {
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    for (const stream of streams) stream.target.fail(error);
  }

  /** Ends every target and forgets every stream. */
  endAll(): void {
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    for (const stream of streams) stream.target.close();
  }
}
