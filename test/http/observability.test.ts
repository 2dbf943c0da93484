import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_TOPIC } from '../../src/domain/inventory/index.js';
import type { Store } from '../../src/store/index.js';
import { collectSse, parseSse } from '../helpers/collectSse.js';
import { metricValue, readMetrics } from '../helpers/readMetrics.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';

const PET = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';
const INVENTORY = { channel: 'inventoryStream' };
const stockChange = (oldStock: number, newStock: number) => ({
  petId: PET,
  oldStock,
  newStock,
  timestamp: new Date().toISOString(),
});

let store: Store;
let app: StartedApp;
beforeAll(async () => {
  store = await openTestStore();
  app = await startApp({ store });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const publish = (target: StartedApp, data: unknown) =>
  target.eventLog.append(INVENTORY_TOPIC, 'stock-change', data);
const openInventory = (target: StartedApp, headers: Record<string, string> = {}) =>
  fetch(`${target.url}/v1/inventory/stream`, { headers });

/** Reads a stream's raw text until `until` holds for what was parsed so far, then cancels it. */
async function readRaw(body: ReadableStream<Uint8Array>, until: (text: string) => boolean): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (!until(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    return text;
  } finally {
    await reader.cancel();
  }
}

describe('GET /metrics', () => {
  it('answers the Prometheus text format with every stream metric declared', async () => {
    const response = await fetch(`${app.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of [
      'sse_streams_open',
      'sse_frames_total',
      'sse_frame_bytes_total',
      'sse_frames_rejected_total',
      'sse_slow_consumer_drops_total',
      'sse_resumes_total',
      'sse_heartbeats_total',
      'sse_event_lag_seconds',
      'sse_streams_refused_total',
      'http_rate_limited_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('counts open streams per channel, and counts a stream down when its client leaves', async () => {
    const controller = new AbortController();
    const response = await fetch(`${app.url}/v1/inventory/stream`, { signal: controller.signal });
    await response.body!.getReader().read();
    expect(await metricValue(app.url, 'sse_streams_open', INVENTORY)).toBe(1);
    controller.abort();
    await until(async () => (await metricValue(app.url, 'sse_streams_open', INVENTORY)) === 0);
  });

  it('counts the frames and bytes written per channel and event, and the lag since each event happened', async () => {
    const before = await readMetrics(app.url);
    const response = await openInventory(app);
    const raw = readRaw(response.body!, (text) => parseSse(text).events.length >= 2);
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 1);
    await publish(app, stockChange(5, 4));
    await publish(app, stockChange(4, 3));
    const text = await raw;
    const after = await readMetrics(app.url);
    const labels = { ...INVENTORY, event: 'stock-change' };
    expect(after.value('sse_frames_total', labels) - before.value('sse_frames_total', labels)).toBe(2);
    // Everything but the `retry:` line and the id-only block the stream opens with.
    const opening = /^retry: 1500\n\nid: [0-9a-f]{12}\.\d+\n\n/.exec(text)?.[0] ?? '';
    expect(opening).not.toBe('');
    const eventBytes = Buffer.byteLength(text) - Buffer.byteLength(opening);
    expect(after.value('sse_frame_bytes_total', labels) - before.value('sse_frame_bytes_total', labels)).toBe(
      eventBytes,
    );
    const lagCount = 'sse_event_lag_seconds_count';
    expect(after.value(lagCount, INVENTORY) - before.value(lagCount, INVENTORY)).toBe(2);
    expect(after.value('sse_event_lag_seconds_bucket', { ...INVENTORY, le: '+Inf' })).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('counts a frame refused by validation under its event, and the stream-error that ends the stream', async () => {
    const response = await openInventory(app);
    const capture = collectSse(response.body!);
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 1);
    await publish(app, { ...stockChange(1, 0), petId: 'not-a-uuid' });
    expect((await capture).events.map((event) => event.event)).toEqual(['stream-error']);
    const metrics = await readMetrics(app.url);
    expect(metrics.value('sse_frames_rejected_total', { ...INVENTORY, event: 'stock-change' })).toBe(1);
    expect(metrics.value('sse_frames_total', { ...INVENTORY, event: 'stream-error' })).toBe(1);
  });

  it('counts resumes where they are decided: replayed, reset, and finished (204)', async () => {
    const held = await publish(app, stockChange(3, 2));
    const replayed = await openInventory(app, { 'last-event-id': held });
    await replayed.body!.cancel();
    const reset = await openInventory(app, { 'last-event-id': '99999999' });
    await collectSse(reset.body!, (c) => c.events.length >= 1);
    const path = '/v1/pets/recommendations/stream?userId=user-456&limit=1';
    const run = await collectSse((await fetch(`${app.url}${path}`)).body!);
    const finished = await fetch(`${app.url}${path}`, {
      headers: { 'last-event-id': run.events.at(-1)!.id! },
    });
    expect(finished.status).toBe(204);
    const metrics = await readMetrics(app.url);
    expect(metrics.value('sse_resumes_total', { ...INVENTORY, outcome: 'replayed' })).toBe(1);
    expect(metrics.value('sse_resumes_total', { ...INVENTORY, outcome: 'reset' })).toBe(1);
    expect(
      metrics.value('sse_resumes_total', { channel: 'recommendationsStream', outcome: 'finished' }),
    ).toBe(1);
  });

  it('counts heartbeats per channel', async () => {
    const beating = await startApp({ store, heartbeatMs: 20 });
    try {
      const response = await openInventory(beating);
      await collectSse(response.body!, (c) => c.comments.length >= 2);
      expect(await metricValue(beating.url, 'sse_heartbeats_total', INVENTORY)).toBeGreaterThanOrEqual(2);
    } finally {
      await beating.close();
    }
  });

  it('counts a client dropped for not reading', async () => {
    const slow = await startApp({ store });
    const client = request(`${slow.url}/v1/inventory/stream`, { agent: false });
    try {
      client.on('response', (response) => response.pause());
      client.on('error', () => {}); // the server drops this client: a reset is the expected end
      client.end();
      await until(() => slow.eventLog.readerCount(INVENTORY_TOPIC) === 1);
      const big = { ...stockChange(1, 0) };
      await until(async () => {
        await slow.eventLog.appendAll(
          INVENTORY_TOPIC,
          Array.from({ length: 500 }, () => ({ event: 'stock-change', data: { ...big } })),
        );
        return (await metricValue(slow.url, 'sse_slow_consumer_drops_total', INVENTORY)) === 1;
      }, 15_000);
      expect(slow.logs.map((line) => line.msg)).toContain(
        'SSE client stopped reading and its queue is full; dropping it',
      );
    } finally {
      client.destroy();
      await slow.close();
    }
  });

  it('keeps a registry per app, so two apps in one process count apart', async () => {
    const other = await startApp({ store });
    try {
      const response = await openInventory(other);
      await response.body!.getReader().read();
      expect(await metricValue(other.url, 'sse_streams_open', INVENTORY)).toBe(1);
      expect(await metricValue(app.url, 'sse_streams_open', INVENTORY)).toBe(0);
      await response.body!.cancel().catch(() => {}); // the reader holds the lock; the app closes it below
    } finally {
      await other.close();
    }
  });
});

describe('request logs and problems', () => {
  it('log the request id and the query with a token or ticket redacted, never the secret', async () => {
    const response = await fetch(`${app.url}/v1/pets?limit=1&token=s3cr3t-token&ticket=s3cr3t-ticket`, {
      headers: { 'x-request-id': 'req-redaction-1' },
    });
    const line = app.logs.find((entry) => entry.msg === 'request' && entry.requestId === 'req-redaction-1');
    expect(line).toMatchObject({
      path: '/v1/pets',
      query: 'limit=1&token=[redacted]&ticket=[redacted]',
      status: response.status,
    });
    const problem = (await response.json()) as { instance?: string };
    expect(JSON.stringify(app.logs)).not.toContain('s3cr3t');
    expect(problem.instance ?? '').not.toContain('s3cr3t');
  });

  it('do not echo a secret query value in a problem+json instance', async () => {
    const response = await fetch(`${app.url}/v1/pets?limit=0&access_token=s3cr3t`);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { instance: string };
    expect(problem.instance).toBe('/v1/pets?limit=0&access_token=%5Bredacted%5D');
  });
});
