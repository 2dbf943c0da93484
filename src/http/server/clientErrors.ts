import type { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { HttpProblem } from '../errors/index.js';

/** How long a refused connection may stay half-closed, its answer sent, before it is destroyed. */
const LINGER_MS = 1000;

/** A raw HTTP/1.1 answer with a problem+json body, for errors Node raises before the app sees a request. */
export function rawProblem(problem: HttpProblem, reason: string): string {
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
 * Sends `answer` and ends the connection; destroys it once the client closed its side too or after
 * {@link LINGER_MS}, whichever comes first. An HTTP server's sockets allow half-open connections, so `end()`
 * alone would leave the descriptor open for as long as the client keeps its side open; destroying at once
 * could reset the connection before the client read the answer.
 */
function answerAndClose(socket: Socket, answer: string): void {
  socket.end(answer);
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
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
export function answerClientErrors(
  server: EventEmitter,
  maxHeaderBytes: number,
  headersTimeoutMs: number,
): void {
  const tooLarge = rawProblem(headersTooLarge(maxHeaderBytes), 'Request Header Fields Too Large');
  const timeout = rawProblem(
    new HttpProblem(
      'request_timeout',
      408,
      'Request timeout',
      `The request line and headers must arrive within ${headersTimeoutMs} ms.`,
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
    if (error.code === 'HPE_HEADER_OVERFLOW') answerAndClose(socket, tooLarge);
    else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'HPE_HEADER_TIMEOUT')
      answerAndClose(socket, timeout);
    else answerAndClose(socket, bad);
  });
}

/**
 * What closes, at once, a connection refused because its client holds `maxPerClient` connections already. A
 * plain HTTP/1.1 connection is first sent a `429` problem+json (nothing of it was read yet: the answer comes
 * before the request, and HTTP/1.1 clients read it as its answer); a TLS connection is closed before its
 * handshake.
 */
export function connectionRefuser(maxPerClient: number, tls: boolean): (socket: Socket) => void {
  const answer = rawProblem(
    new HttpProblem(
      'too_many_requests',
      429,
      'Too many connections',
      `This client already has ${maxPerClient} connections open, the most one client may hold: send more ` +
        'requests over the connections it has (keep-alive, HTTP/2), or close one first.',
    ),
    'Too Many Requests',
  );
  return (socket) => {
    // A fresh socket's first write goes to the kernel at once, so it is sent before the close below.
    if (!tls && socket.writable) socket.write(answer);
    socket.destroy();
  };
}
