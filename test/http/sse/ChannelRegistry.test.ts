import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { channels } from '../../../generated/channels.js';
import { createMetrics } from '../../../src/http/metrics/metrics.js';
import { createChannelRegistry } from '../../../src/http/sse/index.js';
import { HeartbeatWheel } from '../../../src/sse/index.js';

const logger = pino({ level: 'silent' }, new Writable({ write: (_chunk, _encoding, done) => done() }));
const heartbeat = new HeartbeatWheel(60_000);
afterAll(() => heartbeat.close());

describe('createChannelRegistry', () => {
  it('has one entry per AsyncAPI channel, each with its own frame cache, validator and the shared wheel', () => {
    const registry = createChannelRegistry({ heartbeat, logger });
    expect(Object.keys(registry).sort()).toEqual(Object.keys(channels).sort());
    const caches = new Set(Object.values(registry).map((entry) => entry.options.frameCache));
    expect(caches.size).toBe(Object.keys(channels).length);
    for (const [id, entry] of Object.entries(registry)) {
      expect(entry.channel).toBe(id);
      expect(entry.options.heartbeat).toBe(heartbeat);
      expect(entry.options.coalesce).toBe(true);
      expect(entry.metrics).toBeUndefined();
    }
    expect(registry.inventoryStream.options.validate('stock-change', { petId: 'x' })).not.toBeNull();
  });

  it('gives two apps separate entries, so one app never shares encoded frames or counts with another', () => {
    const first = createChannelRegistry({ heartbeat, logger, metrics: createMetrics() });
    const second = createChannelRegistry({ heartbeat, logger, metrics: createMetrics() });
    expect(first.inventoryStream.options.frameCache).not.toBe(second.inventoryStream.options.frameCache);
    expect(first.inventoryStream.metrics).not.toBe(second.inventoryStream.metrics);
  });

  it("counts a channel's streams in the metrics it was built with", async () => {
    const metrics = createMetrics();
    const registry = createChannelRegistry({ heartbeat, logger, metrics });
    registry.orderStatusStream.metrics?.opened();
    registry.orderStatusStream.metrics?.opened();
    registry.orderStatusStream.metrics?.closed('client-gone');
    const open = await metrics.streamsOpen.get();
    expect(open.values).toEqual([{ value: 1, labels: { channel: 'orderStatusStream' } }]);
    expect(registry.orderStatusStream.options.observer).toBe(registry.orderStatusStream.metrics?.observer);
  });
});
