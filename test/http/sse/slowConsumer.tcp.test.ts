import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_TOPIC } from '../../../src/domain/inventory/index.js';
import { collectSse, type SseCapture } from '../../helpers/collectSse.js';
import { metricValue } from '../../helpers/readMetrics.js';
import { type StartedApp, startApp, until } from '../../helpers/startApp.js';

/** What the kernel took per non-reading loopback connection before Node saw backpressure (measured, ~3.9 MB). */
const KERNEL_SEND_BUFFER_BYTES = 3_900_000;

const SLOW_CLIENT_MS = 400;
const STALLED = { channel: 'inventoryStream', reason: 'stalled' };
const QUEUE_FULL = { channel: 'inventoryStream', reason: 'queue_full' };

let app: StartedApp;
beforeAll(async () => {
  app = await startApp({ slowClientMs: SLOW_CLIENT_MS, heartbeatMs: 60_000 });
});
afterAll(async () => {
  await app?.close();
});

/** A client over TCP that asks for the inventory stream and then never reads a byte of it. */
function stalledClient(url: string): Promise<Socket> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => {
      socket.pause();
      socket.write(
        'GET /v1/inventory/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n',
      );
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

describe('a client that stops reading, over TCP loopback', () => {
  it('is dropped once it has taken nothing for SSE_SLOW_CLIENT_MS, long before the kernel is full, while a reading client on the same topic is not', async () => {
    const stalled = await stalledClient(app.url);
    const leave = new AbortController();
    const reader = await fetch(`${app.url}/v1/inventory/stream`, { signal: leave.signal });
    let read: SseCapture | undefined;
    const reading = collectSse(reader.body!, (capture) => {
      read = capture;
      return false;
    }).catch(() => read);
    try {
      await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 2);
      const [item] = await app.services.inventory.list();
      const petId = item!.petId;
      // The producer: stock changes published through the app's event log, committed in batches of 200 as
      // one busy write path would, until the client that does not read is dropped.
      let changes = 0;
      const started = performance.now();
      while ((await metricValue(app.url, 'sse_slow_consumer_drops_total', STALLED)) === 0) {
        const batch = Array.from({ length: 200 }, (_, i) => ({
          event: 'stock-change',
          data: {
            petId,
            oldStock: changes + i,
            newStock: changes + i + 1,
            timestamp: new Date().toISOString(),
          },
        }));
        await app.eventLog.appendAll(INVENTORY_TOPIC, batch);
        changes += batch.length;
        if (performance.now() - started > 60_000) throw new Error(`not dropped after ${changes} changes`);
      }
      await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 1);

      // The stall rule dropped it, not the queue bound (no queue_full drop), and before the kernel's ~3.9 MB per
      // socket could hide it: the reader, sent the same frames, got less than that in all. (How much less
      // depends on how fast the producer runs on this machine before SSE_SLOW_CLIENT_MS passes.)
      await until(() => (read?.events.length ?? 0) >= changes);
      const sent = read!.events.reduce((sum, event) => sum + event.data.length + event.id!.length + 30, 0);
      expect(sent).toBeLessThan(KERNEL_SEND_BUFFER_BYTES);
      expect(await metricValue(app.url, 'sse_slow_consumer_drops_total', QUEUE_FULL)).toBe(0);
      expect(app.logs.map((line) => line.msg)).toContain(
        'SSE client took nothing of what waits for it for too long; dropping it',
      );

      // The server closed its connection: reading what it holds ends with the end of the response.
      const ended = new Promise<void>((resolve) => stalled.once('close', () => resolve()));
      stalled.on('data', () => {});
      stalled.on('error', () => {}); // a reset is as good an end as a FIN here
      stalled.resume();
      await ended;

      // The reader was kept and got every change, and then a real one made through the app's service.
      await app.services.inventory.update(petId, { stock: 12_345 });
      await until(() => read?.events.at(-1)?.data.includes('"newStock":12345') === true, 10_000);
      expect(read!.events.filter((event) => event.event === 'stock-change').length).toBe(changes + 1);
      expect(await metricValue(app.url, 'sse_slow_consumer_drops_total', STALLED)).toBe(1);
    } finally {
      stalled.destroy();
      leave.abort();
      await reading;
    }
  }, 90_000);
});
