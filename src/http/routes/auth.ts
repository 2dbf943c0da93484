import type { Services } from '../../domain/index.js';
import { type Auth, type DevTokenIssuer, requireUser } from '../auth/index.js';
import { OperationRouter } from '../request/OperationRouter.js';

/** Credentials are never cached. */
const NO_STORE = { 'Cache-Control': 'no-store' } as const;

/** Seconds a demo token is valid unless the request says otherwise (as DevTokenRequest describes). */
const DEV_TOKEN_SECONDS = 3600;

const secondsUntil = (at: Date, now: Date): number =>
  Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));

function devTokenRoute(router: OperationRouter, services: Services, issue: DevTokenIssuer): void {
  router.on('createDevToken', async ({ body }) => {
    await services.users.get(body.userId);
    const expiresIn = body.expiresIn ?? DEV_TOKEN_SECONDS;
    const scopes = body.scopes ?? [];
    const { accessToken, expiresAt } = await issue(body.userId, expiresIn, scopes);
    return {
      status: 201,
      headers: NO_STORE,
      body: { accessToken, tokenType: 'Bearer', expiresIn, expiresAt: expiresAt.toISOString(), scopes },
    };
  });
}

/**
 * Routes of the `auth` tag: stream tickets for the owner of an order, and, only when dev tokens are on,
 * demo access tokens (otherwise `POST /v1/dev/tokens` does not exist: 404).
 */
export function authRoutes(services: Services, auth: Auth): OperationRouter {
  const router = new OperationRouter().on('createStreamTicket', async ({ body }, ctx) => {
    const user = await requireUser(ctx, auth);
    const now = new Date();
    const request = {
      userId: user.userId,
      orderId: body.orderId,
      credentialExpiresAt: new Date(user.expiresAt),
    };
    const { ticket, expiresAt } = await services.streamTickets.issue(request, { now });
    return {
      status: 201,
      headers: NO_STORE,
      body: { ticket, expiresAt: expiresAt.toISOString(), expiresIn: secondsUntil(expiresAt, now) },
    };
  });
  if (auth.issueDevToken) devTokenRoute(router, services, auth.issueDevToken);
  return router;
}
