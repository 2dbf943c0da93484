/**
 * Thrown when the live transport (Redis) did not answer in time (down, restarting, frozen or unreachable), and
 * used to end the subscriptions of a process cut off from it. Nothing committed is lost: streams resume with
 * Last-Event-ID, and committed events are carried once it is back.
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
