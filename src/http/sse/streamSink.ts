import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import type { Context } from 'koa';
import type { SseSink } from '../../sse/index.js';
import { ChunkedSocketSink } from './ChunkedSocketSink.js';
import { Http2ResponseSink } from './Http2ResponseSink.js';

/**
 * Where a stream whose headers were just sent writes: straight to the socket for an HTTP/1.1 response with
 * chunked transfer coding (the hot path, see `ChunkedSocketSink`); through the HTTP/2 stream for HTTP/2 (see
 * `Http2ResponseSink`); otherwise through the response itself (an HTTP/1.0 client).
 */
export function streamSink(ctx: Context): SseSink {
  const response = ctx.res as ServerResponse & { chunkedEncoding?: boolean };
  const socket = response.socket;
  if (ctx.req.httpVersionMajor >= 2) return new Http2ResponseSink(ctx.res as unknown as Http2ServerResponse);
  if (response.chunkedEncoding === true && socket) return new ChunkedSocketSink(response, socket);
  return ctx.res as unknown as SseSink;
}
