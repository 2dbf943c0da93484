import { createServer, type Server } from 'node:http';
import type Koa from 'koa';
import { answerClientErrors } from './clientErrors.js';
import { trackHttpConnections } from './serverConnections.js';
import { DEFAULT_MAX_HEADER_BYTES, HEADERS_TIMEOUT_MS, IDLE_CONNECTION_MS } from './serverLimits.js';

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
    {
      requestTimeout: 0,
      headersTimeout: HEADERS_TIMEOUT_MS,
      keepAliveTimeout: IDLE_CONNECTION_MS,
      maxHeaderSize: maxHeaderBytes,
      // The app refuses a request without Host itself, with a problem+json body (see requireHost).
      requireHostHeader: false,
    },
    app.callback(),
  );
  server.timeout = 0;
  trackHttpConnections(server);
  answerClientErrors(server, maxHeaderBytes);
  return server;
}
