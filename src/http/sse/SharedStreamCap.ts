/** A slot of the shared per-client cap, held while its stream is open. */
export interface StreamLease {
  /** Gives the slot back (idempotent). */
  release(): void;
}

/**
 * The per-client stream cap shared by every instance (with REDIS_URL; see `RedisStreamLeases`). It never
 * rejects: when its store cannot be reached it grants the slot, and the instance's own cap
 * (`OpenStreams`, MAX_STREAMS_PER_CLIENT per instance) is what holds.
 */
export interface SharedStreamCap {
  /** Takes a slot for one more stream of `client`, or says the client holds as many as it may. */
  acquire(client: string): Promise<StreamLease | 'client_limit'>;
}
