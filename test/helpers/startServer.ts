import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server listening on an ephemeral port of 127.0.0.1. */
export interface StartedServer {
  readonly server: Server;
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Drops open connections (streams never end by themselves) and stops listening. */
  close(): Promise<void>;
}

/** Starts `handler` (a plain Node handler, or e.g. a Koa `app.callback()`) on port 0. */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<StartedServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
