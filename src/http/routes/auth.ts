import Router from '@koa/router';
import type { components } from '../../../generated/openapi.js';
import { operations } from '../../../generated/operations.js';
import type { Services } from '../../domain/index.js';
import { type Auth, type DevTokenIssuer, requireUser } from '../auth/index.js';
import { validateRequest } from '../request/validateRequest.js';

type StreamTicketRequest = components['schemas']['StreamTicketRequest'];
type DevTokenRequest = components['schemas']['DevTokenRequest'];

/** Seconds a demo token is valid unless the request says otherwise (as DevTokenRequest describes). */
const DEV_TOKEN_SECONDS = 3600;

const secondsUntil = (at: Date, now: Date): number =>
  Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));

function devTokenRoute(router: Router, services: Services, issue: DevTokenIssuer): void {
  router.post('/v1/dev/tokens', async (ctx) => {
    const { body } = await validateRequest<never, never, DevTokenRequest>(ctx, operations.createDevToken);
    await services.users.get(body.userId);
    const expiresIn = body.expiresIn ?? DEV_TOKEN_SECONDS;
    const { accessToken, expiresAt } = await issue(body.userId, expiresIn);
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { accessToken, tokenType: 'Bearer', expiresIn, expiresAt: expiresAt.toISOString() };
  });
}

/**
 * Routes of the `auth` tag: stream tickets for the owner of an order, and, only when dev tokens are on,
 * demo access tokens (otherwise `POST /v1/dev/tokens` does not exist: 404).
 */
export function authRoutes(services: Services, auth: Auth): Router {
  const router = new Router();

  router.post('/v1/stream-tickets', async (ctx) => {
    const { body } = await validateRequest<never, never, StreamTicketRequest>(
      ctx,
      operations.createStreamTicket,
    );
    const user = await requireUser(ctx, auth);
    const now = new Date();
    const request = {
      userId: user.userId,
      orderId: body.orderId,
      credentialExpiresAt: new Date(user.expiresAt),
    };
    const { ticket, expiresAt } = await services.streamTickets.issue(request, { now });
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ticket, expiresAt: expiresAt.toISOString(), expiresIn: secondsUntil(expiresAt, now) };
  });

  if (auth.issueDevToken) devTokenRoute(router, services, auth.issueDevToken);
  return router;
}
