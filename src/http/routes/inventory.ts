import Router from '@koa/router';
import type { components } from '../../../generated/openapi.js';
import { operations } from '../../../generated/operations.js';
import type { Services } from '../../domain/index.js';
import { openInventoryFeed } from '../../domain/inventory/index.js';
import { validateRequest } from '../request/validateRequest.js';
import { answerWithFeed, type Streams, streamRequest } from '../sse/index.js';

type InventoryUpdate = components['schemas']['InventoryUpdate'];

/** Routes of the `inventory` tag. */
export function inventoryRoutes(services: Services, streams: Streams): Router {
  const router = new Router();

  router.get('/v1/inventory', async (ctx) => {
    await validateRequest(ctx, operations.listInventory);
    ctx.body = { items: await services.inventory.list() };
  });

  router.patch('/v1/inventory/:petId', async (ctx) => {
    const { params, body } = await validateRequest<never, { petId: string }, InventoryUpdate>(
      ctx,
      operations.updateInventory,
    );
    ctx.body = await services.inventory.update(params.petId, body);
  });

  router.get('/v1/inventory/stream', async (ctx) => {
    const { query } = await validateRequest<{ petId?: string; lastEventId?: string }>(
      ctx,
      operations.streamInventory,
    );
    const { afterId } = streamRequest(ctx, query.lastEventId);
    await answerWithFeed(
      ctx,
      'inventoryStream',
      streams,
      async (signal) => ({
        kind: 'stream',
        ...(await openInventoryFeed(services.eventLog, { afterId, petId: query.petId, signal })),
      }),
      afterId,
    );
  });

  return router;
}
