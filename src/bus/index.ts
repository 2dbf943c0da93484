export type { EntryListener, EventLog, LogEntry, ResumeOutcome, Subscription } from './EventLog.js';
export { EventLogGapError } from './EventLogGapError.js';
export { EventLogUnavailableError } from './EventLogUnavailableError.js';
export { createMemoryEventLog, type MemoryEventLog } from './memoryEventLog.js';
export { createRedisEventLog, type RedisEventLog, type RedisEventLogOptions } from './redisEventLog.js';
export { SubscriberOverflowError } from './SubscriberQueue.js';
