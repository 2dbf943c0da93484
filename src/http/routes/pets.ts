import Router from '@koa/router';
import type { components } from '../../../generated/openapi.js';
import { operations } from '../../../generated/operations.js';
import type { Services } from '../../domain/index.js';
import { openRecommendationFeed } from '../../domain/recommendations/index.js';
import { validateRequest } from '../request/validateRequest.js';
import { answerWithFeed, type Streams, streamRequest } from '../sse/index.js';

type PetCreate = components['schemas']['PetCreate'];
type PetUpdate = components['schemas']['PetUpdate'];
type Species = components['schemas']['Species'];
type PetSize = components['schemas']['PetSize'];

/** Routes of the `pets` and `recommendations` tags. */
export function petRoutes(services: Services, streams: Streams): Router {
  const router = new Router();

  router.get('/v1/pets', async (ctx) => {
    const { query } = await validateRequest<{
      species?: Species;
      size?: PetSize;
      limit: number;
      offset: number;
    }>(ctx, operations.listPets);
    ctx.body = await services.pets.list(query);
  });

  router.post('/v1/pets', async (ctx) => {
    const { body } = await validateRequest<never, never, PetCreate>(ctx, operations.createPet);
    const pet = await services.pets.create(body);
    ctx.status = 201;
    ctx.set('Location', `/v1/pets/${pet.id}`);
    ctx.body = pet;
  });

  router.get('/v1/pets/recommendations/stream', async (ctx) => {
    const startedAt = performance.now();
    const { query } = await validateRequest<{ userId: string; limit: number; lastEventId?: string }>(
      ctx,
      operations.streamRecommendations,
    );
    const { afterId } = streamRequest(ctx, query.lastEventId);
    const user = await services.users.get(query.userId);
    await answerWithFeed(
      ctx,
      'recommendationsStream',
      streams,
      (signal) => openRecommendationFeed(services, { user, limit: query.limit, afterId, startedAt, signal }),
      afterId,
    );
  });

  router.get('/v1/pets/:petId', async (ctx) => {
    const { params } = await validateRequest<never, { petId: string }>(ctx, operations.getPet);
    ctx.body = await services.pets.get(params.petId);
  });

  router.patch('/v1/pets/:petId', async (ctx) => {
    const { params, body } = await validateRequest<never, { petId: string }, PetUpdate>(
      ctx,
      operations.updatePet,
    );
    ctx.body = await services.pets.update(params.petId, body);
  });

  return router;
}
