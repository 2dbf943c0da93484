/** One event as the log holds it: the SSE id is the log id. */
export interface LogEntry {
  id: string;
  event: string;
  /** The payload, already validated by whoever appended it. */
  data: unknown;
}

/** How a subscription starts relative to the id it resumes after. */
export type ResumeOutcome =
  | { kind: 'live' }
  | { kind: 'replayed'; count: number }
  /** The id is unknown or no longer held: the missed events cannot be replayed. `headId` is the newest id held. */
  | { kind: 'reset'; reason: 'unknown_id' | 'expired_id'; headId: string };

/** Receives a subscription's entries as they come (see {@link Subscription.listen}). */
export interface EntryListener {
  /** Entries that came together (appended in one turn, or read in one round trip), in order; synchronous. */
  entries(batch: readonly LogEntry[]): void;
  /** The subscription ended for good: closed (no error), or failed (it fell behind, or the log lost entries). */
  ended(error?: Error): void;
}

export interface Subscription {
  resume: ResumeOutcome;
  /**
   * Pull: replayed entries first, then live ones, each exactly once and in append order; ends when the
   * subscription is closed, or throws the error it failed with after the entries it still holds.
   */
  entries: AsyncIterable<LogEntry>;
  /**
   * Push: the replayed entries and any live ones already there at once (synchronously), then each live batch as
   * it comes, each entry exactly once and in append order. The same batch array goes to every listener of a
   * topic, so what is made of it can be shared. Use either `entries` or `listen`, once.
   */
  listen(listener: EntryListener): void;
  /** Ends the subscription, as aborting its signal does. Idempotent. */
  close(): void;
}

/**
 * The event log port: an append-only, bounded, per-topic log that every stream reads through, so a client can
 * resume with Last-Event-ID. Adapters: in memory (default) and Redis Streams.
 */
export interface EventLog {
  append(topic: string, event: string, data: unknown): Promise<string>;
  /**
   * Entries after `afterId` (or only new ones when it is undefined), then live entries until the subscription is
   * closed or `signal` aborts.
   */
  subscribe(
    topic: string,
    options: { afterId?: string | undefined; signal?: AbortSignal | undefined },
  ): Promise<Subscription>;
  /** Every entry a topic still holds, oldest first (no live entries). */
  read(topic: string): Promise<LogEntry[]>;
  /** The newest id of a topic, or undefined when nothing was appended. */
  head(topic: string): Promise<string | undefined>;
  close(): Promise<void>;
}
