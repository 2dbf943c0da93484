import {
  type IdempotencyKeyId,
  type IdempotencyRepository,
  runWithWriteClaim,
  type StoredResponse,
} from '../../store/index.js';

/** Seconds a key is kept by default (IDEMPOTENCY_KEY_TTL_SECONDS): a day. */
export const DEFAULT_IDEMPOTENCY_KEY_TTL_SECONDS = 86_400;

/** Seconds an unfinished claim holds by default before another request may take it over. */
export const DEFAULT_IDEMPOTENCY_LEASE_SECONDS = 60;

/** A request with an `Idempotency-Key`: which key, and the fingerprint of the request (see `requestFingerprint`). */
export interface IdempotentRequest extends IdempotencyKeyId {
  fingerprint: string;
}

/**
 * This request holds the key: `run` its write, then `finish` with its answer, or `release` if it failed.
 */
export interface IdempotencyClaim {
  /**
   * Runs the request's write so that every transaction it commits marks the key applied (in the same
   * transaction): once the change committed, the key is never released nor taken over, whatever happens to
   * this process. Rejects with {@link IdempotencyClaimLostError} (nothing committed) if the claim outlived
   * its lease and another request took the key.
   */
  run<T>(write: () => Promise<T>): Promise<T>;
  /** Stores the answer for retries; `false` if the claim was taken over meanwhile (it outlived its lease). */
  finish(response: StoredResponse): Promise<boolean>;
  /**
   * Frees the key, so that a retry runs: for an answer that changed nothing and may differ next time. A key
   * whose write committed stays held.
   */
  release(): Promise<void>;
}

/**
 * What to do with a request that carries a key: `run` it (this request claimed the key), `replay` the
 * stored answer of the first request, or refuse: `reused` (the key came with another request),
 * `in_flight` (the first request with the key has not answered yet) or `answer_lost` (the first request's
 * change committed but its process stopped before its answer was kept: it must not run again).
 */
export type IdempotencyDecision =
  | { kind: 'run'; claim: IdempotencyClaim }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'reused' }
  | { kind: 'in_flight' }
  | { kind: 'answer_lost' };

/** A write whose claim was taken over before it committed (it outlived its lease): nothing was committed. */
export class IdempotencyClaimLostError extends Error {
  constructor() {
    super('The Idempotency-Key was taken over by a retry before this request committed.');
    this.name = 'IdempotencyClaimLostError';
  }
}

/** How often a process deletes the expired keys of every operation, in passing, in ms: 10 minutes. */
const PRUNE_EVERY_MS = 10 * 60_000;

/** Idempotency keys: one execution per key, its answer replayed to every retry while the key is kept. */
export interface IdempotencyService {
  /** Decides what a request with a key gets (see {@link IdempotencyDecision}). */
  begin(request: IdempotentRequest, options?: { now?: Date }): Promise<IdempotencyDecision>;
  /** Deletes the keys expired at `now`; returns how many. */
  prune(options?: { now?: Date }): Promise<number>;
}

/** How long keys and claims last. */
export interface IdempotencyOptions {
  /** Default {@link DEFAULT_IDEMPOTENCY_KEY_TTL_SECONDS}. */
  ttlSeconds?: number | undefined;
  /** Default {@link DEFAULT_IDEMPOTENCY_LEASE_SECONDS}. */
  leaseSeconds?: number | undefined;
}

/** The idempotency keys of `keys`, kept `ttlSeconds`. */
export function createIdempotencyService(
  keys: IdempotencyRepository,
  options: IdempotencyOptions = {},
): IdempotencyService {
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_IDEMPOTENCY_KEY_TTL_SECONDS;
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_IDEMPOTENCY_LEASE_SECONDS;
  let prunedAt = Number.NEGATIVE_INFINITY;
  /** Deletes the expired keys now and then, in the background of a request (a claim deletes its own). */
  const pruneInPassing = (now: Date | undefined): void => {
    const at = (now ?? new Date()).getTime();
    if (at - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = at;
    // Housekeeping only: a key that stays expired is deleted by its next claim, or by the next prune.
    keys.prune({ now }).catch(() => {});
  };
  return {
    async begin({ fingerprint, ...id }, { now } = {}) {
      pruneInPassing(now);
      const result = await keys.claim(id, fingerprint, { now, ttlSeconds, leaseSeconds });
      if (result.claimed) {
        const { claimToken } = result;
        return {
          kind: 'run',
          claim: {
            run: (write) =>
              runWithWriteClaim(
                {
                  async settle(tx) {
                    if (!(await keys.markApplied(tx, id, claimToken))) throw new IdempotencyClaimLostError();
                  },
                },
                write,
              ),
            finish: (response) => keys.complete(id, claimToken, response),
            release: () => keys.release(id, claimToken),
          },
        };
      }
      const { record } = result;
      if (record.fingerprint !== fingerprint) return { kind: 'reused' };
      if (record.state === 'pending') return { kind: 'in_flight' };
      if (record.state === 'applied') return { kind: 'answer_lost' };
      return { kind: 'replay', response: record.response };
    },
    prune: ({ now } = {}) => keys.prune({ now }),
  };
}
