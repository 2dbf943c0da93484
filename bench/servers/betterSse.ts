import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChannel, createSession } from 'better-sse';
import { EVENT_NAME, STREAM_PATH, type StockChange } from '../payload.js';
import type { BenchServer } from './BenchServer.js';
import { InventoryWrites } from './inventoryPatch.js';

/** better-sse: one session per request, registered on a channel that broadcasts (W8's writes too). */
export async function startBetterSse(): Promise<BenchServer> {
  const channel = createChannel();
  const writes = new InventoryWrites();
  let seq = 0;
  const publish = (events: readonly StockChange[]): undefined => {
    for (const data of events) channel.broadcast(data, EVENT_NAME, { eventId: String(++seq) });
    return undefined;
  };
  const server = createServer({ requestTimeout: 0 }, async (req, res) => {
    const petId = InventoryWrites.petIdOf(req.method, req.url);
    if (petId !== undefined) {
      writes.handle(petId, req, res, publish);
      return;
    }
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
    publish,
    connections: () => channel.sessionCount,
  };
}
