import type { EntryListener, LogEntry, Subscription } from './LiveLog.js';

/** Thrown by a subscription whose reader fell further behind than its bound. */
export class SubscriberOverflowError extends Error {
  readonly code = 'subscriber_overflow';
  constructor(limit: number) {
    super(
      `subscriber fell more than ${limit} events behind the log; it was dropped, resume with Last-Event-ID`,
    );
    this.name = 'SubscriberOverflowError';
  }
}

const OPEN = 0;
const CLOSED = 1;
const FAILED = 2;

/**
 * The hand-off from a log to one subscriber. Pushed to (`listen`), it passes each batch straight on, the same
 * array every listener of the topic gets; pulled (`AsyncIterable`), it holds what arrives, at most `limit`
 * entries unread (default 10 000), past which it fails with SubscriberOverflowError. Until a listener is
 * attached it holds entries the same bounded way. `close()` ends it at once; `fail()` after what it holds.
 * `onEnd` is called with the queue once it ends, e.g. to take it out of its topic's readers (one function
 * shared by every queue, rather than a closure each).
 */
export class SubscriberQueue implements AsyncIterable<LogEntry>, Subscription {
  readonly #limit: number;
  readonly #onEnd: ((queue: SubscriberQueue) => void) | undefined;
  #held: LogEntry[] | undefined;
  #listener: EntryListener | undefined;
  #state = OPEN;
  #error: Error | undefined;
  #wake: (() => void) | undefined;
  /** Where the pull reader is in `#held`. */
  #next = 0;

  constructor(options: { limit?: number; onEnd?: (queue: SubscriberQueue) => void } = {}) {
    this.#limit = options.limit ?? 10_000;
    this.#onEnd = options.onEnd;
  }

  /** Closes the queue when the signal it was given aborts (it is that signal's listener). */
  handleEvent(): void {
    this.close();
  }

  /** Itself: the pull side of the subscription. */
  get entries(): AsyncIterable<LogEntry> {
    return this;
  }

  /** True once closed or failed. */
  get ended(): boolean {
    return this.#state !== OPEN;
  }

  /** Takes entries that came together, in order. */
  deliver(batch: readonly LogEntry[]): void {
    if (this.#state !== OPEN || batch.length === 0) return;
    if (this.#listener) {
      this.#push(this.#listener, batch);
      return;
    }
    this.#held ??= [];
    const held = this.#held;
    if (held.length + batch.length > this.#limit) {
      this.fail(new SubscriberOverflowError(this.#limit));
      return;
    }
    for (const entry of batch) held.push(entry);
    this.#notify();
  }

  /** Ends the subscription at once: the reader gets nothing more. Idempotent. */
  close(): void {
    if (this.#state !== OPEN) return;
    this.#state = CLOSED;
    this.#held = undefined;
    this.#next = 0;
    this.#finish();
  }

  /** Ends the subscription with `error`, after the entries it holds. */
  fail(error: Error): void {
    if (this.#state !== OPEN) return;
    this.#state = FAILED;
    this.#error = error;
    this.#finish();
  }

  /** Pushes what is held to `listener` at once, then each batch as it comes; tells it when the queue ends. */
  listen(listener: EntryListener): void {
    if (this.#listener) throw new Error('This subscription already has a listener; listen once.');
    const held = this.#held?.slice(this.#next);
    this.#held = undefined;
    this.#next = 0;
    if (held && held.length > 0) this.#push(listener, held);
    if (this.#state === OPEN) this.#listener = listener;
    else listener.ended(this.#error);
  }

  /**
   * Hands a batch to the listener. One that throws fails its own subscription (it is told so through `ended`),
   * and never the log's fan-out: the other subscribers of the topic still get the batch.
   */
  #push(listener: EntryListener, batch: readonly LogEntry[]): void {
    try {
      listener.entries(batch);
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #finish(): void {
    this.#onEnd?.(this);
    this.#notify();
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.ended(this.#error);
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<LogEntry> {
    for (;;) {
      const held = this.#held;
      if (held && this.#next < held.length) {
        const entry = held[this.#next++]!;
        if (this.#next === held.length) {
          held.length = 0;
          this.#next = 0;
        }
        yield entry;
        continue;
      }
      if (this.#state === FAILED) throw this.#error;
      if (this.#state === CLOSED) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }
}
