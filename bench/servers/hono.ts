import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { EVENT_NAME, STREAM_PATH, type StockChange } from '../payload.js';
import type { BenchServer } from './BenchServer.js';
import { InventoryWrites } from './inventoryPatch.js';

/** Hono `streamSSE` on @hono/node-server; each event serialised once, `writeSSE` per client;
 * W8's writes are a Hono `PATCH` route. */
export async function startHono(): Promise<BenchServer> {
  const clients = new Set<SSEStreamingApi>();
  const writes = new InventoryWrites();
  let seq = 0;
  const publish = (events: readonly StockChange[]): undefined => {
    for (const data of events) {
      const message = { id: String(++seq), event: EVENT_NAME, data: JSON.stringify(data) };
      for (const stream of clients) stream.writeSSE(message).catch(() => {});
    }
    return undefined;
  };
  const app = new Hono();
  app.patch('/v1/inventory/:petId', async (c) => {
    const change = writes.change(c.req.param('petId'), await c.req.json().catch(() => undefined));
    if (!change) return c.body(null, 400);
    publish([change]);
    return c.json({ petId: change.petId, stock: change.newStock });
  });
  app.get(STREAM_PATH, (c) =>
    streamSSE(c, async (stream) => {
      await stream.writeSSE({ data: '', retry: 1500 });
      clients.add(stream);
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      clients.delete(stream);
    }),
  );
  let server: ReturnType<typeof serve> | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    );
    server.setTimeout?.(0);
  });
  return {
    port,
    http: server as Server,
    publish,
    connections: () => clients.size,
  };
}
