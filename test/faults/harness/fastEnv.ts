import { TEST_JWT_SECRET } from '../../helpers/accessTokens.js';

/**
 * The environment every instance of the fault suite runs with: every delay that a fault makes the server wait
 * on is short, so a scenario takes seconds; rate limits are off (the bursts would hit them); every instance
 * shares one signing key, so a token works on all of them.
 */
export const FAST_ENV: Record<string, string> = {
  ORDER_STEP_MS: '200',
  SSE_RETRY_MS: '100',
  SSE_RETRY_MIN_MS: '0', // a short retry, allowed for tests only
  SSE_RETRY_JITTER_PERCENT: '0',
  SSE_HEARTBEAT_MS: '500',
  EVENT_LOG_SIZE: '100000', // nothing a scenario writes is pruned: every loss is the server's
  EVENT_RELAY_SWEEP_MS: '200',
  EVENT_REDIS_TIMEOUT_MS: '300',
  EVENT_REDIS_OUTAGE_MS: '600',
  RATE_LIMIT_PER_MINUTE: '0',
  MAX_STREAMS_PER_CLIENT: '10000',
  SHUTDOWN_SPREAD_MS: '0',
  SHUTDOWN_TIMEOUT_MS: '2000',
  AUTH_JWT_SECRET: TEST_JWT_SECRET,
  // One process per instance: a scenario kills and counts instances, not the workers of one.
  WORKERS: '1',
};
