import type { LogEntry } from './EventLog.js';

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

/**
 * A bounded hand-off from the log to one reader, exposed as an AsyncIterable. Iteration ends when the signal
 * aborts; it throws SubscriberOverflowError when more than `limit` entries wait unread (default 10 000).
 */
export class SubscriberQueue implements AsyncIterable<LogEntry> {
  readonly #items: LogEntry[] = [];
  readonly #limit: number;
  readonly #signal: AbortSignal;
  #wake: (() => void) | undefined;
  #overflowed = false;

  constructor(signal: AbortSignal, limit = 10_000) {
    this.#signal = signal;
    this.#limit = limit;
    signal.addEventListener('abort', () => this.#notify(), { once: true });
  }

  push(entry: LogEntry): void {
    if (this.#signal.aborted || this.#overflowed) return;
    if (this.#items.length >= this.#limit) this.#overflowed = true;
    else this.#items.push(entry);
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<LogEntry> {
    let index = 0;
    while (!this.#signal.aborted) {
      if (index < this.#items.length) {
        yield this.#items[index++]!;
        if (index === this.#items.length) {
          this.#items.length = 0;
          index = 0;
        }
        continue;
      }
      if (this.#overflowed) throw new SubscriberOverflowError(this.#limit);
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }
}
