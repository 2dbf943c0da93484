import koaCors from '@koa/cors';
import type { Middleware } from 'koa';

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH';
/** Request headers beyond the CORS-safelisted ones: JSON bodies, SSE resumes, bearer tokens, write retries. */
const ALLOWED_HEADERS = 'Content-Type, Last-Event-ID, Authorization, Idempotency-Key';
/** Response headers a page may read beyond the safelisted ones: what a client needs to retry a write. */
const EXPOSED_HEADERS = 'Location, Retry-After, Idempotency-Replayed';
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * CORS for an allowlist of origins (exact `scheme://host[:port]`), by @koa/cors; an empty list means
 * same-origin only and adds nothing. A request from a listed origin gets `Access-Control-Allow-Origin` with
 * that origin; a preflight from it (`OPTIONS` with `Access-Control-Request-Method`) is answered `204` allowing
 * the API's methods and the `Content-Type`, `Last-Event-ID`, `Authorization` and `Idempotency-Key` headers (a
 * bearer token is a header, not a browser credential, so no credentials are allowed). Beyond the safelisted
 * response headers, `Location`, `Retry-After` and `Idempotency-Replayed` are exposed (the client package
 * retries writes by them). Other origins get no CORS headers, so browsers refuse them.
 */
export function cors(origins: readonly string[]): Middleware {
  if (origins.length === 0) return (_ctx, next) => next();
  const allowed = new Set(origins);
  return koaCors({
    origin: (ctx) => (allowed.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),
    allowMethods: ALLOWED_METHODS,
    allowHeaders: ALLOWED_HEADERS,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_S,
    credentials: false,
  });
}
