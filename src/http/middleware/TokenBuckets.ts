interface Bucket {
  tokens: number;
  /** When `tokens` was last computed, in the caller's clock (ms). */
  at: number;
}

/**
 * One token bucket per key (a client's IP address): each holds up to `capacity` tokens and gains
 * `capacity` every `periodMs`; a request takes one. Buckets that are full again are forgotten, so memory is
 * bounded by the clients active within one period.
 */
export class TokenBuckets {
  readonly #capacity: number;
  readonly #perMs: number;
  readonly #periodMs: number;
  readonly #buckets = new Map<string, Bucket>();
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor(capacity: number, periodMs: number) {
    if (!(capacity > 0) || !(periodMs > 0)) {
      throw new RangeError(
        `TokenBuckets needs a positive capacity and period, got ${capacity} per ${periodMs} ms.`,
      );
    }
    this.#capacity = capacity;
    this.#periodMs = periodMs;
    this.#perMs = capacity / periodMs;
  }

  /** Keys with a bucket that is not full. */
  get size(): number {
    return this.#buckets.size;
  }

  /**
   * Takes a token from `key`'s bucket at time `now` (ms, monotonic).
   * @returns 0 if a token was taken, else the milliseconds until the bucket holds one.
   */
  take(key: string, now: number): number {
    this.#sweep(now);
    const bucket = this.#buckets.get(key);
    const tokens = bucket ? this.#refilled(bucket, now) : this.#capacity;
    if (tokens >= 1) {
      this.#buckets.set(key, { tokens: tokens - 1, at: now });
      return 0;
    }
    this.#buckets.set(key, { tokens, at: now });
    return (1 - tokens) / this.#perMs;
  }

  #refilled(bucket: Bucket, now: number): number {
    return Math.min(this.#capacity, bucket.tokens + Math.max(0, now - bucket.at) * this.#perMs);
  }

  /** At most once a period, forgets every bucket that has refilled. */
  #sweep(now: number): void {
    if (now - this.#sweptAt < this.#periodMs) return;
    this.#sweptAt = now;
    for (const [key, bucket] of this.#buckets) {
      if (this.#refilled(bucket, now) >= this.#capacity) this.#buckets.delete(key);
    }
  }
}
