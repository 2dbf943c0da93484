import type { OrderStatusStreamEvents } from '../../../generated/events.js';
import type { components } from '../../../generated/openapi.js';
import type { StreamMessage } from '../../sse/index.js';

type Order = components['schemas']['Order'];
type StatusChange = components['schemas']['OrderStatusChange'];

/** The event log topic of one order's status changes. */
export const orderTopic = (orderId: string): string => `order:${orderId}`;

/** What the log holds for one status change: its position in the history (1-based) and its frame. */
export interface OrderLogEntry {
  seq: number;
  message: StreamMessage<OrderStatusStreamEvents>;
}

/**
 * The SSE frame of the `seq`-th status change (1-based): intermediate statuses are unnamed frames, `shipped`
 * (with its tracking number) and `cancelled` are `complete`. The id is `seq`.
 */
export function statusMessage(
  order: Pick<Order, 'trackingNumber'>,
  change: StatusChange,
  seq: number,
): StreamMessage<OrderStatusStreamEvents> {
  const id = String(seq);
  const { status, timestamp } = change;
  if (status === 'shipped') {
    return { event: 'complete', id, data: { status, trackingNumber: order.trackingNumber ?? '', timestamp } };
  }
  if (status === 'cancelled') return { event: 'complete', id, data: { status, timestamp } };
  return { event: 'message', id, data: { status, timestamp } };
}

/** The newest status change of an order as a log entry. */
export function latestEntry(order: Order): OrderLogEntry {
  const seq = order.history.length;
  return { seq, message: statusMessage(order, order.history[seq - 1]!, seq) };
}
