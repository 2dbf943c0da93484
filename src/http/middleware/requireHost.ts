import type { Middleware } from 'koa';
import { HttpProblem } from '../errors/index.js';

const NO_HOST = new HttpProblem(
  'bad_request',
  400,
  'Bad request',
  'An HTTP/1.1 request must carry a Host header (RFC 9112 §3.2): send Host: <host>[:<port>].',
);

/**
 * Refuses an HTTP/1.1 request without `Host` with a 400 problem (Node's own answer, turned off in
 * `createHttpServer`, has an empty chunked body). HTTP/1.0 need not send it; HTTP/2 carries `:authority`.
 */
export function requireHost(): Middleware {
  return (ctx, next) => {
    const { httpVersionMajor, httpVersionMinor, headers } = ctx.req;
    if (httpVersionMajor === 1 && httpVersionMinor >= 1 && headers.host === undefined) throw NO_HOST;
    return next();
  };
}
