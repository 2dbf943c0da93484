/**
 * Ends a live subscription whose stream has a hole that the database no longer fills (the events were pruned
 * before this process could carry them). Resume with Last-Event-ID: the log then answers `reset`, so the
 * client learns of the gap instead of silently missing events.
 */
export class EventLogGapError extends Error {
  readonly code = 'event_log_gap';
  constructor(topic: string, after: number) {
    super(
      `events of ${topic} after position ${after} are no longer held; resume with Last-Event-ID to be told of the gap`,
    );
    this.name = 'EventLogGapError';
  }
}
