import type { components } from '../../../generated/openapi.js';
import type { OrderStatusChanges, Publication } from '../events/index.js';

type Order = components['schemas']['Order'];
type StatusChange = components['schemas']['OrderStatusChange'];

/**
 * The event of one status change: intermediate statuses are unnamed frames (`message`), `shipped` (with its
 * tracking number) and `cancelled` are `complete`.
 */
export function statusEvent(
  order: Pick<Order, 'trackingNumber'>,
  change: StatusChange,
): Publication<OrderStatusChanges> {
  const { status, timestamp } = change;
  if (status === 'shipped') {
    return { event: 'complete', data: { status, trackingNumber: order.trackingNumber ?? '', timestamp } };
  }
  if (status === 'cancelled') return { event: 'complete', data: { status, timestamp } };
  return { event: 'message', data: { status, timestamp } };
}

/** The event of an order's newest status change. */
export function latestEvent(order: Order): Publication<OrderStatusChanges> {
  return statusEvent(order, order.history[order.history.length - 1]!);
}
