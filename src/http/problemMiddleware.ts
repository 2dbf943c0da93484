import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { HttpProblem } from './errors/index.js';

const INTERNAL = new HttpProblem(
  'internal_error',
  500,
  'Internal server error',
  'The server failed to answer; it was logged.',
);

/**
 * Maps every error thrown before the response started to `application/problem+json`. An error after a
 * stream started is the stream's business (it ends with `stream-error`); here it is only logged.
 */
export function problemMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && !ctx.headerSent) {
        throw new HttpProblem('not_found', 404, 'Not found', `No route for ${ctx.method} ${ctx.path}.`);
      }
    } catch (error) {
      const problem = error instanceof HttpProblem ? error : INTERNAL;
      if (problem === INTERNAL) logger.error({ err: error, path: ctx.path }, 'request failed');
      if (ctx.headerSent || !ctx.writable) return;
      ctx.status = problem.status;
      ctx.type = 'application/problem+json';
      ctx.body = problem.toBody(ctx.originalUrl);
    }
  };
}
