export { createEventLog, type EventLog, type EventLogParts, type Publish } from './EventLog.js';
export { type LogFeed, type LogFeedOptions, openLogFeed, parseLogId } from './logFeed.js';
export {
  decideResume,
  type HistoryState,
  type ResetReason,
  type ResumeCursor,
  type ResumeDecision,
  resetMessage,
  resumeOutcome,
} from './resume.js';
export {
  INVENTORY_TOPIC,
  type InventoryChanges,
  LIVE_TOPIC_PREFIXES,
  type OrderStatusChanges,
  orderTopic,
  type Publication,
  type RecommendationRunEvents,
  recommendationRunTopic,
  type Topic,
} from './topics.js';
