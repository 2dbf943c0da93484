import type { Context } from 'koa';
import type { StreamTicketService } from '../../domain/streamTickets/index.js';
import { AuthenticationProblem } from '../errors/index.js';
import { headerValues } from '../request/headerValues.js';
import type { Auth } from './createAuth.js';
import type { Principal } from './Principal.js';
import { requireUser } from './requireUser.js';

const REFUSED = {
  unknown: 'The stream ticket is unknown, used or expired; get a new one from POST /v1/stream-tickets.',
  other_order: 'The stream ticket was issued for another order; it is used up. Get one for this order.',
} as const;

/**
 * Who opens the status stream of `orderId`: the bearer token's user, or, for a client that cannot send
 * headers (EventSource), the user a single-use `ticket` was issued to, which it uses up. The principal's
 * expiry is the token's (for a ticket, the token it was issued from). 401 for a missing or refused
 * credential; 400 for a request that sends both.
 */
export async function authenticateStream(
  ctx: Context,
  auth: Auth,
  tickets: StreamTicketService,
  orderId: string,
  ticket: string | undefined,
): Promise<Principal> {
  if (ticket === undefined) return requireUser(ctx, auth);
  if (headerValues(ctx.req, 'authorization') !== undefined) {
    throw new AuthenticationProblem('invalid_request', 'Send Authorization: Bearer or ?ticket=, not both.');
  }
  const redemption = await tickets.redeem(ticket, orderId);
  if (!redemption.ok) throw new AuthenticationProblem('invalid_token', REFUSED[redemption.reason]);
  return { userId: redemption.userId, expiresAt: redemption.credentialExpiresAt.getTime(), scopes: [] };
}
