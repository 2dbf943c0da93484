import type { components } from '../../generated/openapi.js';

type OrderStatus = components['schemas']['OrderStatus'];

/** The statuses an order moves through, in order, until it ships. */
export const ORDER_FLOW = [
  'payment_processing',
  'payment_confirmed',
  'preparing_shipment',
  'shipped',
] as const;

/** A status an order can advance to. */
export type AdvanceStatus = Exclude<(typeof ORDER_FLOW)[number], 'payment_processing'>;

/** The statuses after which an order never changes again. */
export const FINAL_STATUSES: readonly OrderStatus[] = ['shipped', 'cancelled'];

/** The status that follows `status`, or `undefined` once the order is shipped or cancelled. */
export function nextStatus(status: OrderStatus): AdvanceStatus | undefined {
  const index = (ORDER_FLOW as readonly OrderStatus[]).indexOf(status);
  return index < 0 ? undefined : (ORDER_FLOW[index + 1] as AdvanceStatus | undefined);
}

/** The only status from which an order may advance to `next`. */
export function previousStatus(next: AdvanceStatus): OrderStatus {
  return ORDER_FLOW[ORDER_FLOW.indexOf(next) - 1]!;
}
