import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { redactQuery } from './redactUrl.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives each request an id (`X-Request-Id`, kept if the client sent a plain one) and logs it when done, with
 * its query string once secret-looking values (`token`, `ticket`, …) are redacted.
 */
export function requestLogger(logger: Logger): Middleware {
  return async (ctx, next) => {
    const given = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(given) ? given : randomUUID();
    ctx.set('X-Request-Id', requestId);
    ctx.state.logger = logger.child({ requestId });
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const query = ctx.querystring === '' ? {} : { query: redactQuery(ctx.querystring) };
      (ctx.state.logger as Logger).info(
        { method: ctx.method, path: ctx.path, ...query, status: ctx.status, ms },
        'request',
      );
    }
  };
}
