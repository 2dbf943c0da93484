/**
 * The per-client stream cap shared by every instance (with REDIS_URL; see `RedisStreamLeases`). It never
 * rejects: when its store cannot be reached it grants the slot, and the instance's own cap
 * (`OpenStreams`, MAX_STREAMS_PER_CLIENT per instance) is what holds. A slot is a number, given back with
 * `release` (no object per stream: a server holds thousands).
 */
export interface SharedStreamCap {
  /** Takes a slot for one more stream of `client`, or says the client holds as many as it may. */
  acquire(client: string): Promise<number | 'client_limit'>;
  /** Gives slot `slot` of `client` back (idempotent). */
  release(client: string, slot: number): void;
}
