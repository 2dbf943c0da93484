import type { Db } from './Db.js';
import type { WriteOptions } from './WriteOptions.js';

/** What a stream ticket grants: whose it is, the order whose stream it opens, and when it and its credential expire. */
export interface StreamTicketGrant {
  userId: string;
  orderId: string;
  expiresAt: Date;
  /** When the access token the ticket was issued from expires: the stream it opens ends then. */
  credentialExpiresAt: Date;
}

/** Single-use stream tickets, stored by the SHA-256 of the ticket (never the ticket itself). */
export interface StreamTicketsRepository {
  /** Stores a ticket under `hash` (64 lower-case hex digits), and deletes every ticket expired at `now`. */
  add(hash: string, grant: StreamTicketGrant, options?: WriteOptions): Promise<void>;
  /**
   * Takes the ticket stored under `hash`: deletes it and returns its grant, unless it expired at `now`. Of
   * concurrent calls, on any number of processes, exactly one gets it; `undefined` for the others, and for an
   * unknown, used or expired ticket.
   */
  take(hash: string, options?: WriteOptions): Promise<StreamTicketGrant | undefined>;
}

interface TicketRow {
  user_id: string;
  order_id: string;
  expires_at: Date | string;
  credential_expires_at: Date | string;
}

const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

/** Stream tickets over a {@link Db}. */
export function createStreamTicketsRepository(db: Db): StreamTicketsRepository {
  return {
    async add(hash, grant, { now = new Date() } = {}) {
      await db.query('DELETE FROM stream_tickets WHERE expires_at <= $1', [now.toISOString()]);
      await db.query(
        `INSERT INTO stream_tickets (ticket_hash, user_id, order_id, expires_at, credential_expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          hash,
          grant.userId,
          grant.orderId,
          grant.expiresAt.toISOString(),
          grant.credentialExpiresAt.toISOString(),
          now.toISOString(),
        ],
      );
    },

    async take(hash, { now = new Date() } = {}) {
      const [row] = await db.query<TicketRow>(
        `DELETE FROM stream_tickets WHERE ticket_hash = $1
         RETURNING user_id, order_id::text AS order_id, expires_at, credential_expires_at`,
        [hash],
      );
      if (!row || toDate(row.expires_at) <= now) return undefined;
      return {
        userId: row.user_id,
        orderId: row.order_id,
        expiresAt: toDate(row.expires_at),
        credentialExpiresAt: toDate(row.credential_expires_at),
      };
    },
  };
}
