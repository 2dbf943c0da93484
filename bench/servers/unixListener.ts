import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer, type Socket } from 'node:net';

/** A Unix domain socket whose connections the HTTP server serves as its own. */
export interface UnixListener {
  readonly path: string;
  /** Bytes written to these connections that still wait in the process (not yet taken by the kernel). */
  queuedBytes(): number;
  /** Open connections. */
  readonly connections: number;
  close(): void;
}

/**
 * Listens on `path` and hands each connection to `http` (`'connection'`), so the same app serves it as it
 * serves TCP. W5 runs here: a Unix socket's kernel buffers hold about `net.core.wmem_default` (~208 KiB) for a
 * client that stopped reading, where TCP over loopback grows the send buffer up to `tcp_wmem` max (4 MiB)
 * and hides a stalled client from the server for tens of thousands of events (see RESULTS.md).
 */
export async function listenUnix(http: Server, path: string): Promise<UnixListener> {
  rmSync(path, { force: true });
  const sockets = new Set<Socket>();
  const listener = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    http.emit('connection', socket);
  });
  await new Promise<void>((resolve) => listener.listen(path, resolve));
  return {
    path,
    queuedBytes: () => [...sockets].reduce((sum, socket) => sum + socket.writableLength, 0),
    get connections() {
      return sockets.size;
    },
    close() {
      listener.close();
      rmSync(path, { force: true });
    },
  };
}
