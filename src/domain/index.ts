export { DomainError, type DomainErrorCode, notFound } from './DomainError.js';
export {
  EventLogGapError,
  EventLogUnavailableError,
  type ResumeOutcome,
  StoreError,
  type StoreErrorCode,
  SubscriberOverflowError,
} from './faults.js';
export { createServices, DEFAULT_STREAM_TICKET_TTL_SECONDS, type Services } from './services.js';
