import type { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { HttpProblem } from '../errors/index.js';

/** A raw HTTP/1.1 answer with a problem+json body, for errors Node raises before the app sees a request. */
function rawProblem(problem: HttpProblem, reason: string): string {
  const body = JSON.stringify(problem.toBody('/'));
  return (
    `HTTP/1.1 ${problem.status} ${reason}\r\nContent-Type: application/problem+json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/** The `431` problem for a request line plus headers (or an HTTP/2 field section) over `maxHeaderBytes`. */
export function headersTooLarge(maxHeaderBytes: number): HttpProblem {
  return new HttpProblem(
    'request_header_fields_too_large',
    431,
    'Request header fields too large',
    `The request line and headers must be at most ${maxHeaderBytes} bytes in all.`,
  );
}

/**
 * A TLS socket whose handshake never completed (`tlsClientError`, which node:http2 re-emits as `clientError`):
 * no HTTP was spoken on it, so there is nothing to answer.
 */
const beforeTlsHandshake = (socket: Socket): boolean =>
  socket instanceof TLSSocket && socket.alpnProtocol === null;

/**
 * Answers what Node's HTTP/1.1 parser refuses, as Node would but with a problem+json body: `431` for a request
 * line plus headers over `maxHeaderBytes`, `408` for headers that took too long, `400` for anything
 * unparsable. `server` is a node:http server, or a node:http2 one with `allowHTTP1` (its HTTP/1.1 connections
 * report here too).
 */
export function answerClientErrors(server: EventEmitter, maxHeaderBytes: number): void {
  const tooLarge = rawProblem(headersTooLarge(maxHeaderBytes), 'Request Header Fields Too Large');
  const timeout = rawProblem(
    new HttpProblem(
      'request_timeout',
      408,
      'Request timeout',
      'The request headers took too long to arrive.',
    ),
    'Request Timeout',
  );
  const bad = rawProblem(
    new HttpProblem('bad_request', 400, 'Bad request', 'The request is not valid HTTP.'),
    'Bad Request',
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // As Node's own handler: answer only if nothing of a response was written on this connection yet.
    const pending = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (!socket.writable || pending?.headersSent || beforeTlsHandshake(socket)) {
      socket.destroy();
      return;
    }
    if (error.code === 'HPE_HEADER_OVERFLOW') socket.end(tooLarge);
    else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'HPE_HEADER_TIMEOUT')
      socket.end(timeout);
    else socket.end(bad);
  });
}
