import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
import RateLimiterRedis from 'rate-limiter-flexible/lib/RateLimiterRedis.js';
import { openRedisConnection } from '../../bus/redis/redisConnection.js';
import type { RequestLimiter } from '../../http/middleware/rateLimit.js';
import { RedisStreamLeases } from './RedisStreamLeases.js';

export interface SharedLimitsOptions {
  readonly redisUrl: string;
  /** REDIS_KEY_PREFIX: the keys are `<prefix>rate:<client>` and `<prefix>streams:<client>`. */
  readonly keyPrefix: string;
  /** How long a limit check waits for Redis before it falls back (EVENT_REDIS_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** RATE_LIMIT_PER_MINUTE (0: no rate limiter). */
  readonly perMinute: number;
  readonly maxStreamsPerClient: number;
  readonly streamLeaseMs: number;
  readonly onError: (error: unknown) => void;
}

/** The limits every instance shares through Redis, and how to let go of them. */
export interface SharedLimits {
  readonly rateLimiter: RequestLimiter | undefined;
  readonly streamCap: RedisStreamLeases;
  close(): Promise<void>;
}

/**
 * Opens the limits shared through Redis (imported only with REDIS_URL, as ioredis is): the REST rate limit
 * in `rate-limiter-flexible`'s Redis store and the per-client stream cap as leases (`RedisStreamLeases`), on a
 * connection of their own that fails fast. When Redis cannot answer, each falls back to this instance: the rate
 * limit to the library's in-memory insurance limiter (the same points per minute, counted here only), the
 * stream cap to `MAX_STREAMS_PER_CLIENT` per instance. Limits then hold per instance, never refuse everyone,
 * and never answer 5xx.
 */
export function openSharedLimits(options: SharedLimitsOptions): SharedLimits {
  const redis = openRedisConnection({
    url: options.redisUrl,
    name: 'petstore-limits',
    timeoutMs: options.timeoutMs,
    blocking: false,
    onError: options.onError,
  });
  const points = options.perMinute;
  const rateLimiter =
    points === 0
      ? undefined
      : new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${options.keyPrefix}rate`,
          points,
          duration: 60,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
        });
  const streamCap = new RedisStreamLeases({
    redis,
    keyPrefix: options.keyPrefix,
    maxPerClient: options.maxStreamsPerClient,
    leaseMs: options.streamLeaseMs,
    onError: options.onError,
  });
  return {
    rateLimiter,
    streamCap,
    async close() {
      await streamCap.close();
      redis.disconnect();
    },
  };
}
