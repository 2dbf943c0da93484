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

export interface Subscription {
  resume: ResumeOutcome;
  /** Replayed entries first, then live ones, each exactly once and in append order; ends when the signal aborts. */
  entries: AsyncIterable<LogEntry>;
}

/**
 * The event log port: an append-only, bounded, per-topic log that every stream reads through, so a client can
 * resume with Last-Event-ID. Adapters: in memory (default) and Redis Streams.
 */
export interface EventLog {
  append(topic: string, event: string, data: unknown): Promise<string>;
  /** Entries after `afterId` (or only new ones when it is undefined), then live entries until `signal` aborts. */
  subscribe(
    topic: string,
    options: { afterId?: string | undefined; signal: AbortSignal },
  ): Promise<Subscription>;
  /** Every entry a topic still holds, oldest first (no live entries). */
  read(topic: string): Promise<LogEntry[]>;
  /** The newest id of a topic, or undefined when nothing was appended. */
  head(topic: string): Promise<string | undefined>;
  close(): Promise<void>;
}
