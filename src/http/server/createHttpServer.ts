import { createServer, type RequestListener, type Server } from 'node:http';
import type Koa from 'koa';
import { cutSlowBodies } from './bodyDeadline.js';
import { answerClientErrors, connectionRefuser } from './clientErrors.js';
import { trackHttpConnections } from './serverConnections.js';
import { type ConnectionPolicy, DEFAULT_MAX_HEADER_BYTES, deadlines } from './serverLimits.js';

/** Options of {@link createHttpServer}. */
export interface HttpServerOptions extends ConnectionPolicy {
  /** Largest request line plus headers, in bytes, answered `431` beyond. Default: 16 KiB. */
  readonly maxHeaderBytes?: number | undefined;
}

/**
 * An HTTP server for the app whose timeouts never cut an idle stream: no timeout on a request once its body
 * is in (a stream is one long request), no socket inactivity timeout. What it does cut: headers that take
 * longer than `headersTimeoutMs` or exceed `maxHeaderBytes` (`408`/`431` problem+json), a body not in full
 * `bodyTimeoutMs` after its headers (`408`, see `cutSlowBodies`), a connection idle `keepAliveTimeoutMs`
 * after its last answer, and, with `perClient`, a client's connection over its cap (`429`, then closed).
 */
export function createHttpServer(app: Koa, options: HttpServerOptions = {}): Server {
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const limits = deadlines(options);
  const server = createServer(
    {
      requestTimeout: 0,
      headersTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkEveryMs,
      maxHeaderSize: maxHeaderBytes,
      // The app refuses a request without Host itself, with a problem+json body (see requireHost).
      requireHostHeader: false,
    },
    cutSlowBodies(app.callback(), limits.bodyTimeoutMs, options.onBodyTimeout) as RequestListener,
  );
  server.timeout = 0;
  trackHttpConnections(server);
  answerClientErrors(server, maxHeaderBytes, limits.headersTimeoutMs);
  const { perClient } = options;
  if (perClient) {
    const refuse = connectionRefuser(perClient.maxPerClient, false);
    perClient.guard(server, (socket) => {
      refuse(socket);
      options.onRefused?.();
    });
  }
  return server;
}
