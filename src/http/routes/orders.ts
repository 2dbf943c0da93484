import Router from '@koa/router';
import type { components } from '../../../generated/openapi.js';
import { operations } from '../../../generated/operations.js';
import type { Services } from '../../domain/index.js';
import { openOrderFeed } from '../../domain/orders/index.js';
import { answerWithFeed, type StreamSettings, streamRequest } from '../sse/index.js';
import { validateRequest } from '../validateRequest.js';

type OrderCreate = components['schemas']['OrderCreate'];

/** Routes of the `orders` tag. */
export function orderRoutes(services: Services, streams: StreamSettings): Router {
  const router = new Router();

  router.post('/v1/orders', async (ctx) => {
    const { body } = await validateRequest<never, never, OrderCreate>(ctx, operations.createOrder);
    const order = await services.orders.place(body);
    ctx.status = 201;
    ctx.set('Location', `/v1/orders/${order.id}`);
    ctx.body = order;
  });

  router.get('/v1/orders/:orderId', async (ctx) => {
    const { params } = await validateRequest<never, { orderId: string }>(ctx, operations.getOrder);
    ctx.body = await services.orders.get(params.orderId);
  });

  router.post('/v1/orders/:orderId/cancel', async (ctx) => {
    const { params } = await validateRequest<never, { orderId: string }>(ctx, operations.cancelOrder);
    ctx.body = await services.orders.cancel(params.orderId);
  });

  router.get('/v1/orders/:orderId/status/stream', async (ctx) => {
    const { params, query } = await validateRequest<{ lastEventId?: string }, { orderId: string }>(
      ctx,
      operations.streamOrderStatus,
    );
    const { afterId } = streamRequest(ctx, query.lastEventId);
    await services.orders.get(params.orderId);
    await answerWithFeed(
      ctx,
      'orderStatusStream',
      streams,
      (signal) =>
        openOrderFeed(
          { eventLog: services.eventLog, getOrder: services.orders.get },
          { orderId: params.orderId, afterId, signal },
        ),
      afterId,
    );
  });

  return router;
}
