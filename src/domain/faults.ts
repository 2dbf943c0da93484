/**
 * The faults of the event log and the store that the layers above the domain answer differently from a bug:
 * an unreachable log (503, or a stream told to retry), a gap in a resumed history or a subscriber that fell
 * too far behind (the client resumes), a refused store operation (404/409). Re-exported here so that http
 * depends on the domain only, never on the bus or the store directly.
 */
export {
  EventLogGapError,
  EventLogUnavailableError,
  type ResumeOutcome,
  SubscriberOverflowError,
} from '../bus/index.js';
export { StoreError, type StoreErrorCode } from '../store/index.js';
