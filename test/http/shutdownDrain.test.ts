import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_TOPIC } from '../../src/domain/inventory/index.js';
import type { Store } from '../../src/store/index.js';
import { collectSse } from '../helpers/collectSse.js';
import { metricValue } from '../helpers/readMetrics.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';

describe('a draining app', () => {
  let store: Store;
  let app: StartedApp;
  beforeAll(async () => {
    store = await openTestStore();
    app = await startApp({ store, retryMs: 1000 });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('ends each open stream with its last retry and stream-error shutting_down at its last id, then refuses new ones the same way', async () => {
    const change = (petId: string) => ({
      petId,
      oldStock: 2,
      newStock: 1,
      timestamp: new Date().toISOString(),
    });
    const [pet, otherPet] = ['0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90', '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a91'];
    const resumeId = await app.eventLog.append(INVENTORY_TOPIC, 'stock-change', change(pet));
    const live = await fetch(`${app.url}/v1/inventory/stream?petId=${pet}`);
    const quiet = await fetch(`${app.url}/v1/inventory/stream?petId=${otherPet}`, {
      headers: { 'last-event-id': resumeId },
    });
    const [liveCapture, quietCapture] = [live, quiet].map((response) => collectSse(response.body!));
    await until(() => app.openStreams.size === 2);
    const lastId = await app.eventLog.append(INVENTORY_TOPIC, 'stock-change', change(pet));

    await app.openStreams.drain({ spreadMs: 30, retryMs: () => 1234 });
    const [seen, idle] = [await liveCapture!, await quietCapture!];
    expect(seen.retries).toEqual([1000, 1234]);
    expect(seen.events.map((event) => [event.event, event.id])).toEqual([
      ['stock-change', lastId],
      ['stream-error', lastId],
    ]);
    expect(JSON.parse(seen.events[1]!.data).code).toBe('shutting_down');
    expect(idle.retries).toEqual([1000, 1234]);
    expect(idle.events.map((event) => [event.event, event.id])).toEqual([['stream-error', resumeId]]);
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 0 && app.heartbeat.size === 0);

    const refused = await fetch(`${app.url}/v1/inventory/stream`, { headers: { 'last-event-id': lastId } });
    expect(refused.status).toBe(200);
    expect(refused.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const answer = await collectSse(refused.body!);
    expect(answer.retries[0]).toBeGreaterThanOrEqual(1000);
    expect(answer.retries[0]).toBeLessThanOrEqual(1500);
    expect(answer.events.map((event) => [event.event, event.id])).toEqual([['stream-error', lastId]]);
    expect(JSON.parse(answer.events[0]!.data).code).toBe('shutting_down');
    expect(app.eventLog.readerCount(INVENTORY_TOPIC)).toBe(0);
    expect(
      await metricValue(app.url, 'sse_streams_refused_total', {
        channel: 'inventoryStream',
        reason: 'shutting_down',
      }),
    ).toBe(1);
  });
});
