import type { OrderStatusStreamEvents } from '../../../generated/events.js';
import type { components } from '../../../generated/openapi.js';
import type { EventLog, ResumeOutcome } from '../../bus/index.js';
import type { StreamMessage } from '../../sse/index.js';
import { type OrderLogEntry, orderTopic, statusMessage } from './orderEvents.js';

type Order = components['schemas']['Order'];
type OrderMessage = StreamMessage<OrderStatusStreamEvents>;

/** Finished (answer 204), or the messages and how they start: `live`, `replayed` after the id, or `reset`. */
export type OrderFeed =
  | { kind: 'finished' }
  | { kind: 'stream'; resume: ResumeOutcome['kind']; messages: AsyncIterable<OrderMessage> };

const FINAL = new Set(['shipped', 'cancelled']);

/** Reads `afterId` as a position in the history; `undefined` when it is not one this order has issued. */
function positionOf(afterId: string | undefined, order: Order): number | undefined {
  if (afterId === undefined) return 0;
  if (!/^(0|[1-9][0-9]{0,5})$/.test(afterId)) return undefined;
  const seq = Number(afterId);
  return seq <= order.history.length ? seq : undefined;
}

async function* messages(
  order: Order,
  after: number,
  reset: OrderMessage | undefined,
  live: AsyncIterable<{ data: unknown }>,
): AsyncGenerator<OrderMessage> {
  if (reset) yield reset;
  let last = after;
  for (const [index, change] of order.history.entries()) {
    const seq = index + 1;
    if (seq <= last) continue;
    last = seq;
    yield statusMessage(order, change, seq);
  }
  if (FINAL.has(order.status)) return;
  for await (const entry of live) {
    const { seq, message } = entry.data as OrderLogEntry;
    if (seq <= last) continue;
    last = seq;
    yield message;
    if (message.event === 'complete') return;
  }
}

/**
 * Opens an order's status feed: the history after `afterId` (read from the database), then live changes from
 * the order's log topic, each once, until `complete`. It subscribes before reading the history, so a change
 * committed in between is not lost (it is skipped by position if the history already had it). An order
 * that already completed and is resumed from its last id is `finished` (answer 204). An id this order never
 * issued gets `reset` (id 0), then the whole history.
 */
export async function openOrderFeed(
  deps: { eventLog: EventLog; getOrder: (id: string) => Promise<Order> },
  options: { orderId: string; afterId: string | undefined; signal: AbortSignal },
): Promise<OrderFeed> {
  const subscription = await deps.eventLog.subscribe(orderTopic(options.orderId), { signal: options.signal });
  const order = await deps.getOrder(options.orderId);
  const position = positionOf(options.afterId, order);
  if (position !== undefined && position === order.history.length && FINAL.has(order.status))
    return { kind: 'finished' };
  const reset: OrderMessage | undefined =
    position === undefined
      ? {
          event: 'reset',
          id: '0',
          data: {
            reason: 'unknown_id',
            lastEventId: options.afterId ?? '',
            detail: `Order ${options.orderId} has no event ${options.afterId}; its whole status history follows.`,
          },
        }
      : undefined;
  const resume = options.afterId === undefined ? 'live' : reset ? 'reset' : 'replayed';
  return { kind: 'stream', resume, messages: messages(order, position ?? 0, reset, subscription.entries) };
}
