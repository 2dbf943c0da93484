import type { ServerResponse } from 'node:http';
import type { Context } from 'koa';
import type { SseSink } from '../../sse/index.js';
import { ChunkedSocketSink } from './ChunkedSocketSink.js';

/**
 * Where a stream whose headers were just sent writes: straight to the socket for an HTTP/1.1 response with
 * chunked transfer coding (the hot path, see `ChunkedSocketSink`); otherwise through the response itself (an
 * HTTP/2 stream, an HTTP/1.0 client, a `HEAD` request whose body Node drops).
 */
export function streamSink(ctx: Context): SseSink {
  const response = ctx.res as ServerResponse & { chunkedEncoding?: boolean };
  const socket = response.socket;
  if (ctx.req.httpVersionMajor === 1 && response.chunkedEncoding === true && socket)
    return new ChunkedSocketSink(response, socket);
  return ctx.res as unknown as SseSink;
}
