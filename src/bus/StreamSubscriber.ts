import type { LogEntry } from './EventLog.js';
import { SubscriberQueue } from './SubscriberQueue.js';
import { compareStreamIds, maxStreamId, ZERO_STREAM_ID } from './streamIds.js';

/**
 * One subscriber of a Redis stream, and the seam between its replay and the live entries. While its snapshot
 * (replay) is read, live entries the reader fans out are held back; once the snapshot is in, the replay is
 * queued, then every held and later entry whose id is above the last one queued. So each entry reaches the
 * queue once, in id order, whichever of the replay and the live reader saw it first.
 */
export class StreamSubscriber {
  readonly #queue: SubscriberQueue;
  readonly #controller = new AbortController();
  #failure: Error | undefined;
  #held: LogEntry[] | undefined = [];
  #lastId = ZERO_STREAM_ID;

  /** The entries, each once and in order, until the subscription ends; then throws what fail() was given. */
  readonly entries: AsyncIterable<LogEntry> = { [Symbol.asyncIterator]: () => this.#iterate() };

  /** Ends when `signal` aborts or end() is called; queues at most `limit` unread entries. */
  constructor(signal: AbortSignal, limit: number) {
    if (signal.aborted) this.#controller.abort();
    else
      signal.addEventListener('abort', () => this.#controller.abort(), {
        once: true,
        signal: this.#controller.signal,
      });
    this.#queue = new SubscriberQueue(this.#controller.signal, limit);
  }

  async *#iterate(): AsyncGenerator<LogEntry> {
    yield* this.#queue;
    if (this.#failure) throw this.#failure;
  }

  /** Aborts once the subscription ended, whoever ended it. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Ends the subscription: its reader's iteration finishes. */
  end(): void {
    this.#controller.abort();
  }

  /** Ends the subscription with an error for its reader. */
  fail(error: Error): void {
    this.#failure ??= error;
    this.#controller.abort();
  }

  /** Takes a live entry from the reader. */
  deliver(entry: LogEntry): void {
    if (this.#held) this.#held.push(entry);
    else if (compareStreamIds(entry.id, this.#lastId) > 0) {
      this.#lastId = entry.id;
      this.#queue.push(entry);
    }
  }

  /**
   * Queues the replayed entries, then goes live after `headId`, the newest id the snapshot saw: live entries
   * up to it are already replayed (or deliberately skipped), later ones are queued.
   */
  goLive(replayed: readonly LogEntry[], headId: string): void {
    for (const entry of replayed) this.#queue.push(entry);
    const last = replayed.at(-1);
    this.#lastId = last ? maxStreamId(last.id, headId) : headId;
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const entry of held) this.deliver(entry);
  }
}
