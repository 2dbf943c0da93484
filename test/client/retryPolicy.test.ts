import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY,
  mayRetry,
  retryDelay,
  takesIdempotencyKey,
} from '../../packages/client/src/retryPolicy.js';

const answer = (status: number, headers: Record<string, string> = {}) =>
  new Response(null, { status, headers });
const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 5000 };

describe('client retry policy', () => {
  it('knows the writes the contract gives an Idempotency-Key, by method and path template', () => {
    expect(takesIdempotencyKey('POST', '/v1/orders')).toBe(true);
    expect(takesIdempotencyKey('post', '/v1/orders/{orderId}/cancel')).toBe(true);
    expect(takesIdempotencyKey('PATCH', '/v1/inventory/{petId}')).toBe(true);
    expect(takesIdempotencyKey('PUT', '/v1/users/{userId}/preferences')).toBe(false);
    expect(takesIdempotencyKey('POST', '/v1/chat/completions')).toBe(false);
    expect(takesIdempotencyKey('GET', '/v1/orders')).toBe(false);
  });

  it('retries idempotent methods, and other writes only with a key', () => {
    expect(mayRetry('GET', new Headers())).toBe(true);
    expect(mayRetry('PUT', new Headers())).toBe(true);
    expect(mayRetry('POST', new Headers())).toBe(false);
    expect(mayRetry('POST', new Headers({ 'Idempotency-Key': 'k' }))).toBe(true);
  });

  it('waits Retry-After (seconds or a date) plus at most 10 % jitter after a 503', () => {
    const seconds = retryDelay(policy, 0, answer(503, { 'retry-after': '2' }))!;
    expect(seconds).toBeGreaterThanOrEqual(2000);
    expect(seconds).toBeLessThanOrEqual(2200);
    const date = retryDelay(
      policy,
      0,
      answer(503, { 'retry-after': new Date(Date.now() + 3000).toUTCString() }),
    )!;
    expect(date).toBeGreaterThan(1000);
    expect(date).toBeLessThanOrEqual(3300);
  });

  it('backs off from baseDelayMs, doubling per retry, without a Retry-After and after a network failure', () => {
    for (const [retry, base] of [
      [0, 100],
      [1, 200],
      [2, 400],
    ] as const) {
      const delay = retryDelay(policy, retry)!;
      expect(delay).toBeGreaterThanOrEqual(base);
      expect(delay).toBeLessThanOrEqual(base * 1.1);
      expect(retryDelay(policy, retry, answer(503))).toBeGreaterThanOrEqual(base);
    }
  });

  it('stops after its retries, past maxDelayMs, and for answers that a retry would not change', () => {
    expect(retryDelay(policy, 3)).toBeUndefined();
    expect(retryDelay(policy, 0, answer(503, { 'retry-after': '6' }))).toBeUndefined();
    expect(retryDelay(policy, 0, answer(500))).toBeUndefined();
    expect(retryDelay(policy, 0, answer(409))).toBeUndefined();
    expect(retryDelay(policy, 0, answer(429))).toBeUndefined();
    expect(retryDelay(policy, 0, answer(409, { 'retry-after': '1' }))).toBeGreaterThanOrEqual(1000);
    expect(retryDelay(policy, 0, answer(429, { 'retry-after': '1' }))).toBeGreaterThanOrEqual(1000);
    expect(retryDelay(policy, 0, answer(201))).toBeUndefined();
    expect(retryDelay({ ...DEFAULT_RETRY, retries: 0 }, 0, answer(503))).toBeUndefined();
  });
});
