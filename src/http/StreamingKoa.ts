import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import Koa from 'koa';

type Middleware = (ctx: Koa.Context) => Promise<unknown>;

/** The part of Koa's `Application` this class builds on; Koa 3 has it, its type declarations do not. */
interface KoaRequestHandling {
  handleRequest(ctx: Koa.Context, fnMiddleware: Middleware): Promise<unknown>;
}

const koaHandleRequest = (Koa.prototype as unknown as KoaRequestHandling).handleRequest;

/**
 * Koa, except that a response the middleware takes over (`ctx.respond = false`, as an event stream does)
 * keeps nothing of Koa once the middleware is done. Koa attaches an `on-finished` listener to every response
 * as the request starts, to report errors while it writes the body; it holds the request's context and costs
 * about 2.6 KiB per connection for as long as the response lives, which for a stream is hours. Here it is
 * attached only when Koa writes the response itself, once the middleware is done, which is when a body error
 * can happen; the status the middleware set is kept. What routing cached on a taken-over request is dropped.
 */
export class StreamingKoa extends Koa {
  handleRequest(ctx: Koa.Context, fnMiddleware: Middleware): Promise<unknown> {
    ctx.res.statusCode = 404;
    return fnMiddleware(ctx)
      .then(() => {
        if (ctx.respond === false) {
          releaseRequestCaches(ctx.req);
          return undefined;
        }
        const status = ctx.res.statusCode;
        // Koa's own handling sets 404 first; the middleware already ran, so it only restores the status.
        return koaHandleRequest.call(this, ctx, async () => {
          ctx.res.statusCode = status;
        });
      })
      .catch((error: unknown) => ctx.onerror(error as Error));
  }
}

/**
 * Drops what routing cached on a request whose response was taken over: the header map Koa read and
 * `parseurl`'s parsed URL. Both are caches that are made again if read (Node builds `headers` anew from
 * `rawHeaders`), and nothing reads them once the middleware is done, while they would otherwise stay for as
 * long as the response lives: hours, for every stream.
 */
function releaseRequestCaches(request: IncomingMessage | Http2ServerRequest): void {
  // An HTTP/2 request reads its headers from its stream: nothing is cached on it.
  if (request.httpVersionMajor >= 2) return;
  const cached = request as unknown as { _parsedUrl?: unknown; headers?: unknown };
  cached._parsedUrl = undefined;
  cached.headers = undefined;
}
