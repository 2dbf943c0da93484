export type { EventLog, LogEntry, ResumeOutcome, Subscription } from './EventLog.js';
export { createMemoryEventLog, type MemoryEventLog } from './memoryEventLog.js';
export { SubscriberOverflowError } from './SubscriberQueue.js';
