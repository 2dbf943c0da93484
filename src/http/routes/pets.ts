import type { Services } from '../../domain/index.js';
import { openRecommendationFeed } from '../../domain/recommendations/index.js';
import type { Auth } from '../auth/index.js';
import type { IdempotentWrites } from '../request/IdempotentWrites.js';
import { OperationRouter } from '../request/OperationRouter.js';
import { operationPath } from '../request/operationPath.js';
import { answerWithFeed, type Streams, streamRequest } from '../sse/index.js';

/** Routes of the `pets` and `recommendations` tags; catalog writes need `catalog:write` (see the spec). */
export function petRoutes(
  services: Services,
  streams: Streams,
  auth: Auth,
  idempotentWrites: IdempotentWrites,
): OperationRouter {
  return (
    new OperationRouter({ idempotentWrites, auth })
      .on('listPets', async ({ query }) => ({ status: 200, body: await services.pets.list(query) }))
      .on('createPet', async ({ body }) => {
        const pet = await services.pets.create(body);
        return { status: 201, body: pet, headers: { Location: operationPath('getPet', { petId: pet.id }) } };
      })
      // Before getPet, whose path would take `recommendations` for a pet id.
      .on('streamRecommendations', async ({ query }, ctx) => {
        const startedAt = performance.now();
        const { resumeId } = streamRequest(ctx, query.lastEventId);
        const user = await services.users.get(query.userId);
        await answerWithFeed(
          ctx,
          'recommendationsStream',
          streams,
          (signal) =>
            openRecommendationFeed(services, { user, limit: query.limit, resumeId, startedAt, signal }),
          resumeId,
        );
      })
      .on('getPet', async ({ params }) => ({ status: 200, body: await services.pets.get(params.petId) }))
      .on('updatePet', async ({ params, body }) => ({
        status: 200,
        body: await services.pets.update(params.petId, body),
      }))
  );
}
