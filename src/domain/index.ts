export { DomainError, type DomainErrorCode, notFound } from './DomainError.js';
export { createEventLog, type EventLog, type EventLogParts } from './events/index.js';
export {
  CommitOutcomeUnknownError,
  EventLogGapError,
  EventLogUnavailableError,
  StoreError,
  type StoreErrorCode,
  StoreUnavailableError,
  SubscriberOverflowError,
} from './faults.js';
export { createServices, DEFAULT_STREAM_TICKET_TTL_SECONDS, type Services } from './services.js';
