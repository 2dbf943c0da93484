import type { Services } from '../../domain/index.js';
import { openOrderFeed } from '../../domain/orders/index.js';
import { type Auth, authenticateStream, requireUser } from '../auth/index.js';
import { ForbiddenProblem } from '../errors/index.js';
import { OperationRouter } from '../request/OperationRouter.js';
import { operationPath } from '../request/operationPath.js';
import { answerWithFeed, type Streams, streamRequest } from '../sse/index.js';

/**
 * Routes of the `orders` tag. Each needs the owner's credentials (after the input is validated): a bearer
 * token, or for the status stream a stream ticket too; another user's order is not found (404).
 */
export function orderRoutes(services: Services, streams: Streams, auth: Auth): OperationRouter {
  return new OperationRouter()
    .on('createOrder', async ({ body }, ctx) => {
      const user = await requireUser(ctx, auth);
      if (body.userId !== user.userId) {
        throw new ForbiddenProblem(
          `An order is placed for the signed-in user; userId must be ${user.userId}.`,
        );
      }
      const order = await services.orders.place(body);
      return {
        status: 201,
        body: order,
        headers: { Location: operationPath('getOrder', { orderId: order.id }) },
      };
    })
    .on('getOrder', async ({ params }, ctx) => {
      const user = await requireUser(ctx, auth);
      return { status: 200, body: await services.orders.get(params.orderId, user.userId) };
    })
    .on('cancelOrder', async ({ params }, ctx) => {
      const user = await requireUser(ctx, auth);
      return { status: 200, body: await services.orders.cancel(params.orderId, user.userId) };
    })
    .on('streamOrderStatus', async ({ params, query }, ctx) => {
      const { resumeId } = streamRequest(ctx, query.lastEventId);
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
            { orderId, resumeId, signal },
          );
          return feed.kind === 'finished' ? feed : { ...feed, expiresAt: user.expiresAt };
        },
        resumeId,
      );
    });
}
