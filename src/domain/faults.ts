/**
 * The faults of the event log and the store that the layers above the domain answer differently from a bug:
 * an unreachable log or database (503, or a stream told to retry), a hole the database no longer fills or a
 * subscriber that fell too far behind (the client resumes), a refused store operation (404/409). Re-exported
 * here so that http depends on the domain only, never on the bus or the store directly.
 */
export { EventLogGapError, EventLogUnavailableError, SubscriberOverflowError } from '../bus/index.js';
export {
  CommitOutcomeUnknownError,
  StoreError,
  type StoreErrorCode,
  StoreUnavailableError,
} from '../store/index.js';
