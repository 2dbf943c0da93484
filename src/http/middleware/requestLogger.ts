import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { redactQuery } from './redactUrl.js';
import { REQUEST_ID_HEADER, requestIdFor } from './requestId.js';

/**
 * Gives each request an id (`X-Request-Id`, kept if the client sent a plain one) and logs it when done, with
 * its client (`ctx.ip`: the address the limits count) and its query string once secret-looking values (`token`, `ticket`, …) are redacted. The header is set once the
 * rest is done, as Koa writes the response; a response that is taken over and sent earlier (an event stream)
 * writes it itself from `ctx.state.requestId`, in the same call as its other headers, so Node keeps no header
 * map for the lifetime of the stream.
 */
export function requestLogger(logger: Logger): Middleware {
  return async (ctx, next) => {
    const requestId = requestIdFor(ctx.get('x-request-id'), randomUUID);
    ctx.state.requestId = requestId;
    ctx.state.logger = logger.child({ requestId });
    const started = performance.now();
    try {
      await next();
    } finally {
      if (!ctx.headerSent) ctx.set(REQUEST_ID_HEADER, requestId);
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const query = ctx.querystring === '' ? {} : { query: redactQuery(ctx.querystring) };
      (ctx.state.logger as Logger).info(
        { method: ctx.method, path: ctx.path, ...query, status: ctx.status, ms, client: ctx.ip },
        'request',
      );
    }
  };
}
