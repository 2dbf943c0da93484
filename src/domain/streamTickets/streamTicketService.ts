import { createHash, randomBytes } from 'node:crypto';
import type { StreamTicketsRepository } from '../../store/index.js';
import { DomainError } from '../DomainError.js';
import type { OrderService } from '../orders/index.js';

/** What {@link StreamTicketService.issue} is asked for: whose ticket, for which order's stream, and until when. */
export interface TicketRequest {
  userId: string;
  orderId: string;
  /** When the access token the ticket is issued from expires; the ticket never outlives it. */
  credentialExpiresAt: Date;
}

/** A new ticket: the secret value, given to the client once, and when it expires. */
export interface IssuedTicket {
  ticket: string;
  expiresAt: Date;
}

/** A redeemed ticket: whose it was and when its credential expires; or why it was refused. */
export type Redemption =
  | { ok: true; userId: string; credentialExpiresAt: Date }
  | { ok: false; reason: 'unknown' | 'other_order' };

/** Single-use, short-lived stream tickets for clients that cannot send an `Authorization` header. */
export interface StreamTicketService {
  /**
   * Issues a ticket for the status stream of one of the user's orders (`not_found` for an order that is not
   * theirs). It expires after the service's TTL, or with its credential if that comes first.
   */
  issue(request: TicketRequest, options?: { now?: Date }): Promise<IssuedTicket>;
  /**
   * Uses up a ticket for the status stream of `orderId`: `ok` once, for a ticket issued for that order and
   * not expired; any later use, or a ticket for another order (which is used up too), is refused.
   */
  redeem(ticket: string, orderId: string, options?: { now?: Date }): Promise<Redemption>;
}

/** `st_` and 256 random bits in base64url. */
const TICKET = /^st_[A-Za-z0-9_-]{43}$/;

const newTicket = (): string => `st_${randomBytes(32).toString('base64url')}`;
const hashOf = (ticket: string): string => createHash('sha256').update(ticket).digest('hex');

/** Stream tickets stored (by hash) in `tickets`, each valid `ttlSeconds` at most. */
export function createStreamTicketService(deps: {
  tickets: StreamTicketsRepository;
  orders: Pick<OrderService, 'get'>;
  ttlSeconds: number;
}): StreamTicketService {
  return {
    async issue({ userId, orderId, credentialExpiresAt }, { now = new Date() } = {}) {
      await deps.orders.get(orderId, userId);
      const lapse = Math.min(now.getTime() + deps.ttlSeconds * 1000, credentialExpiresAt.getTime());
      if (lapse <= now.getTime()) {
        throw new DomainError('conflict', 'The access token expires now; get a new one, then a ticket.');
      }
      const ticket = newTicket();
      const expiresAt = new Date(lapse);
      await deps.tickets.add(hashOf(ticket), { userId, orderId, expiresAt, credentialExpiresAt }, { now });
      return { ticket, expiresAt };
    },

    async redeem(ticket, orderId, { now = new Date() } = {}) {
      if (!TICKET.test(ticket)) return { ok: false, reason: 'unknown' };
      const grant = await deps.tickets.take(hashOf(ticket), { now });
      if (!grant) return { ok: false, reason: 'unknown' };
      if (grant.orderId !== orderId) return { ok: false, reason: 'other_order' };
      return { ok: true, userId: grant.userId, credentialExpiresAt: grant.credentialExpiresAt };
    },
  };
}
