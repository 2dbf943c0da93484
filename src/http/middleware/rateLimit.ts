import type { Middleware } from 'koa';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
import { TooManyRequestsProblem } from '../errors/index.js';
import type { Metrics } from '../metrics/metrics.js';

/** Stream paths: capped by concurrent streams instead (see `OpenStreams`). */
const STREAM_PATH = /\/stream\/?$/;

/** Whether a request is a REST call of the API, which the rate limit counts. */
const isRest = (method: string, path: string): boolean =>
  path.startsWith('/v1/') && !(method === 'GET' && STREAM_PATH.test(path)) && method !== 'OPTIONS';

/** What the middleware needs of a `rate-limiter-flexible` limiter (memory, or Redis shared by all instances). */
export type RequestLimiter = Pick<RateLimiterAbstract, 'consume'>;

export interface RateLimitOptions {
  /** REST requests of one client per minute; 0 turns the limit off. */
  readonly perMinute: number;
  /** Counts the requests; default: this process's own memory (see `rateLimiterFor`). */
  readonly limiter?: RequestLimiter | undefined;
  readonly metrics?: Metrics | undefined;
  /** Told when the limiter fails (its store is unreachable); the request is let through. */
  readonly onError?: ((error: Error) => void) | undefined;
}

/** A limiter of this process only: `perMinute` points per client in each one-minute window. */
export const memoryRateLimiter = (perMinute: number): RequestLimiter =>
  new RateLimiterMemory({ points: perMinute, duration: 60 });

/**
 * Limits the REST calls of each client (`ctx.ip`: its address, or the one a trusted proxy forwarded) to
 * `perMinute` in each one-minute window that the client's first call opens (`rate-limiter-flexible`). Beyond
 * it: 429 problem+json with `Retry-After` (seconds until the window ends). Stream requests, CORS preflights,
 * health, readiness, metrics and documents are not counted. A limiter that fails lets the request through.
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  if (options.perMinute === 0) return (_ctx, next) => next();
  const limiter = options.limiter ?? memoryRateLimiter(options.perMinute);
  return async (ctx, next) => {
    if (!isRest(ctx.method, ctx.path)) return next();
    const refused = await refusal(limiter, ctx.ip, options.onError);
    if (refused === undefined) return next();
    options.metrics?.rateLimited.inc();
    throw new TooManyRequestsProblem(
      `This client sent more than ${options.perMinute} requests in a minute (RATE_LIMIT_PER_MINUTE); ` +
        'retry after the Retry-After delay.',
      refused.msBeforeNext / 1000,
    );
  };
}

/** The limiter's refusal of one more request of `key`, or undefined when it is allowed. */
async function refusal(
  limiter: RequestLimiter,
  key: string,
  onError: ((error: Error) => void) | undefined,
): Promise<RateLimiterRes | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (outcome) {
    // The library rejects with a RateLimiterRes when the key is over its points, and with an Error when its
    // store failed. A store fault must not refuse every client (or answer 5xx): the request goes through.
    if (!(outcome instanceof Error)) return outcome as RateLimiterRes;
    onError?.(outcome);
    return undefined;
  }
}
