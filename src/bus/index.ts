export { EventLogGapError } from './EventLogGapError.js';
export { EventLogUnavailableError } from './EventLogUnavailableError.js';
export type { EntryListener, History, LiveLog, LogEntry, Subscription } from './LiveLog.js';
export { createMemoryLiveLog, type MemoryLiveLogOptions } from './memoryLiveLog.js';
export { createRedisLiveLog, type RedisLiveLog, type RedisLiveLogOptions } from './redis/redisLiveLog.js';
export { SubscriberOverflowError, SubscriberQueue } from './SubscriberQueue.js';
