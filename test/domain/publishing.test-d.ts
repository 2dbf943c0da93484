import { describe, it } from 'vitest';
import {
  INVENTORY_TOPIC,
  orderTopic,
  type Publish,
  recommendationRunTopic,
} from '../../src/domain/events/index.js';

declare const publish: Publish;
const timestamp = '2026-11-24T10:15:30.123Z';
const petId = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';

describe('publishing is typed by the topic, from the spec', () => {
  it('takes the inventory changes with their payloads, and nothing else', () => {
    publish(INVENTORY_TOPIC, { event: 'stock-change', data: { petId, oldStock: 3, newStock: 2, timestamp } });
    publish(INVENTORY_TOPIC, { event: 'price-change', data: { petId, oldPrice: 3, newPrice: 2, timestamp } });
    // @ts-expect-error a stock change says newStock (the spec's name), not stock
    publish(INVENTORY_TOPIC, { event: 'stock-change', data: { petId, oldStock: 3, stock: 2, timestamp } });
    // @ts-expect-error a price change's payload is not a stock change's
    publish(INVENTORY_TOPIC, { event: 'stock-change', data: { petId, oldPrice: 3, newPrice: 2, timestamp } });
    const changed = { petId, oldStock: 3, newStock: 2, timestamp };
    // @ts-expect-error no such event on the inventory stream
    publish(INVENTORY_TOPIC, { event: 'stock-changed', data: changed });
    const reset = { reason: 'unknown_id', lastEventId: 'x', detail: 'y' } as const;
    // @ts-expect-error the server's own frames (reset, stream-error) are never published on the log
    publish(INVENTORY_TOPIC, { event: 'reset', data: reset });
  });

  it('takes an order status, and a complete that is shipped with a tracking number or cancelled without', () => {
    const order = orderTopic('0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a99');
    publish(order, { event: 'message', data: { status: 'payment_confirmed', timestamp } });
    publish(order, {
      event: 'complete',
      data: { status: 'shipped', trackingNumber: 'TRK7K2M9Q4X1Z0', timestamp },
    });
    publish(order, { event: 'complete', data: { status: 'cancelled', timestamp } });
    // @ts-expect-error a shipped order carries its tracking number
    publish(order, { event: 'complete', data: { status: 'shipped', timestamp } });
    // @ts-expect-error an intermediate frame cannot carry a final status
    publish(order, { event: 'message', data: { status: 'shipped', timestamp } });
    // @ts-expect-error an order's stream carries no inventory change
    publish(order, { event: 'stock-change', data: { petId, oldStock: 3, newStock: 2, timestamp } });
  });

  it('keeps a recommendation run as its start, its recommendations and its total', () => {
    const run = recommendationRunTopic('0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a98');
    publish(run, { event: 'start', data: { userId: 'user-456', limit: 3 } });
    publish(run, { event: 'complete', data: { total: 3 } });
    // @ts-expect-error a run's start says who it is for
    publish(run, { event: 'start', data: { limit: 3 } });
  });
});
