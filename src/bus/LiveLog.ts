/** One event as the live log carries it: its SSE id, its position in its stream (1, 2, …), name and payload. */
export interface LogEntry {
  id: string;
  seq: number;
  event: string;
  /** The payload, validated by whoever wrote it. */
  data: unknown;
}

/** Receives a subscription's entries as they come (see {@link Subscription.listen}). */
export interface EntryListener {
  /** Entries that came together, in position order; synchronous. */
  entries(batch: readonly LogEntry[]): void;
  /** The subscription ended for good: closed (no error), or failed (it fell behind, or the transport failed). */
  ended(error?: Error): void;
}

export interface Subscription {
  /**
   * Pull: each entry exactly once and in position order; ends when the subscription is closed, or throws the
   * error it failed with after the entries it still holds.
   */
  entries: AsyncIterable<LogEntry>;
  /**
   * Push: the entries already there at once (synchronously), then each batch as it comes. The same batch array
   * goes to every listener of a topic, so what is made of it can be shared. Use either `entries` or `listen`.
   */
  listen(listener: EntryListener): void;
  /** Ends the subscription. Idempotent. */
  close(): void;
}

/**
 * Reads committed events of a stream from the database: those after position `after`, up to `upTo`
 * (inclusive) when given, oldest first. The live log fills a hole in what it received with it.
 */
export type History = (topic: string, after: number, upTo: number | undefined) => Promise<LogEntry[]>;

/**
 * The live half of the event log: it carries committed events from the process that committed them to every
 * process that streams them. Positions are assigned by the database (contiguous, in commit order); the live
 * log delivers them to each follower exactly once and in that order, filling any hole from the database
 * ({@link History}). Adapters: in process (the embedded default) and Redis Streams.
 */
export interface LiveLog {
  /**
   * Hands committed entries of one topic to the followers, in any order and any number of times: a position
   * already carried is ignored. Rejects with EventLogUnavailableError when the transport cannot take them now
   * (they are committed: a later publish or the relay's sweep carries them).
   */
  publish(topic: string, entries: readonly LogEntry[]): Promise<void>;
  /**
   * Follows a topic from just after position `after` (which the caller read from the database): every later
   * entry, once, in order, until closed or `signal` aborts. Rejects with EventLogUnavailableError when the
   * transport cannot be reached.
   */
  follow(topic: string, after: number, options?: { signal?: AbortSignal | undefined }): Promise<Subscription>;
  /** How many followers a topic has in this process. */
  readerCount(topic: string): number;
  /**
   * Where a new follower of `topic` may start without reading the database: the newest position handed to the
   * topic's followers in this process, when this adapter keeps it exactly (every committed entry passes
   * through it in order) and the topic has followers; else undefined (read the head from the database).
   */
  position(topic: string): number | undefined;
  close(): Promise<void>;
}
