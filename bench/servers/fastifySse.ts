import { fastifySSE } from '@fastify/sse';
import Fastify from 'fastify';
import { EVENT_NAME, STREAM_PATH, type StockChange } from '../payload.js';
import type { BenchServer } from './BenchServer.js';
import { InventoryWrites } from './inventoryPatch.js';

interface SseReply {
  send(message: { id: string; event: string; data: unknown }): Promise<void>;
}

/** Fastify with @fastify/sse: an `sse: true` route kept alive, broadcasting by looping over the replies;
 * W8's writes are a fastify `PATCH` route. */
export async function startFastifySse(): Promise<BenchServer> {
  const app = Fastify({ logger: false, requestTimeout: 0 });
  await app.register(fastifySSE, { heartbeatInterval: 60_000 });
  const clients = new Set<SseReply>();
  const writes = new InventoryWrites();
  let seq = 0;
  const publish = (events: readonly StockChange[]): undefined => {
    for (const data of events) {
      const message = { id: String(++seq), event: EVENT_NAME, data };
      for (const sse of clients) sse.send(message).catch(() => {});
    }
    return undefined;
  };
  app.patch<{ Params: { petId: string } }>('/v1/inventory/:petId', async (request, reply) => {
    const change = writes.change(request.params.petId, request.body);
    if (!change) return reply.code(400).send();
    publish([change]);
    return { petId: change.petId, stock: change.newStock };
  });
  app.get(STREAM_PATH, { sse: true }, async (request, reply) => {
    request.raw.socket.setNoDelay(true);
    reply.sse.keepAlive();
    const sse = reply.sse as unknown as SseReply;
    await reply.sse.send({ data: 'connected', retry: 1500 });
    clients.add(sse);
    reply.sse.onClose(() => clients.delete(sse));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    http: app.server,
    publish,
    connections: () => clients.size,
  };
}
