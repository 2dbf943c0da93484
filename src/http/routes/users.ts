import Router from '@koa/router';
import type { components } from '../../../generated/openapi.js';
import { operations } from '../../../generated/operations.js';
import type { Services } from '../../domain/index.js';
import { validateRequest } from '../validateRequest.js';

type Preferences = components['schemas']['Preferences'];
type Like = components['schemas']['Like'];

/** Routes of the `users` tag. */
export function userRoutes(services: Services): Router {
  const router = new Router();

  router.get('/v1/users/:userId', async (ctx) => {
    const { params } = await validateRequest<never, { userId: string }>(ctx, operations.getUser);
    ctx.body = await services.users.get(params.userId);
  });

  router.put('/v1/users/:userId/preferences', async (ctx) => {
    const { params, body } = await validateRequest<never, { userId: string }, Preferences>(
      ctx,
      operations.putPreferences,
    );
    ctx.body = await services.users.putPreferences(params.userId, body);
  });

  router.post('/v1/users/:userId/likes', async (ctx) => {
    const { params, body } = await validateRequest<never, { userId: string }, Like>(ctx, operations.likePet);
    ctx.body = await services.users.like(params.userId, body.petId);
  });

  return router;
}
