/**
 * Ends a live subscription whose stream lost entries the subscriber had not got yet: they were trimmed, or the
 * stream was lost, while the reader was cut off from Redis. Resume with Last-Event-ID: the log then answers
 * `reset`, so the client learns of the gap instead of silently missing events.
 */
export class EventLogGapError extends Error {
  readonly code = 'event_log_gap';
  constructor(topicKey: string, afterId: string) {
    super(
      `entries of ${topicKey} after ${afterId} were lost while the reader was cut off from Redis; ` +
        'resume with Last-Event-ID to be told of the gap',
    );
    this.name = 'EventLogGapError';
  }
}
