import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SharedStreamCap } from '../../http/sse/index.js';

/**
 * Takes a slot if the client holds fewer than ARGV[1] live leases. A client's leases are one sorted set, each
 * member a stream, scored by when it expires (Redis's clock, so the instances' clocks do not matter); expired
 * members are dropped first. KEYS[1]: the client's set. ARGV: cap, lease ms, member. Reply: 1 taken, 0 refused.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/**
 * Extends the leases of streams still open, adding back any that expired or were lost (a Redis restarted
 * empty, an outage longer than a lease): the set counts what is open. KEYS[1]: the client's set. ARGV: lease
 * ms, then the members.
 */
const RENEW = `
local t = redis.call('TIME')
local expires = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], expires, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

interface WithLeaseScripts {
  petstoreAcquireLease(key: string, cap: number, leaseMs: number, member: string): Promise<number>;
  petstoreRenewLeases(key: string, leaseMs: number, ...members: string[]): Promise<number>;
}

export interface RedisStreamLeasesOptions {
  /** A connection that fails fast (see `openRedisConnection`). */
  readonly redis: Redis;
  /** Namespaces the keys, e.g. `petstore:`. */
  readonly keyPrefix: string;
  /** Streams one client may hold across all instances (MAX_STREAMS_PER_CLIENT). */
  readonly maxPerClient: number;
  /** How long a lease lives unless renewed (STREAM_LEASE_MS); renewed every third of it. */
  readonly leaseMs: number;
  /** Told of every Redis fault (the caller throttles); the cap then falls back as `SharedStreamCap` says. */
  readonly onError: (error: unknown) => void;
}

/**
 * The per-client stream cap shared by the instances, as expiring leases in Redis: a stream's lease is taken
 * before it opens, renewed by its instance while it lives and removed when it closes. An instance that dies
 * stops renewing, so its leases lapse within `leaseMs`: no slot leaks. When Redis cannot be reached the slot is
 * granted (the instance's own cap still holds) and kept in the renewals, so Redis counts it once it is back.
 */
export class RedisStreamLeases implements SharedStreamCap {
  readonly #options: RedisStreamLeasesOptions;
  readonly #redis: Redis & WithLeaseScripts;
  /** The leases this instance holds: client → slot numbers (its Redis member is `<instance>:<slot>`). */
  readonly #held = new Map<string, Set<number>>();
  readonly #instance = randomUUID();
  readonly #timer: NodeJS.Timeout;
  #next = 0;

  constructor(options: RedisStreamLeasesOptions) {
    this.#options = options;
    options.redis.defineCommand('petstoreAcquireLease', { numberOfKeys: 1, lua: ACQUIRE });
    options.redis.defineCommand('petstoreRenewLeases', { numberOfKeys: 1, lua: RENEW });
    this.#redis = options.redis as Redis & WithLeaseScripts;
    this.#timer = setInterval(() => void this.#renew(), Math.max(100, Math.floor(options.leaseMs / 3)));
    this.#timer.unref();
  }

  /** Leases this instance holds now. */
  get size(): number {
    let size = 0;
    for (const members of this.#held.values()) size += members.size;
    return size;
  }

  async acquire(client: string): Promise<number | 'client_limit'> {
    this.#next += 1;
    const slot = this.#next;
    const { maxPerClient, leaseMs } = this.#options;
    try {
      const taken = await this.#redis.petstoreAcquireLease(
        this.#key(client),
        maxPerClient,
        leaseMs,
        this.#member(slot),
      );
      if (taken !== 1) return 'client_limit';
    } catch (error) {
      this.#options.onError(error);
    }
    const slots = this.#held.get(client) ?? new Set<number>();
    slots.add(slot);
    this.#held.set(client, slots);
    return slot;
  }

  /** Removes a lease here and in Redis (where it would otherwise lapse on its own). */
  release(client: string, slot: number): void {
    const slots = this.#held.get(client);
    if (!slots?.delete(slot)) return;
    if (slots.size === 0) this.#held.delete(client);
    this.#redis.zrem(this.#key(client), this.#member(slot)).catch(this.#options.onError);
  }

  /** Stops renewing and gives back every lease still held. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    const pipeline = this.#redis.pipeline();
    for (const [client, slots] of this.#held)
      pipeline.zrem(this.#key(client), ...[...slots].map((slot) => this.#member(slot)));
    this.#held.clear();
    // Unreachable Redis: the leases lapse within leaseMs, as an instance that died leaves them.
    await pipeline.exec().catch(() => undefined);
  }

  async #renew(): Promise<void> {
    if (this.#held.size === 0) return;
    const pipeline = this.#redis.pipeline() as ReturnType<Redis['pipeline']> & {
      petstoreRenewLeases(key: string, leaseMs: number, ...members: string[]): unknown;
    };
    for (const [client, slots] of this.#held) {
      const members = [...slots].map((slot) => this.#member(slot));
      pipeline.petstoreRenewLeases(this.#key(client), this.#options.leaseMs, ...members);
    }
    try {
      const replies = (await pipeline.exec()) ?? [];
      const failed = replies.find(([error]) => error);
      if (failed) this.#options.onError(failed[0]);
    } catch (error) {
      this.#options.onError(error);
    }
  }

  /** A slot's member in its client's sorted set: unique across instances. */
  #member(slot: number): string {
    return `${this.#instance}:${slot}`;
  }

  #key(client: string): string {
    return `${this.#options.keyPrefix}streams:${client}`;
  }
}
