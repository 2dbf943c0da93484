import { createServer, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import type Koa from 'koa';
import { answerClientErrors } from './clientErrors.js';
import type { TlsServer } from './createTlsServer.js';
import { connectionsOf, trackHttpConnections } from './serverConnections.js';

/** Default largest request line plus headers: 16 KiB, Node's own default. */
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
/** Time an HTTP/1.1 request's headers may take to arrive. */
export const HEADERS_TIMEOUT_MS = 30_000;
/** Idle time after which a connection with nothing in flight is closed (Node's HTTP/1.1 keep-alive default). */
export const IDLE_CONNECTION_MS = 5_000;

/** The app's server: plain HTTP/1.1 ({@link createHttpServer}), or HTTP/2 and HTTP/1.1 over TLS. */
export type AppServer = Server | TlsServer;

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
    },
    app.callback(),
  );
  server.timeout = 0;
  trackHttpConnections(server);
  answerClientErrors(server, maxHeaderBytes);
  return server;
}

/** Listens and resolves with the bound address. */
export function listen(server: NetServer, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Stops listening and lets the requests in flight finish: each HTTP/1.1 answer is its connection's last
 * (`Connection: close`) and idle keep-alive connections are closed; each HTTP/2 session gets GOAWAY, finishes
 * its streams in flight and closes. So the server closes as soon as the last request is answered. Connections
 * still open after `timeoutMs` are cut. Resolves once the server is closed.
 */
export function closeGracefully(server: AppServer, timeoutMs: number): Promise<void> {
  const connections = connectionsOf(server);
  return new Promise((resolve) => {
    const deadline = setTimeout(() => connections.cutAll(), timeoutMs);
    server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    connections.closeWhenIdle();
  });
}

/** Cuts every open connection of the server at once (as `closeGracefully` does after its timeout). */
export function cutConnections(server: AppServer): void {
  connectionsOf(server).cutAll();
}
