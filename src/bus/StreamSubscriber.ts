import type { LogEntry } from './EventLog.js';
import { SubscriberOverflowError, SubscriberQueue } from './SubscriberQueue.js';
import { compareStreamIds, maxStreamId, ZERO_STREAM_ID } from './streamIds.js';

/**
 * One subscriber of a Redis stream, and the seam between its replay and the live entries. While its snapshot
 * (replay) is read, live entries the reader fans out are held back; once the snapshot is in, the replay is
 * queued, then every held and later entry whose id is above the last one queued. So each entry reaches the
 * subscriber once, in id order, whichever of the replay and the live reader saw it first.
 */
export class StreamSubscriber extends SubscriberQueue {
  /** The stream key it reads. */
  readonly key: string;
  readonly #limit: number;
  #held: LogEntry[] | undefined = [];
  #lastId = ZERO_STREAM_ID;

  /** Queues at most `limit` unread entries; `onEnd` is told once it ends (closed, failed or ended). */
  constructor(key: string, limit: number, onEnd: (subscriber: StreamSubscriber) => void) {
    super({ limit, onEnd: onEnd as (queue: SubscriberQueue) => void });
    this.key = key;
    this.#limit = limit;
  }

  /**
   * Takes live entries from the reader, in id order. The batch itself is passed on when every entry in it is
   * new (the usual case), so every subscriber of the stream gets the same array.
   */
  override deliver(batch: readonly LogEntry[]): void {
    if (this.#held) {
      // Live entries arrive while the snapshot is read: bounded like any unread entries.
      if (this.#held.length + batch.length > this.#limit) this.fail(new SubscriberOverflowError(this.#limit));
      else this.#held.push(...batch);
      return;
    }
    const first = batch[0];
    const fresh =
      first === undefined || compareStreamIds(first.id, this.#lastId) > 0
        ? batch
        : batch.filter((entry) => compareStreamIds(entry.id, this.#lastId) > 0);
    const last = fresh.at(-1);
    if (last === undefined) return;
    this.#lastId = last.id;
    super.deliver(fresh);
  }

  /**
   * Queues the replayed entries, then goes live after `headId`, the newest id the snapshot saw: live entries
   * up to it are already replayed (or deliberately skipped), later ones are queued.
   */
  goLive(replayed: readonly LogEntry[], headId: string): void {
    super.deliver(replayed);
    const last = replayed.at(-1);
    this.#lastId = last ? maxStreamId(last.id, headId) : headId;
    const held = this.#held ?? [];
    this.#held = undefined;
    if (held.length > 0) this.deliver(held);
  }
}
