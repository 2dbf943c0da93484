import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChannel, createSession } from 'better-sse';
import { EVENT_NAME, STREAM_PATH } from '../payload.js';
import type { BenchServer } from './BenchServer.js';

/** better-sse: one session per request, registered on a channel that broadcasts. */
export async function startBetterSse(): Promise<BenchServer> {
  const channel = createChannel();
  let seq = 0;
  const server = createServer({ requestTimeout: 0 }, async (req, res) => {
    if (req.url?.split('?')[0] !== STREAM_PATH) {
      res.writeHead(404).end();
      return;
    }
    req.socket.setNoDelay(true);
    const session = await createSession(req, res, { retry: 1500, keepAlive: 60_000 });
    channel.register(session);
  });
  server.timeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    http: server,
    publish(events) {
      for (const data of events) channel.broadcast(data, EVENT_NAME, { eventId: String(++seq) });
      return undefined;
    },
    connections: () => channel.sessionCount,
  };
}
