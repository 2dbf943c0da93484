import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { ChunkedSocketSink } from './ChunkedSocketSink.js';
import { Http2ResponseSink } from './Http2ResponseSink.js';
import type { SseSink } from './SseSink.js';

/**
 * Where a stream whose headers were just sent writes: straight to the socket for an HTTP/1.1 response with
 * chunked transfer coding (the hot path, see `ChunkedSocketSink`); through the HTTP/2 stream for HTTP/2 (see
 * `Http2ResponseSink`); otherwise through the response itself (an HTTP/1.0 client).
 */
export function responseSink(
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
): SseSink {
  if (request.httpVersionMajor >= 2) return new Http2ResponseSink(response as Http2ServerResponse);
  const http1 = response as ServerResponse & { chunkedEncoding?: boolean };
  const socket = http1.socket;
  if (http1.chunkedEncoding === true && socket) return new ChunkedSocketSink(http1, socket);
  return http1 as unknown as SseSink;
}
