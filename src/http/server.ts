import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

/**
 * An HTTP server for the app whose timeouts never cut an idle stream: no request timeout (a stream is one
 * long request), no socket inactivity timeout; headers must still arrive within 30 s.
 */
export function createHttpServer(app: Koa): Server {
  const server = createServer(
    { requestTimeout: 0, headersTimeout: 30_000, keepAliveTimeout: 5_000 },
    app.callback(),
  );
  server.timeout = 0;
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
