import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { EVENT_NAME, STREAM_PATH } from '../payload.js';
import type { BenchServer } from './BenchServer.js';

/** Hono `streamSSE` on @hono/node-server; each event serialised once, `writeSSE` per client. */
export async function startHono(): Promise<BenchServer> {
  const clients = new Set<SSEStreamingApi>();
  let seq = 0;
  const app = new Hono();
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
    publish(events) {
      for (const data of events) {
        const message = { id: String(++seq), event: EVENT_NAME, data: JSON.stringify(data) };
        for (const stream of clients) stream.writeSSE(message).catch(() => {});
      }
      return undefined;
    },
    connections: () => clients.size,
  };
}
