import type { Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import type { TlsServer } from './createTlsServer.js';
import { connectionsOf } from './serverConnections.js';

/** The app's server: plain HTTP/1.1 (`createHttpServer`), or HTTP/2 and HTTP/1.1 over TLS (`createTlsServer`). */
export type AppServer = Server | TlsServer;

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
