import { connect, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { kernelSendQueue } from '../../src/sse/kernelSendQueue.js';
import { until } from '../helpers/startApp.js';

describe('kernelSendQueue', () => {
  it("sees bytes the kernel holds for a client that does not read, which Node's buffer does not show", async () => {
    let serverSide: Socket | undefined;
    const server = createServer((socket) => {
      serverSide = socket;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const client = connect({ host: '127.0.0.1', port });
    client.pause();
    try {
      await until(() => serverSide !== undefined);
      const socket = serverSide!;
      expect(kernelSendQueue(socket)).toBe(0);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      // 1 MiB: far less than the kernel takes before Node sees backpressure, far more than the client's window.
      for (let i = 0; i < 16; i++) socket.write(chunk);
      await until(() => socket.writableLength === 0);
      await until(() => (kernelSendQueue(socket) ?? 0) > 256 * 1024);
      expect(socket.writableLength).toBe(0);
    } finally {
      client.destroy();
      serverSide?.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
