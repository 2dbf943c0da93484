import { idempotentWrites } from '../../../generated/idempotentWrites.js';

/** How REST calls are retried. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  retries?: number;
  /** The first backoff without a `Retry-After`, in ms; doubled per retry, with jitter. Default 250. */
  baseDelayMs?: number;
  /** The longest wait; an answer asking for longer (`Retry-After`) is returned instead. Default 10 000. */
  maxDelayMs?: number;
}

/** The retry settings once defaults are applied. */
export type RetryPolicy = Required<RetryOptions>;

/** The default {@link RetryOptions}. */
export const DEFAULT_RETRY: RetryPolicy = { retries: 2, baseDelayMs: 250, maxDelayMs: 10_000 };

/** Methods that RFC 9110 defines as idempotent: repeating them has the effect of sending them once. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

const WRITES = new Set(Object.values(idempotentWrites).map(({ method, path }) => `${method} ${path}`));

/** Whether `method path` (a path template of the contract) takes an `Idempotency-Key`. */
export function takesIdempotencyKey(method: string, path: string): boolean {
  return WRITES.has(`${method.toUpperCase()} ${path}`);
}

/** Whether a request may be sent again: an idempotent method, or a write that carries an `Idempotency-Key`. */
export function mayRetry(method: string, headers: Headers): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase()) || headers.has('idempotency-key');
}

/** `Retry-After` in ms (delay-seconds or an HTTP date), or `undefined` when absent or unreadable. */
function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * How long to wait before retrying after `response` (or, with none, a network failure) on retry number
 * `retry` (0 first); `undefined` when it should not be retried. Retried: `503`, and `429` or `409` (an
 * `Idempotency-Key` still in flight) when they carry `Retry-After`. The wait is `Retry-After` when given,
 * else `baseDelayMs` doubled per retry; plus up to 10 % (at most 1 s) of jitter, so that clients refused
 * together do not return together; past `maxDelayMs`, no retry.
 */
export function retryDelay(policy: RetryPolicy, retry: number, response?: Response): number | undefined {
  if (retry >= policy.retries) return undefined;
  const asked = response ? retryAfterMs(response) : undefined;
  if (
    response &&
    response.status !== 503 &&
    !((response.status === 429 || response.status === 409) && asked !== undefined)
  )
    return undefined;
  const base = asked ?? policy.baseDelayMs * 2 ** retry;
  if (base > policy.maxDelayMs) return undefined;
  return Math.min(base + Math.random() * Math.min(base * 0.1, 1000), policy.maxDelayMs);
}
