import Router from '@koa/router';
import type { Context } from 'koa';
import type { components } from '../../../generated/openapi.js';
import { operations } from '../../../generated/operations.js';
import { notFound, type Services } from '../../domain/index.js';
import { type Auth, requireUser } from '../auth/index.js';
import { validateRequest } from '../request/validateRequest.js';

type Preferences = components['schemas']['Preferences'];
type Like = components['schemas']['Like'];

/**
 * Routes of the `users` tag. A user's data is the user's own: each needs their bearer token, and another
 * user is not found (404, the same answer as an unknown id).
 */
export function userRoutes(services: Services, auth: Auth): Router {
  const router = new Router();
  const requireSelf = async (ctx: Context, userId: string): Promise<void> => {
    const user = await requireUser(ctx, auth);
    if (user.userId !== userId) throw notFound('user', userId);
  };

  router.get('/v1/users/:userId', async (ctx) => {
    const { params } = await validateRequest<never, { userId: string }>(ctx, operations.getUser);
    await requireSelf(ctx, params.userId);
    ctx.body = await services.users.get(params.userId);
  });

  router.put('/v1/users/:userId/preferences', async (ctx) => {
    const { params, body } = await validateRequest<never, { userId: string }, Preferences>(
      ctx,
      operations.putPreferences,
    );
    await requireSelf(ctx, params.userId);
    ctx.body = await services.users.putPreferences(params.userId, body);
  });

  router.post('/v1/users/:userId/likes', async (ctx) => {
    const { params, body } = await validateRequest<never, { userId: string }, Like>(ctx, operations.likePet);
    await requireSelf(ctx, params.userId);
    ctx.body = await services.users.like(params.userId, body.petId);
  });

  return router;
}
