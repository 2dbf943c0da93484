import Router from '@koa/router';
import type { components } from '../../../generated/openapi.js';
import { operations } from '../../../generated/operations.js';
import type { Services } from '../../domain/index.js';
import { openOrderFeed } from '../../domain/orders/index.js';
import { type Auth, authenticateStream, requireUser } from '../auth/index.js';
import { ForbiddenProblem } from '../errors/index.js';
import { validateRequest } from '../request/validateRequest.js';
import { answerWithFeed, type Streams, streamRequest } from '../sse/index.js';

type OrderCreate = components['schemas']['OrderCreate'];

/**
 * Routes of the `orders` tag. Each needs the owner's credentials (after the input is validated): a bearer
 * token, or for the status stream a stream ticket too; another user's order is not found (404).
 */
export function orderRoutes(services: Services, streams: Streams, auth: Auth): Router {
  const router = new Router();

  router.post('/v1/orders', async (ctx) => {
    const { body } = await validateRequest<never, never, OrderCreate>(ctx, operations.createOrder);
    const user = await requireUser(ctx, auth);
    if (body.userId !== user.userId) {
      throw new ForbiddenProblem(`An order is placed for the signed-in user; userId must be ${user.userId}.`);
    }
    const order = await services.orders.place(body);
    ctx.status = 201;
    ctx.set('Location', `/v1/orders/${order.id}`);
    ctx.body = order;
  });

  router.get('/v1/orders/:orderId', async (ctx) => {
    const { params } = await validateRequest<never, { orderId: string }>(ctx, operations.getOrder);
    const user = await requireUser(ctx, auth);
    ctx.body = await services.orders.get(params.orderId, user.userId);
  });

  router.post('/v1/orders/:orderId/cancel', async (ctx) => {
    const { params } = await validateRequest<never, { orderId: string }>(ctx, operations.cancelOrder);
    const user = await requireUser(ctx, auth);
    ctx.body = await services.orders.cancel(params.orderId, user.userId);
  });

  router.get('/v1/orders/:orderId/status/stream', async (ctx) => {
    const { params, query } = await validateRequest<
      { lastEventId?: string; ticket?: string },
      { orderId: string }
    >(ctx, operations.streamOrderStatus);
    const { afterId } = streamRequest(ctx, query.lastEventId);
    const { orderId } = params;
    // Checked once the stream may be served (not for HEAD, a client at its cap or a server shutting down),
    // so those answers do not use a single-use ticket up.
    await answerWithFeed(
      ctx,
      'orderStatusStream',
      streams,
      async (signal) => {
        const user = await authenticateStream(ctx, auth, services.streamTickets, orderId, query.ticket);
        await services.orders.get(orderId, user.userId);
        const feed = await openOrderFeed(
          { eventLog: services.eventLog, getOrder: services.orders.get },
          { orderId, afterId, signal },
        );
        return feed.kind === 'finished' ? feed : { ...feed, expiresAt: user.expiresAt };
      },
      afterId,
    );
  });

  return router;
}
