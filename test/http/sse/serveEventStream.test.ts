import { Writable } from 'node:stream';
import Koa from 'koa';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { InventoryStreamEvents } from '../../../generated/events.js';
import { createStreams, serveEventStream } from '../../../src/http/sse/index.js';
import { HeartbeatWheel, type StreamMessage } from '../../../src/sse/index.js';
import { collectSse } from '../../helpers/collectSse.js';
import { type StartedServer, startServer } from '../../helpers/startServer.js';

const errors: string[] = [];
const logger = pino(
  { level: 'error' },
  new Writable({ write: (chunk: Buffer, _e, done) => done(void errors.push(chunk.toString())) }),
);
const heartbeat = new HeartbeatWheel(60_000);
const streams = createStreams({ retryMs: 1000, heartbeat, logger });
let server: StartedServer;
let aborted: AbortSignal | undefined;

async function* failingSource(): AsyncGenerator<StreamMessage<InventoryStreamEvents>> {
  yield {
    event: 'stock-change',
    id: '7',
    data: {
      petId: '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90',
      oldStock: 2,
      newStock: 1,
      timestamp: new Date().toISOString(),
    },
  };
  throw new Error('the event log went away');
}

beforeAll(async () => {
  const app = new Koa();
  app.use(async (ctx) => {
    const lifetime = new AbortController();
    aborted = lifetime.signal;
    serveEventStream(ctx, 'inventoryStream', streams, failingSource(), {
      lifetime,
    });
  });
  server = await startServer(app.callback());
});
afterAll(async () => {
  await server.close();
  heartbeat.close();
});

it('ends the stream with stream-error carrying the last id when its source fails, and logs why', async () => {
  const capture = await collectSse((await fetch(server.url)).body!);
  expect(capture.retries).toEqual([1000]);
  expect(capture.events.map((event) => [event.event, event.id])).toEqual([
    ['stock-change', '7'],
    ['stream-error', '7'],
  ]);
  expect(JSON.parse(capture.events[1]!.data)).toMatchObject({ code: 'internal_error' });
  expect(errors.join('')).toContain('the event log went away');
  expect(aborted?.aborted).toBe(true);
});
