import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { HttpProblem } from '../errors/index.js';
import type { DualRequestListener } from './http2HeaderLimit.js';

/** The `408` problem of a request whose body did not arrive within `timeoutMs`. */
export function bodyTimedOut(timeoutMs: number): HttpProblem {
  return new HttpProblem(
    'request_timeout',
    408,
    'Request timeout',
    `The request body must arrive in full within ${timeoutMs} ms of its headers; send it at once, or in ` +
      'fewer bytes.',
  );
}

/**
 * [spec] RFC 9112 §6.3: a request has a body only if it sends `Content-Length` or `Transfer-Encoding`
 * (a `Content-Length: 0` body is complete with its headers).
 */
const http1HasBody = (request: IncomingMessage): boolean =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;

/**
 * Cuts an HTTP/1.1 request whose body is still incomplete: `408` problem+json with `Connection: close` if
 * nothing of an answer was written yet (Node then closes the connection once it is sent), and the connection
 * destroyed, at once if an answer had started, else as soon as the `408` is out. Not merely ended: a
 * half-open socket would stay until the client closes its side. Runs whether or not the app reads the body:
 * Node reads an unread body to its end before the next request on the connection, so an app that answered
 * early (a `401`, a `429`) would otherwise keep a trickle alive.
 */
function cutHttp1(request: IncomingMessage, response: ServerResponse, body: string, onCut: () => void): void {
  const socket = request.socket;
  if (request.complete || socket.destroyed) return;
  onCut();
  if (response.headersSent || response.writableEnded) {
    socket.destroy();
    return;
  }
  // The app may still be waiting for this body: the connection's end is what tells it, once the answer is out.
  response.once('finish', () => socket.destroy());
  response
    .writeHead(408, {
      'content-type': 'application/problem+json',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    })
    .end(body);
}

/**
 * Cuts an HTTP/2 request whose body is still incomplete (the client has not ended its side of the stream):
 * `408` problem+json if nothing of an answer was written yet, then the stream is reset (RST_STREAM NO_ERROR
 * after the answer; [spec] RFC 9113 §8.1: "A server can send a complete response prior to the client sending
 * an entire request [...] the server MAY request that the client abort transmission of a request without
 * error by sending a RST_STREAM with an error code of NO_ERROR"). The session and its other streams live on.
 */
function cutHttp2(
  request: Http2ServerRequest,
  response: Http2ServerResponse,
  body: string,
  onCut: () => void,
): void {
  const stream = request.stream;
  if (stream.destroyed || stream.closed || stream.state.remoteClose) return;
  onCut();
  const reset = (): void => stream.close(constants.NGHTTP2_NO_ERROR);
  if (response.headersSent) {
    reset();
    return;
  }
  // Reset once the answer is out: the app, still waiting for the body, then sees its request end, and
  // whatever it does with that can no longer take the answer down with it.
  response
    .writeHead(408, {
      'content-type': 'application/problem+json',
      'content-length': Buffer.byteLength(body),
    })
    .end(body, reset);
}

/**
 * Gives every request body `timeoutMs` from the end of its headers to arrive in full, on HTTP/1.1 and HTTP/2:
 * past it the request is answered `408` problem+json (when nothing was answered yet) and cut, its connection
 * closed (HTTP/1.1) or its stream reset (HTTP/2). A request without a body (every stream's `GET`) gets no
 * timer at all, so streams live as long as they like; one with a body gets one timer, cleared as the body
 * ends. `onCut` is told of each cut (metrics).
 */
export function cutSlowBodies(
  listener: DualRequestListener,
  timeoutMs: number,
  onCut: () => void = () => {},
): DualRequestListener {
  const problem = bodyTimedOut(timeoutMs);
  const body = JSON.stringify(problem.toBody('/'));
  return (request, response) => {
    if (request.httpVersionMajor >= 2) {
      const stream = (request as Http2ServerRequest).stream;
      if (!stream.endAfterHeaders) {
        const timer = setTimeout(cutHttp2, timeoutMs, request, response, body, onCut);
        stream.once('close', () => clearTimeout(timer));
      }
    } else if (http1HasBody(request as IncomingMessage)) {
      const timer = setTimeout(cutHttp1, timeoutMs, request, response, body, onCut);
      const clear = (): void => clearTimeout(timer);
      request.once('end', clear);
      request.once('close', clear);
    }
    listener(request, response);
  };
}
