import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import type Koa from 'koa';
import { cutSlowBodies } from './bodyDeadline.js';
import { answerClientErrors, connectionRefuser } from './clientErrors.js';
import { refuseLargeHttp2Headers } from './http2HeaderLimit.js';
import { trackTlsConnections } from './serverConnections.js';
import { type ConnectionPolicy, DEFAULT_MAX_HEADER_BYTES, deadlines } from './serverLimits.js';

/** Concurrent requests one session may have beyond its streams: REST calls, documents, preflights. */
const REST_STREAMS_PER_SESSION = 100;
/** SETTINGS_MAX_HEADER_LIST_SIZE is this many times `maxHeaderBytes`: between the two `431`, beyond a reset. */
const HEADER_LIST_CEILING_FACTOR = 2;

/**
 * What Node reads from a node:http2 server for its HTTP/1.1 fallback (`lib/_http_server.js`), though
 * @types/node does not declare it there.
 */
interface Http1Fallback {
  timeout: number;
  requestTimeout: number;
  headersTimeout: number;
  connectionsCheckingInterval: number;
  keepAliveTimeout: number;
  maxHeaderSize: number;
  closeIdleConnections(): void;
}

/** A node:http2 secure server that also speaks HTTP/1.1 (`allowHTTP1`). */
export type TlsServer = Http2SecureServer & Http1Fallback;

/** Options of {@link createTlsServer}. */
export interface TlsServerOptions extends ConnectionPolicy {
  /** The certificate (chain), PEM. */
  readonly cert: Buffer | string;
  /** Its private key, PEM. */
  readonly key: Buffer | string;
  /**
   * Largest request line plus headers (HTTP/1.1) or field section (HTTP/2), answered `431` beyond.
   * Default: 16 KiB.
   */
  readonly maxHeaderBytes?: number | undefined;
  /** The per-client stream cap (`MAX_STREAMS_PER_CLIENT`), which sizes a session's streams. Default: 100. */
  readonly maxStreamsPerClient?: number | undefined;
}

/**
 * Closes (GOAWAY) an HTTP/2 session that has had no stream open for `idleMs`, as `keepAliveTimeout` closes an
 * idle HTTP/1.1 connection. A session carrying a stream, however quiet, is never closed.
 */
function closeIdleSessions(server: Http2SecureServer, idleMs: number): void {
  server.on('session', (session: ServerHttp2Session) => {
    let open = 0;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      timer = setTimeout(() => session.close(), idleMs).unref();
    };
    session.on('stream', (stream) => {
      open += 1;
      clearTimeout(timer);
      stream.once('close', () => {
        open -= 1;
        if (open === 0 && !session.closed) arm();
      });
    });
    session.once('close', () => clearTimeout(timer));
    arm();
  });
}

/**
 * A TLS server for the app that speaks HTTP/2 and, on the same port, HTTP/1.1 (ALPN `h2`, `http/1.1`; a client
 * without ALPN gets HTTP/1.1). It keeps what `createHttpServer` promises on both protocols: no timeout cuts an
 * idle stream (no request, socket, session or stream timeout; an HTTP/1.1 fallback connection must still send
 * its headers within `headersTimeoutMs`, and a TLS handshake must end within it too), a request body must be
 * in `bodyTimeoutMs` after its headers (`408`, the HTTP/2 stream reset), a connection with nothing in flight
 * closes after `keepAliveTimeoutMs` idle (GOAWAY on HTTP/2), a client over its `perClient` cap has its TCP
 * connection closed before the handshake, and headers over `maxHeaderBytes` are answered `431` problem+json (on HTTP/2 up to twice that size, which is the
 * SETTINGS_MAX_HEADER_LIST_SIZE it advertises; beyond it Node resets the stream with ENHANCE_YOUR_CALM).
 * A session may carry `maxStreamsPerClient` + 100 concurrent streams, so a client over its stream cap gets the
 * app's `429` rather than a request silently queued by its browser.
 */
export function createTlsServer(app: Koa, options: TlsServerOptions): TlsServer {
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const maxConcurrentStreams = Math.min(
    (options.maxStreamsPerClient ?? 100) + REST_STREAMS_PER_SESSION,
    2 ** 32 - 1,
  );
  const limits = deadlines(options);
  const server = createSecureServer(
    {
      allowHTTP1: true,
      cert: options.cert,
      key: options.key,
      handshakeTimeout: limits.headersTimeoutMs,
      settings: { maxConcurrentStreams, maxHeaderListSize: maxHeaderBytes * HEADER_LIST_CEILING_FACTOR },
    },
    cutSlowBodies(
      refuseLargeHttp2Headers(app.callback(), maxHeaderBytes),
      limits.bodyTimeoutMs,
      options.onBodyTimeout,
    ),
  ) as TlsServer;
  server.setTimeout(0);
  server.requestTimeout = 0;
  server.headersTimeout = limits.headersTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.connectionsCheckingInterval = limits.checkEveryMs;
  server.maxHeaderSize = maxHeaderBytes;
  closeIdleSessions(server, limits.keepAliveTimeoutMs);
  trackTlsConnections(server);
  answerClientErrors(server, maxHeaderBytes, limits.headersTimeoutMs);
  const { perClient } = options;
  if (perClient) {
    const refuse = connectionRefuser(perClient.maxPerClient, true);
    perClient.guard(server, (socket) => {
      refuse(socket);
      options.onRefused?.();
    });
  }
  return server;
}
