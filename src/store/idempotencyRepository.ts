import { randomUUID } from 'node:crypto';
import type { Db } from './Db.js';

/** Which key: the client's `Idempotency-Key` within one operation and one principal ('' for none). */
export interface IdempotencyKeyId {
  operationId: string;
  principal: string;
  key: string;
}

/** A stored answer: its status, the headers kept with it (lower-case names) and its body, as sent. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * What a key holds when another request claimed it first: `pending` (running, or its process died before
 * its write committed), `applied` (its write committed, its answer was never stored and its lease ran out:
 * it must not run again), or `complete` with the answer.
 */
export type IdempotencyRecord =
  | { state: 'pending'; fingerprint: string }
  | { state: 'applied'; fingerprint: string }
  | { state: 'complete'; fingerprint: string; response: StoredResponse };

/** The outcome of a claim: this request runs (and holds `claimToken`), or the key is already held. */
export type ClaimResult =
  | { claimed: true; claimToken: string }
  | { claimed: false; record: IdempotencyRecord };

/** How long a claim lasts. */
export interface ClaimOptions {
  /** Default: `new Date()`. */
  now?: Date | undefined;
  /** Seconds the key (and its answer) is kept from now. */
  ttlSeconds: number;
  /** Seconds a `pending` claim holds before another request may take it over (its process died). */
  leaseSeconds: number;
}

/** Idempotency keys, shared by every instance on one database. */
export interface IdempotencyRepository {
  /**
   * Claims `id` for a request whose fingerprint is `fingerprint`. Of concurrent claims, on any number of
   * processes, exactly one gets `claimed: true`; the others get the record as it stands. An expired key, or a
   * `pending` one whose lease ran out, is deleted first and claimed anew.
   */
  claim(id: IdempotencyKeyId, fingerprint: string, options: ClaimOptions): Promise<ClaimResult>;
  /**
   * Marks the claim's write applied, inside the transaction `tx` of that write (so the mark commits with
   * it); `false` if the claim was lost meanwhile (then the write must roll back).
   */
  markApplied(
    tx: Db,
    id: IdempotencyKeyId,
    claimToken: string,
    options?: { now?: Date | undefined },
  ): Promise<boolean>;
  /** Stores the answer of a claim and marks the key `complete`; `false` if the claim was lost meanwhile. */
  complete(id: IdempotencyKeyId, claimToken: string, response: StoredResponse): Promise<boolean>;
  /**
   * Gives a `pending` claim up (the request failed, nothing was done): the next request with the key runs.
   * A claim whose write was applied is kept.
   */
  release(id: IdempotencyKeyId, claimToken: string): Promise<void>;
  /** Deletes every key expired at `now`; returns how many. */
  prune(options?: { now?: Date | undefined }): Promise<number>;
}

interface KeyRow {
  state: 'pending' | 'complete';
  /** The claim's write committed and its lease ran out: nothing will store its answer any more. */
  orphaned: boolean;
  fingerprint: string;
  response_status: number | null;
  response_headers: string | null;
  response_body: string | null;
}

const WHERE_KEY = 'operation_id = $1 AND principal = $2 AND idempotency_key = $3';

function recordOf(row: KeyRow): IdempotencyRecord {
  if (row.state === 'pending')
    return { state: row.orphaned ? 'applied' : 'pending', fingerprint: row.fingerprint };
  return {
    state: 'complete',
    fingerprint: row.fingerprint,
    response: {
      status: Number(row.response_status),
      headers: JSON.parse(row.response_headers ?? '{}') as Record<string, string>,
      body: row.response_body ?? '',
    },
  };
}

/** Idempotency keys over a {@link Db} (the same SQL on PGlite and Postgres). */
export function createIdempotencyRepository(db: Db): IdempotencyRepository {
  const keyParams = (id: IdempotencyKeyId) => [id.operationId, id.principal, id.key];

  async function tryClaim(
    id: IdempotencyKeyId,
    fingerprint: string,
    { now = new Date(), ttlSeconds, leaseSeconds }: ClaimOptions,
  ): Promise<ClaimResult | undefined> {
    const at = now.toISOString();
    await db.query(
      `DELETE FROM idempotency_keys WHERE ${WHERE_KEY}
         AND (expires_at <= $4 OR (state = 'pending' AND applied_at IS NULL AND lease_expires_at <= $4))`,
      [...keyParams(id), at],
    );
    const claimToken = randomUUID();
    const inserted = await db.query(
      `INSERT INTO idempotency_keys (operation_id, principal, idempotency_key, fingerprint, claim_token, state,
         created_at, lease_expires_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8)
       ON CONFLICT (operation_id, principal, idempotency_key) DO NOTHING
       RETURNING claim_token`,
      [
        ...keyParams(id),
        fingerprint,
        claimToken,
        at,
        new Date(now.getTime() + leaseSeconds * 1000).toISOString(),
        new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
      ],
    );
    if (inserted.length > 0) return { claimed: true, claimToken };
    const [row] = await db.query<KeyRow>(
      `SELECT state, fingerprint, response_status, response_headers, response_body,
              (applied_at IS NOT NULL AND lease_expires_at <= $4) AS orphaned
         FROM idempotency_keys WHERE ${WHERE_KEY}`,
      [...keyParams(id), at],
    );
    // Released or pruned between the insert and the read: claim again.
    return row ? { claimed: false, record: recordOf(row) } : undefined;
  }

  return {
    async claim(id, fingerprint, options) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const result = await tryClaim(id, fingerprint, options);
        if (result) return result;
      }
      // Five claims in a row each lost to a claim that was released at once: report the key as busy.
      return { claimed: false, record: { state: 'pending', fingerprint } };
    },

    async markApplied(tx, id, claimToken, { now = new Date() } = {}) {
      const rows = await tx.query(
        `UPDATE idempotency_keys SET applied_at = $5
          WHERE ${WHERE_KEY} AND claim_token = $4 AND state = 'pending'
          RETURNING 1 AS done`,
        [...keyParams(id), claimToken, now.toISOString()],
      );
      return rows.length > 0;
    },

    async complete(id, claimToken, response) {
      const rows = await db.query(
        `UPDATE idempotency_keys
            SET state = 'complete', response_status = $5, response_headers = $6, response_body = $7
          WHERE ${WHERE_KEY} AND claim_token = $4 AND state = 'pending'
          RETURNING 1 AS done`,
        [...keyParams(id), claimToken, response.status, JSON.stringify(response.headers), response.body],
      );
      return rows.length > 0;
    },

    async release(id, claimToken) {
      await db.query(
        `DELETE FROM idempotency_keys
          WHERE ${WHERE_KEY} AND claim_token = $4 AND state = 'pending' AND applied_at IS NULL`,
        [...keyParams(id), claimToken],
      );
    },

    async prune({ now = new Date() } = {}) {
      const [row] = await db.query<{ pruned: number }>(
        `WITH gone AS (DELETE FROM idempotency_keys WHERE expires_at <= $1 RETURNING 1)
         SELECT count(*)::int AS pruned FROM gone`,
        [now.toISOString()],
      );
      return row?.pruned ?? 0;
    },
  };
}
