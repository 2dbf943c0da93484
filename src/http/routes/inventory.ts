import Router from '@koa/router';
import { operations } from '../../../generated/operations.js';
import type { EventLog } from '../../bus/index.js';
import { openInventoryFeed } from '../../domain/inventory/index.js';
import { type StreamSettings, serveEventStream } from '../sse/index.js';
import { streamRequest } from '../sse/streamRequest.js';
import { validateRequest } from '../validateRequest.js';

export interface InventoryRouteDeps {
  eventLog: EventLog;
  streams: StreamSettings;
}

/** Routes of the `inventory` tag. */
export function inventoryRoutes(deps: InventoryRouteDeps): Router {
  const router = new Router();

  router.get('/v1/inventory/stream', async (ctx) => {
    const { query } = await validateRequest<{ petId?: string; lastEventId?: string }>(
      ctx,
      operations.streamInventory,
    );
    const { afterId } = streamRequest(ctx, query.lastEventId);
    const lifetime = new AbortController();
    const feed = await openInventoryFeed(deps.eventLog, {
      afterId,
      petId: query.petId,
      signal: lifetime.signal,
    });
    await serveEventStream(ctx, 'inventoryStream', deps.streams, feed, lifetime);
  });

  return router;
}
