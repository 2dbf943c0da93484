import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectionsPerClient } from '../../../src/http/server/index.js';

describe('ConnectionsPerClient', () => {
  it('admits connections of an address up to the cap, refuses the next, and admits again once one is released', () => {
    const cap = new ConnectionsPerClient({ maxPerClient: 2 });
    expect([cap.admit('10.0.0.1'), cap.admit('10.0.0.1'), cap.admit('10.0.0.1')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(cap.admit('10.0.0.2')).toBe(true);
    expect(cap.openOf('10.0.0.1')).toBe(2);
    cap.release('10.0.0.1');
    expect(cap.admit('10.0.0.1')).toBe(true);
  });

  it('forgets an address once its last connection is released', () => {
    const cap = new ConnectionsPerClient({ maxPerClient: 5 });
    cap.admit('::1');
    cap.admit('::1');
    cap.release('::1');
    cap.release('::1');
    expect(cap.clients).toBe(0);
    expect(cap.openOf('::1')).toBe(0);
  });

  it('neither caps nor counts an exempt address, such as a trusted proxy', () => {
    const cap = new ConnectionsPerClient({ maxPerClient: 1, exempt: (address) => address === '10.1.1.1' });
    for (let i = 0; i < 10; i++) expect(cap.admit('10.1.1.1')).toBe(true);
    expect(cap.clients).toBe(0);
    cap.release('10.1.1.1');
    expect(cap.admit('10.0.0.9')).toBe(true);
    expect(cap.admit('10.0.0.9')).toBe(false);
  });

  it('caps nothing with maxPerClient 0, and refuses a cap that is not a whole number', () => {
    const open = new ConnectionsPerClient({ maxPerClient: 0 });
    for (let i = 0; i < 1000; i++) expect(open.admit('10.0.0.1')).toBe(true);
    expect(() => new ConnectionsPerClient({ maxPerClient: 1.5 })).toThrow(RangeError);
    expect(() => new ConnectionsPerClient({ maxPerClient: -1 })).toThrow(RangeError);
  });
});

describe('ConnectionsPerClient.guard', () => {
  it('caps TCP peers by address, and neither counts nor refuses connections over a Unix domain socket', async () => {
    const cap = new ConnectionsPerClient({ maxPerClient: 1 });
    const refused: (string | undefined)[] = [];
    const server = createServer((_req, res) => res.end('ok'));
    cap.guard(server, (socket, address) => {
      refused.push(address);
      socket.destroy();
    });
    const dir = await mkdtemp(path.join(tmpdir(), 'petstore-cap-'));
    const socketPath = path.join(dir, 'server.sock');
    const tcp = net.createServer((socket) => server.emit('connection', socket));
    const unix = net.createServer((socket) => server.emit('connection', socket));
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => unix.listen(socketPath, resolve));
    const port = (tcp.address() as { port: number }).port;
    /** Resolves with the first bytes the server answers a GET with, or `closed`. */
    const get = (connect: () => net.Socket) =>
      new Promise<string>((resolve) => {
        const socket = connect();
        socket.once('connect', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
        socket.once('data', (data) => resolve(data.toString().split('\r\n')[0]!));
        socket.once('close', () => resolve('closed'));
        sockets.push(socket);
      });
    const sockets: net.Socket[] = [];
    try {
      const viaTcp = [
        await get(() => net.connect(port, '127.0.0.1')),
        await get(() => net.connect(port, '127.0.0.1')),
      ];
      expect(viaTcp).toEqual(['HTTP/1.1 200 OK', 'closed']);
      expect(refused).toEqual(['127.0.0.1']);
      const viaUnix = await Promise.all([1, 2, 3].map(() => get(() => net.connect(socketPath))));
      expect(viaUnix).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
      expect(refused).toEqual(['127.0.0.1']);
      expect(cap.clients).toBe(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => tcp.close(resolve));
      await new Promise((resolve) => unix.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
