/**
 * W3's unicast events: an order status stream carries `payment_processing` (id 1, already in the history
 * when the client connects), then live `payment_confirmed` (2), `preparing_shipment` (3) and
 * `event: complete` `{status:"shipped",trackingNumber}` (4), after which the response ends.
 */

/** The statuses published live, in order; the n-th has SSE id n + 2. */
export const LIVE_STATUSES = ['payment_confirmed', 'preparing_shipment', 'shipped'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];

/** Events one order status stream delivers in all: the one in the history plus the live ones. */
export const EVENTS_PER_ORDER = 1 + LIVE_STATUSES.length;

export const orderStreamPath = (orderId: string): string => `/v1/orders/${orderId}/status/stream`;

/** A tracking number of the TrackingNumber schema (`^TRK[0-9A-Z]{10}$`), distinct per order index. */
export const trackingNumber = (index: number): string =>
  `TRK${index.toString(36).toUpperCase().padStart(10, '0')}`;

/**
 * The frame of status `seq` (1-based) cut around its timestamp, so the raw ceiling serialises it once and
 * only splices the publish time in: `head + timestamp + tail` is byte for byte what our server writes.
 */
export function orderFrameParts(seq: number, tracking: string): { head: string; tail: string } {
  const status = seq === 1 ? 'payment_processing' : LIVE_STATUSES[seq - 2];
  if (status === undefined) throw new RangeError(`an order stream has no event ${seq}`);
  const event = status === 'shipped' ? 'event: complete\n' : '';
  const tracked = status === 'shipped' ? `"trackingNumber":"${tracking}",` : '';
  return { head: `id: ${seq}\n${event}data: {"status":"${status}",${tracked}"timestamp":"`, tail: '"}\n\n' };
}
