/**
 * Thrown by a Redis-backed event log when Redis did not answer in time (down, restarting or unreachable). The
 * operation may be retried later; for an `append` it is unknown whether the entry was stored.
 */
export class EventLogUnavailableError extends Error {
  readonly code = 'event_log_unavailable';
  constructor(operation: string, cause?: unknown) {
    const reason = cause instanceof Error ? `: ${cause.message}` : '';
    super(`event log unavailable: ${operation} could not reach Redis in time${reason}; retry later`, {
      cause,
    });
    this.name = 'EventLogUnavailableError';
  }
}
