import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type Koa from 'koa';
import { HttpProblem } from './errors/index.js';

/** Default largest request line plus headers: 16 KiB, Node's own default. */
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

/** Responses in flight per server, so a graceful close can tell each to be its connection's last. */
const inFlight = new WeakMap<Server, { responses: Set<ServerResponse>; closing: boolean }>();

function trackResponses(server: Server): void {
  const state = { responses: new Set<ServerResponse>(), closing: false };
  inFlight.set(server, state);
  // One listener function for every response (a stream's response lives for hours: no closure each).
  function onResponseClose(this: ServerResponse): void {
    state.responses.delete(this);
    // The connection turns idle only after this turn; close it then rather than keep it alive.
    if (state.closing) setImmediate(() => server.closeIdleConnections());
  }
  server.on('request', (_request, response: ServerResponse) => {
    if (state.closing) response.shouldKeepAlive = false;
    state.responses.add(response);
    response.on('close', onResponseClose);
  });
}

/** A raw HTTP/1.1 answer with a problem+json body, for errors Node raises before the app sees a request. */
function rawProblem(problem: HttpProblem, reason: string): string {
  const body = JSON.stringify(problem.toBody('/'));
  return (
    `HTTP/1.1 ${problem.status} ${reason}\r\nContent-Type: application/problem+json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/**
 * Answers what Node's parser refuses, as Node would but with a problem+json body: `431` for a request line
 * plus headers over `maxHeaderBytes`, `408` for headers that took too long, `400` for anything unparsable.
 */
function answerClientErrors(server: Server, maxHeaderBytes: number): void {
  const tooLarge = rawProblem(
    new HttpProblem(
      'request_header_fields_too_large',
      431,
      'Request header fields too large',
      `The request line and headers must be at most ${maxHeaderBytes} bytes in all.`,
    ),
    'Request Header Fields Too Large',
  );
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
    if (!socket.writable || pending?.headersSent) {
      socket.destroy();
      return;
    }
    if (error.code === 'HPE_HEADER_OVERFLOW') socket.end(tooLarge);
    else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'HPE_HEADER_TIMEOUT')
      socket.end(timeout);
    else socket.end(bad);
  });
}

/** Options of {@link createHttpServer}. */
export interface HttpServerOptions {
  /** Largest request line plus headers, in bytes, answered `431` beyond. Default: 16 KiB. */
  readonly maxHeaderBytes?: number | undefined;
}

/**
 * An HTTP server for the app whose timeouts never cut an idle stream: no request timeout (a stream is one
 * long request), no socket inactivity timeout; headers must still arrive within 30 s and be at most
 * `maxHeaderBytes` (else `431` problem+json).
 */
export function createHttpServer(app: Koa, options: HttpServerOptions = {}): Server {
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const server = createServer(
    { requestTimeout: 0, headersTimeout: 30_000, keepAliveTimeout: 5_000, maxHeaderSize: maxHeaderBytes },
    app.callback(),
  );
  server.timeout = 0;
  trackResponses(server);
  answerClientErrors(server, maxHeaderBytes);
  return server;
}

/** Listens and resolves with the bound address. */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Stops listening and lets the requests in flight finish: each answer is its connection's last
 * (`Connection: close`) and idle keep-alive connections are closed, so the server closes as soon as the last
 * request is answered. Connections still open after `timeoutMs` are cut. Resolves once the server is closed.
 */
export function closeGracefully(server: Server, timeoutMs: number): Promise<void> {
  const state = inFlight.get(server);
  if (state) {
    state.closing = true;
    for (const response of state.responses) if (!response.headersSent) response.shouldKeepAlive = false;
  }
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
