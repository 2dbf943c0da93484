import type { Services } from '../../domain/index.js';
import { openInventoryFeed } from '../../domain/inventory/index.js';
import type { Auth } from '../auth/index.js';
import type { IdempotentWrites } from '../request/IdempotentWrites.js';
import { OperationRouter } from '../request/OperationRouter.js';
import { answerWithFeed, type Streams, streamRequest } from '../sse/index.js';

/** Routes of the `inventory` tag; setting stock and prices needs `inventory:write` (see the spec). */
export function inventoryRoutes(
  services: Services,
  streams: Streams,
  auth: Auth,
  idempotentWrites: IdempotentWrites,
): OperationRouter {
  return new OperationRouter({ idempotentWrites, auth })
    .on('listInventory', async () => ({ status: 200, body: { items: await services.inventory.list() } }))
    .on('updateInventory', async ({ params, body }) => ({
      status: 200,
      body: await services.inventory.update(params.petId, body),
    }))
    .on('streamInventory', async ({ query }, ctx) => {
      const { resumeId } = streamRequest(ctx, query.lastEventId);
      await answerWithFeed(
        ctx,
        'inventoryStream',
        streams,
        async (signal) => ({
          kind: 'stream',
          ...(await openInventoryFeed(services.eventLog, { resumeId, petId: query.petId, signal })),
        }),
        resumeId,
      );
    });
}
