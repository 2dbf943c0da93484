import type { Middleware } from 'koa';
import { TooManyRequestsProblem } from '../errors/index.js';
import type { Metrics } from '../metrics/metrics.js';
import { TokenBuckets } from './TokenBuckets.js';

/** Stream paths: capped by concurrent streams instead (see `OpenStreams`). */
const STREAM_PATH = /\/stream\/?$/;

/** Whether a request is a REST call of the API, which the rate limit counts. */
const isRest = (method: string, path: string): boolean =>
  path.startsWith('/v1/') && !(method === 'GET' && STREAM_PATH.test(path)) && method !== 'OPTIONS';

/**
 * Limits the REST calls of each client (its IP address) to `perMinute`, as a token bucket: a burst of up to
 * `perMinute`, refilled evenly over the minute. Beyond it: 429 problem+json with `Retry-After` (seconds until
 * the next token). Stream requests, CORS preflights, health, readiness, metrics and documents are not
 * counted. `perMinute` 0 turns it off.
 */
export function rateLimit(options: { perMinute: number; metrics?: Metrics | undefined }): Middleware {
  if (options.perMinute === 0) return (_ctx, next) => next();
  const buckets = new TokenBuckets(options.perMinute, 60_000);
  return (ctx, next) => {
    if (!isRest(ctx.method, ctx.path)) return next();
    const waitMs = buckets.take(ctx.ip, performance.now());
    if (waitMs === 0) return next();
    options.metrics?.rateLimited.inc();
    throw new TooManyRequestsProblem(
      `This client sent more than ${options.perMinute} requests in a minute (RATE_LIMIT_PER_MINUTE); ` +
        'retry after the Retry-After delay.',
      waitMs / 1000,
    );
  };
}
