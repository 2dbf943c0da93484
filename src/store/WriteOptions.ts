/**
 * When a write happens. Callers that publish an event about the write pass the same `now` they put in the
 * event, so the stored `updatedAt` and the event's `timestamp` agree.
 */
export interface WriteOptions {
  /** The time to record. Default: `new Date()`. */
  now?: Date | undefined;
}
