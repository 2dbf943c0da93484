import type { Context } from 'koa';
import { notFound, type Services } from '../../domain/index.js';
import { type Auth, requireUser } from '../auth/index.js';
import { ValidationProblem } from '../errors/index.js';
import type { IdempotentWrites } from '../request/IdempotentWrites.js';
import { OperationRouter } from '../request/OperationRouter.js';

/** An age range the other way round (JSON Schema cannot compare two fields): a 400 naming both ends. */
function checkAgeRange(preferences: { minAgeMonths?: number; maxAgeMonths?: number }): void {
  const { minAgeMonths: min, maxAgeMonths: max } = preferences;
  if (min === undefined || max === undefined || min <= max) return;
  const message = `must be at most maxAgeMonths (${max})`;
  throw new ValidationProblem([
    { in: 'body', pointer: '/minAgeMonths', message },
    { in: 'body', pointer: '/maxAgeMonths', message: `must be at least minAgeMonths (${min})` },
  ]);
}

/**
 * Routes of the `users` tag. A user's data is the user's own: each needs their bearer token, and another
 * user is not found (404, the same answer as an unknown id).
 */
export function userRoutes(
  services: Services,
  auth: Auth,
  idempotentWrites: IdempotentWrites,
): OperationRouter {
  const requireSelf = async (ctx: Context, userId: string): Promise<void> => {
    const user = await requireUser(ctx, auth);
    if (user.userId !== userId) throw notFound('user', userId);
  };
  return new OperationRouter({ idempotentWrites })
    .on('getUser', async ({ params }, ctx) => {
      await requireSelf(ctx, params.userId);
      return { status: 200, body: await services.users.get(params.userId) };
    })
    .on('putPreferences', async ({ params, body }, ctx) => {
      checkAgeRange(body);
      await requireSelf(ctx, params.userId);
      return { status: 200, body: await services.users.putPreferences(params.userId, body) };
    })
    .on('likePet', async ({ params, body }, ctx) => {
      await requireSelf(ctx, params.userId);
      return { status: 200, body: await services.users.like(params.userId, body.petId) };
    });
}
