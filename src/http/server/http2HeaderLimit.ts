import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { headersTooLarge } from './clientErrors.js';

/** A request listener of a node:http2 server with `allowHTTP1`: it gets requests of both protocols. */
export type DualRequestListener = (
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
) => void;

/**
 * The size of an HTTP/2 request's field section as SETTINGS_MAX_HEADER_LIST_SIZE counts it, pseudo-header
 * fields (`:method`, `:path`, …) included.
 * [spec] RFC 9113 §6.5.2: "The value is based on the uncompressed size of field lines, including the length
 * of the name and value in units of octets plus an overhead of 32 octets for each field line."
 */
export function fieldSectionSize(rawHeaders: readonly string[]): number {
  let size = 0;
  // Node hands HTTP/2 field values over as one-byte (latin1) strings: length is the octet count.
  for (const field of rawHeaders) size += field.length;
  return size + (rawHeaders.length / 2) * 32;
}

/**
 * Answers an HTTP/2 request whose field section is over `maxHeaderBytes` with `431` problem+json, as Node's
 * HTTP/1.1 parser does for a request line plus headers over its limit; other requests go to `listener`.
 * [spec] RFC 9113 §6.5.2: "A server that receives a larger field section than it is willing to handle can
 * send an HTTP 431 (Request Header Fields Too Large) status code."
 */
export function refuseLargeHttp2Headers(
  listener: DualRequestListener,
  maxHeaderBytes: number,
): DualRequestListener {
  const body = JSON.stringify(headersTooLarge(maxHeaderBytes).toBody('/'));
  return (request, response) => {
    if (request.httpVersionMajor < 2 || fieldSectionSize(request.rawHeaders) <= maxHeaderBytes) {
      listener(request, response);
      return;
    }
    (response as Http2ServerResponse)
      .writeHead(431, {
        'content-type': 'application/problem+json',
        'content-length': Buffer.byteLength(body),
      })
      .end(body);
  };
}
