import type { Middleware } from 'koa';

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH';
/** Request headers beyond the CORS-safelisted ones: JSON bodies, SSE resumes and bearer tokens. */
const ALLOWED_HEADERS = 'Content-Type, Last-Event-ID, Authorization';
const PREFLIGHT_MAX_AGE_S = '600';

/**
 * CORS for an allowlist of origins (exact `scheme://host[:port]`); an empty list means same-origin only and
 * adds nothing. A request from a listed origin gets `Access-Control-Allow-Origin` with that origin; a
 * preflight from it (`OPTIONS` with `Access-Control-Request-Method`) is answered `204` allowing the API's
 * methods and the `Content-Type`, `Last-Event-ID` and `Authorization` headers (a bearer token is a header,
 * not a browser credential, so no credentials are allowed). No response header is exposed beyond the
 * safelisted ones. Other origins get no CORS headers, so browsers refuse them.
 */
export function cors(origins: readonly string[]): Middleware {
  const allowed = new Set(origins);
  return (ctx, next) => {
    if (allowed.size === 0) return next();
    ctx.vary('Origin');
    const origin = ctx.get('Origin');
    if (!allowed.has(origin)) return next();
    ctx.set('Access-Control-Allow-Origin', origin);
    if (ctx.method !== 'OPTIONS' || ctx.get('Access-Control-Request-Method') === '') return next();
    ctx.vary('Access-Control-Request-Method');
    ctx.vary('Access-Control-Request-Headers');
    ctx.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
    ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    ctx.set('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_S);
    ctx.status = 204;
    return Promise.resolve();
  };
}
