import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rawFrame, STREAM_PATH, type StockChange } from '../payload.js';
import type { BenchServer } from './BenchServer.js';
import { InventoryWrites } from './inventoryPatch.js';
import { RawOrderStreams } from './rawOrderStreams.js';

/**
 * The ceiling: node:http, no validation, each event serialised once, one `res.write` per event per client.
 * No policy for clients that stop reading: what they do not take waits in memory. W8's writes
 * (`PATCH /v1/inventory/{petId}`) broadcast in the request's turn.
 */
export async function startRaw(): Promise<BenchServer> {
  const clients = new Set<ServerResponse>();
  const orders = new RawOrderStreams();
  const writes = new InventoryWrites();
  let seq = 0;
  const publish = (events: readonly StockChange[]): undefined => {
    for (const data of events) {
      const frame = rawFrame(++seq, data);
      for (const res of clients) res.write(frame);
    }
    return undefined;
  };
  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    if (orders.handle(req, res)) return;
    const petId = InventoryWrites.petIdOf(req.method, req.url);
    if (petId !== undefined) {
      writes.handle(petId, req, res, publish);
      return;
    }
    if (req.url?.split('?')[0] !== STREAM_PATH) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    req.socket.setNoDelay(true);
    res.write('retry: 1500\n\n');
    clients.add(res);
    res.on('close', () => clients.delete(res));
  });
  server.timeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    http: server,
    publish,
    connections: () => clients.size,
    orders,
  };
}
